#include "imagebuild/apk/installed_db.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalog/apk/parse_installed.h"
#include "image/registry/auth.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/text.h"

namespace distill::imagebuild::apk {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Fixture(const std::string& rel) {
  auto text = ReadFile(std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/" + rel, 1 << 20);
  EXPECT_TRUE(text.ok()) << rel;
  return text.ok() ? *text : "";
}

// One file of a gzip'd layer tar.
std::string LayerFile(const std::string& layer, const std::string& path) {
  std::string blob = Fixture(layer);
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  EXPECT_EQ(archive_read_open_memory(a, blob.data(), blob.size()), ARCHIVE_OK);
  archive_entry* e;
  std::string out;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    if (archive_entry_pathname(e) != path) continue;
    out.resize(archive_entry_size(e));
    if (!out.empty()) archive_read_data(a, out.data(), out.size());
  }
  archive_read_free(a);
  return out;
}

InstalledFile F(std::string path, uint32_t mode = 0644, std::string sum = "") {
  return {std::move(path), false, mode, 0, 0, std::move(sum)};
}
InstalledFile D(std::string path, uint32_t mode = 0755) {
  return {std::move(path), true, mode, 0, 0, ""};
}

// apko's own golden image (internal/cli/testdata/golden): its installed DB, read and written
// again, is the same bytes; both architectures.
TEST(ApkInstalledDbTest, GoldenRoundTripsByteForByte) {
  for (const char* arch : {"x86_64", "aarch64"}) {
    std::string golden = LayerFile(std::string("apko-e2e/golden/layer-") + arch + ".tar.gz",
                                   "usr/lib/apk/db/installed");
    ASSERT_FALSE(golden.empty()) << arch;
    auto pkgs = ParseInstalledDb(golden);
    ASSERT_TRUE(pkgs.ok()) << pkgs.error().message;
    ASSERT_EQ(pkgs->size(), 2u);
    EXPECT_EQ(RenderInstalled(*pkgs), golden) << arch;
  }
}

// The golden DB from the struct built by hand, the way the assembler fills it from the two
// packages (replayout replaces pretend-baselayout's etc/os-release, which apko then drops from
// pretend-baselayout's record). Every field of apko's order is exercised.
TEST(ApkInstalledDbTest, GoldenFromPackageFields) {
  InstalledPackage base;
  base.name = "pretend-baselayout";
  base.version = "1.0.0-r0";
  base.arch = "x86_64";
  base.license = "MIT";
  base.description = "replacement baselayout";
  base.origin = "pretend-baselayout";
  base.maintainer = "unknown";
  base.commit = "326e0ed687bdfeadac839dc9b25686e4442c9d04";
  base.size = 2930;
  base.installed_size = 3476;
  base.checksum = "Q1m6wB0UFePGN8Drz82pC8y2uAiu8=";
  base.files = {D("etc"),
                D("var"),
                D("var/lib"),
                D("var/lib/db"),
                D("var/lib/db/sbom"),
                F("var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json", 0644,
                  "Q15d+IKXrVK1o8pOAjbHFqnDfAwIY=")};
  InstalledPackage rep = base;
  rep.name = rep.origin = "replayout";
  rep.depends = {"pretend-baselayout"};
  rep.replaces = {"pretend-baselayout"};
  rep.size = 2961;
  rep.installed_size = 3389;
  rep.checksum = "Q11/HhSewwwOXgl0r0ffb0O0BRtYc=";
  InstalledFile os = F("etc/os-release", 0644, "Q1yl5Se7uKXMnEwtK04pYY2Mo75fg=");
  os.uid = 501, os.gid = 20;
  rep.files = {
      D("etc"),
      os,
      D("var"),
      D("var/lib"),
      D("var/lib/db"),
      D("var/lib/db/sbom"),
      F("var/lib/db/sbom/replayout-1.0.0-r0.spdx.json", 0644, "Q16Wd3dW9vQjHcZKv7Wj5Jnmm3a20=")};
  EXPECT_EQ(RenderInstalled({base, rep}),
            LayerFile("apko-e2e/golden/layer-x86_64.tar.gz", "usr/lib/apk/db/installed"));
}

// The file lines (F M R a Z) of a database, a:/M: modes as 4 octal digits.
std::string FileLines(const std::string& db) {
  std::string out;
  ForEachLine(db, [&](int, std::string_view line) {
    if (line.empty()) out += "\n";
    if (line.size() < 2 || std::string_view("FMRaZ").find(line[0]) == std::string_view::npos)
      return true;
    std::string l(line);
    if (line[0] == 'a' || line[0] == 'M') {
      size_t c = l.rfind(':');
      l = l.substr(0, c + 1) + fmt::format("{:04o}", std::stoul(l.substr(c + 1), nullptr, 8));
    }
    out += l + "\n";
    return true;
  });
  return out;
}

std::string Q1(std::string_view bytes) {
  auto sha = Sha1Raw({bytes});
  return "Q1" + image::registry::Base64Encode(
                    std::string(reinterpret_cast<const char*>(sha.data()), sha.size()));
}

// A test-local stand-in for the APK reader (apkread's part): the package's gzip members, its
// .PKGINFO and data entries, mapped to the installed record the way the assembler must map them.
InstalledPackage FromApk(const std::string& apk) {
  std::vector<std::string_view>
      members;  // signature, control, data: each member's compressed bytes
  size_t pos = 0;
  while (pos < apk.size()) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(apk.data() + pos));
    z.avail_in = static_cast<uInt>(apk.size() - pos);
    char buf[16384];
    int rc;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      rc = inflate(&z, Z_NO_FLUSH);
    } while (rc == Z_OK);
    EXPECT_EQ(rc, Z_STREAM_END);
    members.push_back(std::string_view(apk).substr(pos, z.total_in));
    pos += z.total_in;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) break;
  }
  EXPECT_EQ(members.size(), 3u);
  InstalledPackage p;
  p.checksum = Q1(members.at(1));
  p.size = apk.size();
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  EXPECT_EQ(archive_read_open_memory(a, apk.data(), apk.size()), ARCHIVE_OK);
  archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    std::string path = archive_entry_pathname(e), data(archive_entry_size(e), '\0');
    if (!data.empty()) archive_read_data(a, data.data(), data.size());
    if (path == ".PKGINFO") {
      ForEachLine(data, [&](int, std::string_view line) {
        size_t eq = line.find(" = ");
        if (line.starts_with("#") || eq == std::string_view::npos) return true;
        std::string k(line.substr(0, eq)), v(line.substr(eq + 3));
        if (k == "pkgname")
          p.name = v;
        else if (k == "pkgver")
          p.version = v;
        else if (k == "arch")
          p.arch = v;
        else if (k == "license")
          p.license = v;
        else if (k == "pkgdesc")
          p.description = v;
        else if (k == "origin")
          p.origin = v;
        else if (k == "maintainer")
          p.maintainer = v;
        else if (k == "url")
          p.url = v;
        else if (k == "commit")
          p.commit = v;
        else if (k == "depend")
          p.depends.push_back(v);
        else if (k == "provides")
          p.provides.push_back(v);
        else if (k == "replaces")
          p.replaces.push_back(v);
        else if (k == "install_if")
          p.install_if.push_back(v);
        else if (k == "builddate")
          p.build_time = std::stoll(v);
        else if (k == "size")
          p.installed_size = std::stoull(v);
        else if (k == "provider_priority")
          p.provider_priority = std::stoull(v);
        return true;
      });
    }
    if (path.starts_with(".")) continue;
    while (path.ends_with('/')) path.pop_back();
    InstalledFile f{path,
                    archive_entry_filetype(e) == AE_IFDIR,
                    static_cast<uint32_t>(archive_entry_perm(e)),
                    static_cast<uint32_t>(archive_entry_uid(e)),
                    static_cast<uint32_t>(archive_entry_gid(e)),
                    ""};
    if (archive_entry_filetype(e) == AE_IFREG) f.checksum = Q1(data);
    if (archive_entry_filetype(e) == AE_IFLNK) f.checksum = Q1(archive_entry_symlink(e));
    p.files.push_back(f);
  }
  archive_read_free(a);
  return p;
}

