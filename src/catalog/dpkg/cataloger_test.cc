#include "catalog/dpkg/cataloger.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "catalog/catalog.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"
#include "util/glob.h"

namespace distill::catalog::dpkg {
namespace {

using testing::FixtureDir;
using testing::IndexFromDir;
using testing::IndexFromFiles;
using testing::IndexFromTxtar;
using V = std::vector<std::string>;

const std::string kSyft = "/anchore_syft/syft/pkg/cataloger/debian/testdata/";
const std::string kTrivy = "/aquasecurity_trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/";

catalog::Catalog RunOs(const image::FileIndex& files) {
  auto c = CatalogOs(files);
  EXPECT_TRUE(c.ok());
  return c.ok() ? *c : catalog::Catalog{};
}

V LocationPaths(const Package& p) {
  V out;
  for (const auto& l : p.locations) out.push_back(l.path);
  return out;
}

// name -> sorted names of the packages it depends on.
std::map<std::string, V> DependsOnMap(const catalog::Catalog& c) {
  std::map<std::string, std::string> id_to_name;
  for (const Package& p : c.packages) id_to_name[p.id()] = p.name;
  std::map<std::string, std::set<std::string>> m;
  for (const Relationship& r : c.relationships)
    if (r.type == "depends-on") m[id_to_name[r.from]].insert(id_to_name[r.to]);
  std::map<std::string, V> out;
  for (auto& [k, v] : m) out[k] = V(v.begin(), v.end());
  return out;
}

// syft cataloger_test.go TestDpkgCataloger "image-dpkg".
TEST(DpkgCatalogerTest, ImageDpkg) {
  catalog::Catalog c = RunOs(IndexFromDir(FixtureDir() + kSyft + "image-dpkg"));
  EXPECT_EQ(c.distro.id, "debian");
  ASSERT_EQ(c.packages.size(), 1u);
  const Package& p = c.packages[0];
  EXPECT_EQ(p.name, "libpam-runtime");
  EXPECT_EQ(p.version, "1.1.8-3.6");
  EXPECT_EQ(p.type, "deb");
  EXPECT_EQ(p.found_by, "dpkg-db-cataloger");
  EXPECT_EQ(p.purl,
            "pkg:deb/debian/libpam-runtime@1.1.8-3.6?arch=all&distro=debian-12&upstream=pam");
  EXPECT_EQ(p.source_name, "pam");
  // syft: ["GPL-1", "GPL-2", "LGPL-2.1"] as Debian names; see parse_copyright_test.cc for GPL-1.
  EXPECT_EQ(p.licenses, (V{"GPL-2.0-only", "LGPL-2.1-only"}));
  EXPECT_EQ(std::get<DpkgMetadata>(p.metadata).license_names, (V{"GPL-2", "LGPL-2.1"}));
  EXPECT_EQ(LocationPaths(p), (V{"var/lib/dpkg/status", "var/lib/dpkg/info/libpam-runtime.md5sums",
                                 "var/lib/dpkg/info/libpam-runtime.conffiles",
                                 "var/lib/dpkg/info/libpam-runtime.preinst",
                                 "usr/share/doc/libpam-runtime/copyright"}));
  EXPECT_EQ(p.locations[0].layer_digest, "sha256:test");
  // Files: md5sums and conffiles merged, sorted by path.
  ASSERT_FALSE(p.files.empty());
  EXPECT_TRUE(
      std::is_sorted(p.files.begin(), p.files.end(),
                     [](const OwnedFile& a, const OwnedFile& b) { return a.path < b.path; }));
  for (const OwnedFile& f : p.files) EXPECT_EQ(f.algorithm, "md5") << f.path;
  // The fixture's status opens with an empty "Package:" paragraph: an unknown, not a package.
  ASSERT_EQ(c.unknowns.size(), 1u);
  EXPECT_EQ(c.unknowns[0].location.path, "var/lib/dpkg/status");
  EXPECT_EQ(c.unknowns[0].message, "line 1: field \"Package\": missing");
}

// "image-distroless-deb": status.d/<pkg> + status.d/<pkg>.md5sums; no os-release, so no purl.
TEST(DpkgCatalogerTest, ImageDistrolessDeb) {
  catalog::Catalog c = RunOs(IndexFromDir(FixtureDir() + kSyft + "image-distroless-deb"));
  EXPECT_TRUE(c.unknowns.empty());
  ASSERT_EQ(c.packages.size(), 1u);
  const Package& p = c.packages[0];
  EXPECT_EQ(p.name, "libsqlite3-0");
  EXPECT_EQ(p.version, "3.34.1-3");
  EXPECT_EQ(p.purl, "");
  EXPECT_EQ(p.source_name, "sqlite3");
  EXPECT_EQ(p.arch, "arm64");
  const auto& m = std::get<DpkgMetadata>(p.metadata);
  EXPECT_EQ(m.installed_size_kib, 1490u);
  EXPECT_EQ(m.depends, V{"libc6 (>= 2.29)"});
  EXPECT_EQ(p.depends_on, V{"libc6"});
  EXPECT_EQ(p.files.size(), 6u);
  // syft: ["public-domain", "GPL-2+", "GPL-2"]; see parse_copyright_test.cc.
  EXPECT_EQ(m.license_names, (V{"public-domain", "GPL-2+"}));
  EXPECT_EQ(p.licenses, V{"GPL-2.0-or-later"});
  EXPECT_EQ(
      LocationPaths(p),
      (V{"var/lib/dpkg/status.d/libsqlite3-0", "var/lib/dpkg/status.d/libsqlite3-0.md5sums",
         "var/lib/dpkg/status.d/libsqlite3-0.preinst", "usr/share/doc/libsqlite3-0/copyright"}));
}

const std::string kTestdata = std::string(DISTILL_SOURCE_DIR) + "/src/catalog/dpkg/testdata/";

V Names(const catalog::Catalog& c) {
  V out;
  for (const Package& p : c.packages) out.push_back(p.name + " " + p.version);
  return out;
}

V Unknowns(const catalog::Catalog& c) {
  V out;
  for (const Unknown& u : c.unknowns) out.push_back(u.location.path + ": " + u.message);
  return out;
}

// A status file dpkg wrote after `dpkg --remove removeme` (testdata/PROVENANCE.md): the removed
// package's record stays, "deinstall ok config-files", and is not a package.
TEST(DpkgCatalogerTest, RealRemovedPackage) {
  catalog::Catalog c = RunOs(IndexFromDir(kTestdata + "removed"));
  EXPECT_EQ(Names(c), V{"keepme 1.0-1"});
  EXPECT_TRUE(c.unknowns.empty());
}

// Real minbase paragraphs, edited: a record without Status: (dpkg: "unknown ok not-installed")
// and one in config-files are not installed; an installed one without a Version:, or with one
// dpkg rejects, is an unknown at the file, never a package with an empty or broken version.
TEST(DpkgCatalogerTest, EditedMinbaseStatus) {
  catalog::Catalog c = RunOs(IndexFromDir(kTestdata + "minbase-edited"));
  EXPECT_EQ(Names(c), V{"base-files 12.4+deb12u15"});
  EXPECT_EQ(Unknowns(c), (V{"var/lib/dpkg/status: line 67: package \"init-system-helpers\": field "
                            "\"Version\": missing",
                            "var/lib/dpkg/status: line 91: package \"libcap-ng0\": field "
                            "\"Version\": invalid dpkg version "
                            "\"1 beta 0.8.3-1+b3\": version string has embedded spaces"}));
}

// In status.d (distroless) no Status: line is installed; syft's "multiple" fixture has an entry
// without a Version, which syft keeps as a package with an empty version.
TEST(DpkgCatalogerTest, StatusDWithoutVersionIsAnUnknown) {
  catalog::Catalog c = RunOs(IndexFromFiles(
      {{"var/lib/dpkg/status.d/multiple",
        *ReadFile(FixtureDir() + kSyft + "var/lib/dpkg/status.d/multiple")},
       {"var/lib/dpkg/status.d/libsqlite3-0",
        "Package: libsqlite3-0\nVersion: 3.40.1-2+deb12u1\nArchitecture: amd64\n"}}));
  EXPECT_EQ(Names(c), (V{"libsqlite3-0 3.40.1-2+deb12u1", "tzdata 2020a-0+deb10u1",
                         "util-linux 2.33.1-0.1"}));
  EXPECT_EQ(Unknowns(c), (V{"var/lib/dpkg/status.d/multiple: line 1: field \"Package\": missing",
                            "var/lib/dpkg/status.d/multiple: line 3: package \"no-version\": field "
                            "\"Version\": missing"}));
}

std::string StatusDText(const std::string& fixture) {
  auto text = ReadFile(FixtureDir() + kSyft + "var/lib/dpkg/status.d/" + fixture);
  EXPECT_TRUE(text.ok());
  return text.ok() ? *text : "";
}

// syft's relationship fixtures are made-up paragraphs, most without a Version: (syft keeps them as
// packages with an empty version; here each is an unknown). To test the relationships syft
// expects, every paragraph without one gets "Version: 0".
std::string WithVersions(std::string_view text) {
  std::string fixed;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    end = end == std::string_view::npos ? text.size() : end + 2;
    std::string para(text.substr(pos, end - pos));
    size_t first = para.find_first_not_of('\n');
    if (first != std::string::npos && para.compare(first, 8, "Package:") == 0 &&
        para.find("\nVersion:") == std::string::npos) {
      size_t nl = para.find('\n', first);
      if (nl == std::string::npos)
        para += "\nVersion: 0";
      else
        para.insert(nl + 1, "Version: 0\n");
    }
    fixed += para;
    pos = end;
  }
  return fixed;
}

image::FileIndex StatusD(const std::string& fixture) {
  return IndexFromFiles({{"var/lib/dpkg/status.d/" + fixture, WithVersions(StatusDText(fixture))}});
}

// As written: each record without a Version: is an unknown naming it.
TEST(DpkgCatalogerTest, RelationshipFixturesWithoutVersions) {
  for (auto [fixture, unknowns] :
       {std::pair{"doc-examples", 11u}, {"libpam-runtime", 5u}, {"coreutils-relationships", 0u}}) {
    catalog::Catalog c = RunOs(
        IndexFromFiles({{std::string("var/lib/dpkg/status.d/") + fixture, StatusDText(fixture)}}));
    EXPECT_EQ(c.unknowns.size(), unknowns) << fixture;
    for (const Unknown& u : c.unknowns)
      EXPECT_TRUE(u.message.ends_with("field \"Version\": missing")) << u.message;
  }
}

// syft cataloger_test.go Test_CatalogerRelationships.
TEST(DpkgCatalogerTest, RelationshipsCoreutils) {
  EXPECT_EQ(DependsOnMap(RunOs(StatusD("coreutils-relationships"))),
            (std::map<std::string, V>{
                {"coreutils", {"libacl1", "libattr1", "libc6", "libgmp10", "libselinux1"}},
                {"libacl1", {"libc6"}},
                {"libattr1", {"libc6"}},
                {"libc6", {"libgcc-s1"}},
                {"libgcc-s1", {"gcc-12-base", "libc6"}},
                {"libgmp10", {"libc6"}},
                {"libpcre2-8-0", {"libc6"}},
                {"libselinux1", {"libc6", "libpcre2-8-0"}}}));
}

TEST(DpkgCatalogerTest, RelationshipsDocExamples) {
  EXPECT_EQ(DependsOnMap(RunOs(StatusD("doc-examples"))),
            (std::map<std::string, V>{
                {"made-up-package-1", {"gnumach-dev", "hurd-dev", "kernel-headers-2.2.10"}},
                {"made-up-package-2", {"liblua5.1-dev", "libluajit5.1-dev"}},
                {"made-up-package-3", {"bar", "foo"}},
                {"made-up-package-4", {"made-up-package-5"}},
                {"mutt", {"default-mta", "libc6", "mail-transport-agent"}}}));
}

TEST(DpkgCatalogerTest, RelationshipsLibpamRuntime) {
  EXPECT_EQ(DependsOnMap(RunOs(StatusD("libpam-runtime"))),
            (std::map<std::string, V>{
                {"libpam-runtime",
                 {"cdebconf", "debconf-2.0", "debconf1", "debconf2", "libpam-modules"}}}));
}

// TestCataloger_Globs: every file syft's dpkg cataloger opens is captured by our globs, except
// opkg's info/<pkg>.control (a copy of the status paragraph; we read opkg's status file only).
TEST(DpkgCatalogerTest, GlobsCoverTheFilesSyftReads) {
  V globs = CatalogGlobs();
  for (const char* f :
       {"usr/lib/dpkg/status", "var/lib/dpkg/status", "usr/lib/dpkg/status.d/pkg-1.0",
        "var/lib/dpkg/status.d/pkg-1.0", "usr/lib/opkg/status",
        "usr/lib/dpkg/info/libpam-runtime.md5sums", "usr/share/doc/libpam-runtime/copyright"}) {
    bool matched = false;
    for (const auto& g : globs) matched = matched || GlobMatch(g, f);
    EXPECT_TRUE(matched) << f;
  }
  catalog::Catalog c = RunOs(IndexFromDir(FixtureDir() + kSyft + "glob-paths"));
  // Only usr/lib/dpkg/status is a real database there; the other files hold "bogus ..." lines.
  V names, unknowns;
  for (const Package& p : c.packages) names.push_back(p.name + "@" + p.locations[0].path);
  for (const Unknown& u : c.unknowns) unknowns.push_back(u.location.path);
  EXPECT_EQ(names, V{"libpam-runtime@usr/lib/dpkg/status"});
  // usr/lib/dpkg/status: its leading empty "Package:" paragraph, as in image-dpkg.
  EXPECT_EQ(unknowns,
            (V{"usr/lib/dpkg/status", "usr/lib/dpkg/status.d/pkg-1.0", "usr/lib/opkg/status",
               "var/lib/dpkg/status", "var/lib/dpkg/status.d/pkg-1.0"}));
}

image::FileIndex Txtar(const std::string& name) {
  auto text = ReadFile(FixtureDir() + kTrivy + name);
  EXPECT_TRUE(text.ok());
  return IndexFromTxtar(text.ok() ? *text : "");
}

// trivy dpkg_test.go TestDpkgAnalyzer_Analyze.
TEST(DpkgCatalogerTest, TrivyOnlyApt) {
  catalog::Catalog c = RunOs(Txtar("only-apt.txtar"));
  ASSERT_EQ(c.packages.size(), 1u);
  const Package& p = c.packages[0];
  EXPECT_EQ(p.name, "apt");
  EXPECT_EQ(p.version, "1.6.3ubuntu0.1");
  EXPECT_EQ(p.arch, "amd64");
  EXPECT_EQ(p.source_name, "");     // trivy srcName "apt": same as the binary
  EXPECT_EQ(p.source_version, "");  // trivy srcVersion "1.6.3ubuntu0.1": same as the binary
}

TEST(DpkgCatalogerTest, TrivyDigestFromAvailable) {
  catalog::Catalog c = RunOs(Txtar("digest.txtar"));
  ASSERT_EQ(c.packages.size(), 2u);
  EXPECT_EQ(c.packages[0].name, "sed");
  EXPECT_EQ(c.packages[0].version, "4.4-2");
  EXPECT_EQ(std::get<DpkgMetadata>(c.packages[0].metadata).archive_sha256,
            "");  // available lists 4.7-1
  EXPECT_EQ(c.packages[1].name, "tar");
  EXPECT_EQ(c.packages[1].version, "1.34+dfsg-1");
  EXPECT_EQ(std::get<DpkgMetadata>(c.packages[1].metadata).archive_sha256,
            "bd8e963c6edcf1c806df97cd73560794c347aa94b9aaaf3b88eea585bb2d2f3c");
}

TEST(DpkgCatalogerTest, TrivyMd5sumsInstalledFiles) {
  catalog::Catalog c = RunOs(Txtar("md5sums.txtar"));
  ASSERT_EQ(c.packages.size(), 1u);
  V paths;
  for (const OwnedFile& f : c.packages[0].files) paths.push_back("/" + f.path);
  EXPECT_EQ(paths, (V{"/usr/bin/tar", "/usr/lib/mime/packages/tar", "/usr/sbin/rmt-tar",
                      "/usr/sbin/tarcat", "/usr/share/doc/tar/AUTHORS",
                      "/usr/share/doc/tar/NEWS.gz", "/usr/share/doc/tar/README.Debian",
                      "/usr/share/doc/tar/THANKS.gz", "/usr/share/doc/tar/changelog.Debian.gz",
                      "/usr/share/doc/tar/copyright", "/usr/share/man/man1/tar.1.gz",
                      "/usr/share/man/man1/tarcat.1.gz", "/usr/share/man/man8/rmt-tar.8.gz"}));
}

// trivy splits "5:20.10.7~3-0~debian-buster" into epoch 5, version, release; we keep the Debian
// version whole (as dpkg-query prints it). trivy's repositoryClass is not modelled.
TEST(DpkgCatalogerTest, TrivyThirdPartyEpoch) {
  catalog::Catalog c = RunOs(Txtar("third-party.txtar"));
  ASSERT_EQ(c.packages.size(), 2u);
  EXPECT_EQ(c.packages[0].name, "apt");
  EXPECT_EQ(c.packages[0].version, "1.6.3ubuntu0.1");
  EXPECT_EQ(c.packages[1].name, "docker-ce");
  EXPECT_EQ(c.packages[1].version, "5:20.10.7~3-0~debian-buster");
}

TEST(DpkgCatalogerTest, ListFilesAndMultiArchInfo) {
  image::FileIndex files = IndexFromFiles({
      {"etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"},
      {"etc/debian_version", "12.12\n"},
      {"var/lib/dpkg/status",
       "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: "
       "same\nVersion: 2.36-9+deb12u13\n"
       "Source: glibc\n\nPackage: bash\nStatus: install ok installed\nArchitecture: "
       "amd64\nVersion: 5.2.15-2+b8\n"
       "Source: bash (5.2.15-2)\nPre-Depends: libc6 (>= 2.36)\n\nPackage: gone\nStatus: deinstall "
       "ok config-files\n"
       "Architecture: amd64\nVersion: 1\n"},
      {"var/lib/dpkg/info/libc6:amd64.list",
       "/.\n/usr\n/usr/lib\n/usr/lib/libc.so.6\n/usr/lib/missing.so\n"},
      {"var/lib/dpkg/info/libc6:amd64.md5sums",
       "0123456789abcdef0123456789abcdef  usr/lib/libc.so.6\n"},
      {"var/lib/dpkg/info/bash.list", "/.\n/usr\n/usr/bin\n/usr/bin/bash\n/bin/rbash\n"},
      {"usr/bin/rbash", "ELF"},
      {"usr/bin/bash", "ELF"},
      {"usr/lib/libc.so.6", "ELF"},
      {"usr/share/doc/bash/copyright",
       "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
       "Files: *\nLicense: GPL-3+\n"},
  });
  std::vector<image::Entry> entries = files.entries();
  image::Entry bin;
  bin.path = "bin";
  bin.type = image::FileType::kSymlink;
  bin.link = "usr/bin";
  entries.push_back(bin);
  image::Entry doc;  // Policy 12.5: libc6's doc directory shared with (here) bash
  doc.path = "usr/share/doc/libc6";
  doc.type = image::FileType::kSymlink;
  doc.link = "bash";
  entries.push_back(doc);
  std::unordered_map<std::string, std::string> contents;
  for (const auto& e : files.entries())
    if (e.type == image::FileType::kRegular) contents[e.path] = *files.Contents(e.path);
  catalog::Catalog c = RunOs(image::FileIndex(entries, {"sha256:test"}, contents, nullptr));
  ASSERT_EQ(c.packages.size(), 2u);
  const Package& bash = c.packages[0];
  EXPECT_EQ(bash.name, "bash");
  EXPECT_EQ(bash.source_name, "");
  EXPECT_EQ(bash.source_version, "5.2.15-2");
  EXPECT_EQ(
      bash.purl,
      "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12.12&upstream=bash%405.2.15-2");
  // bin/rbash exists only through the usr-merge symlink bin -> usr/bin.
  EXPECT_EQ(bash.files, (std::vector<OwnedFile>{{"bin/rbash", "", ""}, {"usr/bin/bash", "", ""}}));
  const Package& libc = c.packages[1];
  EXPECT_EQ(
      libc.files,
      (std::vector<OwnedFile>{{"usr/lib/libc.so.6", "md5", "0123456789abcdef0123456789abcdef"}}));
  EXPECT_EQ(LocationPaths(libc),
            (V{"var/lib/dpkg/status", "var/lib/dpkg/info/libc6:amd64.md5sums",
               "var/lib/dpkg/info/libc6:amd64.list", "usr/share/doc/bash/copyright"}));
  EXPECT_EQ(libc.licenses, V{"GPL-3.0-or-later"});
  EXPECT_EQ(bash.licenses, V{"GPL-3.0-or-later"});
  ASSERT_EQ(c.relationships.size(), 1u);
  EXPECT_EQ(c.relationships[0].from, bash.id());
  EXPECT_EQ(c.relationships[0].to, libc.id());
}

}  // namespace
}  // namespace distill::catalog::dpkg
