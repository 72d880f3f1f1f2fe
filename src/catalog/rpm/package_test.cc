// NewPackage and PackageUrl on the headers rpm 4.18 wrote (rpm/rpmdb.qa, deps.qa) and on
// container-manifest-2's records: version with epoch, source package, dependencies, metadata.
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/rpm/cataloger.h"
#include "catalog/rpm/parse_db.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::rpm {
namespace {

using V = std::vector<std::string>;

std::vector<HeaderInfo> Headers() {
  auto db = ReadSqlite(ReadFile(testing::FixtureDir() + "/rpm/rpmdb.sqlite").value());
  EXPECT_TRUE(db.ok());
  std::vector<HeaderInfo> out;
  for (const std::string& b : db->blobs) out.push_back(ParseHeaderBlob(b).value());
  std::sort(out.begin(), out.end(),
            [](const HeaderInfo& a, const HeaderInfo& b) { return a.name < b.name; });
  return out;  // hello, world
}

const image::Location kWhere{"var/lib/rpm/rpmdb.sqlite", "sha256:test"};

TEST(RpmPackageTest, HelloWithEpochOnRhel) {
  std::vector<HeaderInfo> h = Headers();
  ASSERT_EQ(h.size(), 2u);
  Package p = NewPackage(h[0], Distro{.id = "rhel", .version_id = "9.4"}, kWhere);
  EXPECT_EQ(p.name, "hello");
  EXPECT_EQ(p.version, "1:1.0-2.fx");
  EXPECT_EQ(p.type, "rpm");
  EXPECT_EQ(p.found_by, "rpm-db-cataloger");
  EXPECT_EQ(p.arch, "noarch");
  EXPECT_EQ(p.licenses, V{"MIT AND Apache-2.0"});
  EXPECT_EQ(p.purl,
            "pkg:rpm/redhat/"
            "hello@1.0-2.fx?arch=noarch&distro=rhel-9.4&epoch=1&upstream=hello-1.0-2.fx.src.rpm");
  EXPECT_EQ(p.locations, std::vector<image::Location>{kWhere});
  EXPECT_EQ(p.source_name, "");  // hello-1.0-2.fx.src.rpm: its own source
  EXPECT_EQ(p.source_version, "");
  EXPECT_EQ(p.depends_on, V{"world"});  // rpmlib(...) requirements are rpm's, not packages
  EXPECT_EQ(p.files.size(), 2u);        // /usr/bin/hello and the symlink (files.qa)
  const auto& m = std::get<RpmMetadata>(p.metadata);
  EXPECT_TRUE(m.has_epoch);
  EXPECT_EQ(m.epoch, 1u);
  EXPECT_EQ(m.release, "2.fx");
  EXPECT_EQ(m.source_rpm, "hello-1.0-2.fx.src.rpm");
  EXPECT_EQ(m.provides, V{"hello"});
  EXPECT_EQ(m.requires_.size(), 4u);
}

TEST(RpmPackageTest, WorldWithoutDistro) {
  Package p = NewPackage(Headers().at(1), Distro{}, kWhere);
  EXPECT_EQ(p.version, "2.5-1");
  EXPECT_EQ(p.purl, "pkg:rpm/world@2.5-1?arch=noarch&upstream=world-2.5-1.src.rpm");
  EXPECT_TRUE(p.depends_on.empty());  // config(world) and rpmlib(...) only
  const auto& m = std::get<RpmMetadata>(p.metadata);
  EXPECT_FALSE(m.has_epoch);
  V provides = m.provides;
  std::sort(provides.begin(), provides.end());
  EXPECT_EQ(provides, (V{"config(world)", "planet", "world"}));
}

TEST(RpmPackageTest, SourcePackageFromSourceRpm) {
  auto manifest = ParseContainerManifest(
      ReadFile(testing::FixtureDir() +
               "/anchore_syft/syft/pkg/cataloger/redhat/testdata/container-manifest-2")
          .value());
  ASSERT_TRUE(manifest.ok());
  Package openssl =
      NewPackage(manifest->at(3), Distro{.id = "mariner", .version_id = "2.0"}, kWhere);
  EXPECT_EQ(openssl.name, "openssl-libs");
  EXPECT_EQ(openssl.source_name, "openssl");
  EXPECT_EQ(openssl.source_version, "");  // same version-release as the binary package
  EXPECT_EQ(openssl.purl,
            "pkg:rpm/mariner/"
            "openssl-libs@1.1.1k-15.cm2?arch=x86_64&distro=mariner-2.0&upstream=openssl-1.1.1k-15."
            "cm2.src.rpm");
  EXPECT_EQ(std::get<RpmMetadata>(openssl.metadata).vendor, "Microsoft Corporation");
  Package vim = NewPackage(manifest->at(4), Distro{}, kWhere);
  EXPECT_EQ(vim.version, "2:9.0-1.cm2");
  EXPECT_EQ(vim.source_version, "");  // compared without the epoch, which a source rpm's name lacks

  HeaderInfo h;
  h.name = "libfoo";
  h.version = "1.0";
  h.release = "1";
  h.source_rpm = "foo-2.0-3.nosrc.rpm";
  Package p = NewPackage(h, Distro{}, kWhere);
  EXPECT_EQ(p.source_name, "foo");
  EXPECT_EQ(p.source_version, "2.0-3");
  h.source_rpm = "nodashes.src.rpm";
  p = NewPackage(h, Distro{}, kWhere);
  EXPECT_EQ(p.source_name, "");
  EXPECT_EQ(p.source_version, "");
  h.source_rpm = "-1.src.rpm";
  EXPECT_EQ(NewPackage(h, Distro{}, kWhere).source_name, "");
}

}  // namespace
}  // namespace distill::catalog::rpm