// The whole chain: apko's two test packages -> their installed records (replayout installed
// second and replacing pretend-baselayout's etc/os-release, which apko then drops from
// pretend-baselayout's files) -> byte-identical to the golden image's database.
TEST(ApkInstalledDbTest, GoldenFromTheApkFiles) {
  std::string dir =
      std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/apko-e2e/packages/x86_64/";
  InstalledPackage base = FromApk(*ReadFile(dir + "pretend-baselayout-1.0.0-r0.apk", 1 << 20));
  InstalledPackage rep = FromApk(*ReadFile(dir + "replayout-1.0.0-r0.apk", 1 << 20));
  std::erase_if(base.files, [](const InstalledFile& f) { return f.path == "etc/os-release"; });
  EXPECT_EQ(RenderInstalled({base, rep}),
            LayerFile("apko-e2e/golden/layer-x86_64.tar.gz", "usr/lib/apk/db/installed"));
}

// Real databases an older apko wrote for Wolfi images (apko pkg/apk/apk/testdata/installed): 15
// packages, symlinks with a:, files at the root (a bare F:), trees several levels deep. That apko
// put C: first and wrote modes as "755": the fields differ, the file order must not.
TEST(ApkInstalledDbTest, WolfiDatabasesKeepTheirFileOrder) {
  for (const char* name : {"wolfi-base", "redis-operator-compat"}) {
    std::string text = Fixture(std::string("apko-installed/") + name);
    auto pkgs = ParseInstalledDb(text);
    ASSERT_TRUE(pkgs.ok()) << pkgs.error().message;
    EXPECT_GT(pkgs->size(), 10u);
    std::string ours = RenderInstalled(*pkgs);
    EXPECT_EQ(FileLines(ours), FileLines(text)) << name;
    auto again = ParseInstalledDb(ours);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(RenderInstalled(*again), ours);
  }
}

