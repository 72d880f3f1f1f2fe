#include "sbom/sbom.h"

#include <gtest/gtest.h>

#include "sbom/testing/sample_sbom.h"
#include "sbom/uuid.h"

namespace distill::sbom {
namespace {

TEST(SbomTime, FixedEpochWhenNoTimeGiven) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(1700000000), "2023-11-14T22:13:20Z");
}

TEST(SbomTime, SourceDateEpoch) {
  EXPECT_EQ(*ParseSourceDateEpoch(""), 0);
  EXPECT_EQ(*ParseSourceDateEpoch("1700000000"), 1700000000);
  EXPECT_EQ(ParseSourceDateEpoch("-1").error().message,
            "SOURCE_DATE_EPOCH: '-1' is not a number of seconds since 1970-01-01");
  EXPECT_FALSE(ParseSourceDateEpoch("12abc").ok());
  EXPECT_FALSE(ParseSourceDateEpoch("99999999999999").ok());
}

TEST(SbomUuid, MatchesRfc9562Version5) {
  // Python: uuid.uuid5(uuid.NAMESPACE_URL, "distill:sbom") and uuid.uuid5(that, "hello").
  EXPECT_EQ(UuidV5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "distill:sbom"), kDistillUuidNamespace);
  EXPECT_EQ(UuidV5(kDistillUuidNamespace, "hello"), "712f8b4e-b746-50be-a48e-86bfe88d79f7");
}

TEST(SbomGraph, ResolvesNamesProvidesAlternativesAndRelationships) {
  Sbom s = testing::SampleSbom();
  auto g = DependencyGraph(s.catalog);
  auto key = [&](std::string_view name) {
    for (const auto& p : s.catalog.packages) {
      if (p.name == name) return PackageKey(p);
    }
    return std::string();
  };
  EXPECT_EQ(g[key("bash")], (std::vector<std::string>{key("base-files"), key("libc6")}));
  EXPECT_EQ(g[key("libc6")], (std::vector<std::string>{key("libgcc-s1")}));
  EXPECT_EQ(g[key("libgcc-s1")], (std::vector<std::string>{key("libc6")}));
  EXPECT_TRUE(g[key("tzdata")].empty());  // debconf | debconf-2.0: neither installed

  catalog::Catalog c;
  catalog::Package musl, busybox;
  musl.name = "musl", musl.type = "apk";
  catalog::ApkMetadata apk;
  apk.provides = {"so:libc.musl-x86_64.so.1=1"};
  musl.metadata = apk;
  busybox.name = "busybox", busybox.type = "apk";
  busybox.depends_on = {"so:libc.musl-x86_64.so.1"};
  c.packages = {musl, busybox};
  EXPECT_EQ(DependencyGraph(c)[PackageKey(busybox)], (std::vector<std::string>{PackageKey(musl)}));
}

TEST(SbomGraph, ReadsMetadataClausesToo) {
  catalog::Catalog c;
  catalog::Package a, b, d;
  a.name = "a", b.name = "b", d.name = "d";
  a.type = b.type = d.type = "deb";
  catalog::DpkgMetadata dpkg;
  dpkg.pre_depends = {"b:any (>= 1)"};
  dpkg.depends = {"x | d, y"};
  a.metadata = dpkg;
  c.packages = {a, b, d};
  EXPECT_EQ(DependencyGraph(c)[PackageKey(a)],
            (std::vector<std::string>{PackageKey(b), PackageKey(d)}));
}

TEST(SbomImagePurl, FromRepoTagAndPlatform) {
  SourceInfo src{"registry.example/team/app:1.2",   "docker-archive", "sha256:abcd", "",
                 {"registry.example/team/app:1.2"}, "linux/arm64/v8"};
  EXPECT_EQ(
      ImagePurl(src),
      "pkg:oci/app@sha256:abcd?arch=arm64&repository_url=registry.example%2Fteam%2Fapp&tag=1.2");
  SourceInfo untagged{"docker-archive:out/App.tar", "docker-archive", "sha256:abcd", "", {}, ""};
  EXPECT_EQ(ImagePurl(untagged), "pkg:oci/app.tar@sha256:abcd");
  EXPECT_EQ(ImagePurl(SourceInfo{"dir:/rootfs", "dir", "", "", {}, ""}), "");
}

}  // namespace
}  // namespace distill::sbom