// The record fields, each from the database apko wrote, in the order apko writes them now.
TEST(ApkInstalledDbTest, WolfiRecordInApkoOrder) {
  auto pkgs = ParseInstalledDb(Fixture("apko-installed/wolfi-base"));
  ASSERT_TRUE(pkgs.ok());
  const InstalledPackage* lib = nullptr;
  for (const auto& p : *pkgs)
    if (p.name == "libxcrypt") lib = &p;
  ASSERT_NE(lib, nullptr);
  EXPECT_THAT(RenderInstalledRecord(*lib),
              ::testing::StartsWith(
                  "P:libxcrypt\nV:4.4.38-r3\nA:x86_64\nL:GPL-2.0-or-later AND LGPL-2.1-or-later\n"
                  "T:Modern library for one-way hashing of passwords\no:libxcrypt\nm:wolfi\nU:\n"
                  "D:\np:\nr:libcrypt1<2.38-r15\nc:a33deee86b82e0e86a25b4d07a5054c020ab31f0\ni:[]\n"
                  "t:1753116971\nS:91792\nI:232503\nk:0\nC:Q1DMjbX27aceJZ6g1O6pHyIe2jDUo=\n"
                  "F:usr\nF:usr/lib\nR:libcrypt.so.1\na:0:0:0777\n"));
}

// What we write, the SBOM cataloger reads: same packages, versions and file digests.
TEST(ApkInstalledDbTest, CatalogerReadsWhatWeWrite) {
  auto pkgs = ParseInstalledDb(Fixture("apko-installed/wolfi-base"));
  ASSERT_TRUE(pkgs.ok());
  auto db = catalog::apk::ParseInstalled(RenderInstalled(*pkgs));
  EXPECT_TRUE(db.errors.empty());
  ASSERT_EQ(db.records.size(), pkgs->size());
  for (size_t i = 0; i < pkgs->size(); ++i) {
    EXPECT_EQ(db.records[i].name, (*pkgs)[i].name);
    EXPECT_EQ(db.records[i].version, (*pkgs)[i].version);
    EXPECT_EQ(db.records[i].meta.checksum, (*pkgs)[i].checksum);
    size_t files = 0;
    for (const auto& f : (*pkgs)[i].files) files += f.path.empty() ? 0 : 1;
    EXPECT_EQ(db.records[i].files.size(), files) << (*pkgs)[i].name;
  }
}

// apko's pathCompare: within one directory files come before subdirectories; a file whose
// directory the package does not list is left out (removeOrphanedEntries).
TEST(ApkInstalledDbTest, FilesBeforeDirectoriesAndNoOrphans) {
  InstalledPackage p;
  p.name = "x";
  p.files = {F("top"),          D("usr"),
             D("usr/bin"),      F("usr/bin/a", 0755, "Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
             F("usr/z"),        F("orphan/file"),
             D("usr/lib", 0700)};
  std::string r = RenderInstalledRecord(p);
  EXPECT_THAT(r, HasSubstr("k:0\nF:\nR:top\nF:usr\nR:z\nF:usr/bin\nR:a\na:0:0:0755\n"
                           "Z:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nF:usr/lib\nM:0:0:0700\n\n"));
  EXPECT_THAT(r, ::testing::Not(HasSubstr("orphan")));
  EXPECT_THAT(r, HasSubstr("U:\nD:\np:\nc:\ni:[]\nt:0\nS:0\nI:0\nk:0\n"));
  EXPECT_THAT(r, ::testing::Not(HasSubstr("r:")));
  EXPECT_THAT(r, ::testing::Not(HasSubstr("C:")));
}

TEST(ApkInstalledDbTest, InstallIfIsWrittenAsApkToolsReadsIt) {
  InstalledPackage p;
  p.name = "docs";
  p.install_if = {"foo", "docs-base"};
  EXPECT_THAT(RenderInstalledRecord(p), HasSubstr("\ni:foo docs-base\n"));
  auto back = ParseInstalledDb(RenderInstalledRecord(p));
  ASSERT_TRUE(back.ok());
  EXPECT_THAT((*back)[0].install_if, ElementsAre("foo", "docs-base"));
}

// Go's stable sort over more than one 20-entry block (insertion sort, then SymMerge).
TEST(ApkInstalledDbTest, OrderOfManyEntriesIsStableAndGrouped) {
  std::vector<InstalledFile> files;
  for (int i = 0; i < 30; ++i) files.push_back(D("d" + std::to_string(100 + i)));
  for (int i = 29; i >= 0; --i) files.push_back(F("f" + std::to_string(100 + i)));
  auto out = InstalledOrder(files);
  ASSERT_EQ(out.size(), 60u);
  EXPECT_EQ(out[0].path, "f100");
  EXPECT_EQ(out[29].path, "f129");
  EXPECT_EQ(out[30].path, "d100");
  EXPECT_EQ(out[59].path, "d129");
}

TEST(ApkInstalledDbTest, MalformedLinesAreErrorsWithTheirLine) {
  auto r = ParseInstalledDb("P:a\nV:1\nnot a field\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "line 3: expected 'K:value', got 'not a field'");
  r = ParseInstalledDb("P:a\nV:1\nF:etc\nM:0:0\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "line 4: bad 'M:' line: '0:0'");
  r = ParseInstalledDb("P:a\nZ:Q1xx\n");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("line 2: bad 'Z:'"));
  r = ParseInstalledDb("P:a\nt:soon\n");
  EXPECT_FALSE(r.ok());
}

TEST(ApkInstalledDbTest, Q1FromPaxHex) {
  // replayout's etc/os-release: the PAX APK-TOOLS.checksum.SHA1 hex and golden's Z: line.
  EXPECT_EQ(Q1FromHex("ca5e527bbb8a5cc9c4c2d2b4e29618d8ca3be5f8"),
            "Q1yl5Se7uKXMnEwtK04pYY2Mo75fg=");
  EXPECT_EQ(Q1FromHex("Q1abc"), "Q1abc");
  EXPECT_EQ(Q1FromHex("xyz"), "");
}

}  // namespace
}  // namespace distill::imagebuild::apk
