#include "vuln/version/version.h"

#include <gtest/gtest.h>

namespace distill::vuln::version {
namespace {

TEST(VersionDispatch, TableIsInEnumOrder) {
  auto s = Schemes();
  for (size_t i = 0; i < s.size(); ++i)
    EXPECT_EQ(static_cast<size_t>(s[i].ecosystem), i) << s[i].name;
}

TEST(VersionDispatch, Names) {
  EXPECT_EQ(*EcosystemByName("dpkg"), Ecosystem::kDpkg);
  EXPECT_EQ(*EcosystemByName("Debian:12"), Ecosystem::kDpkg);
  EXPECT_EQ(*EcosystemByName("Ubuntu:22.04:LTS"), Ecosystem::kDpkg);
  EXPECT_EQ(*EcosystemByName("Alpine:v3.19"), Ecosystem::kApk);
  EXPECT_EQ(*EcosystemByName("Wolfi"), Ecosystem::kApk);
  EXPECT_EQ(*EcosystemByName("Red Hat:enterprise_linux:9"), Ecosystem::kRpm);
  EXPECT_EQ(*EcosystemByName("PyPI"), Ecosystem::kPep440);
  EXPECT_EQ(*EcosystemByName("crates.io"), Ecosystem::kCrates);
  EXPECT_EQ(*EcosystemByName("Go"), Ecosystem::kGo);
  EXPECT_EQ(EcosystemByName("Hackage").error().message, "unknown version ecosystem \"Hackage\"");
}

TEST(VersionDispatch, CompareIsASignAndErrorsNameTheVersion) {
  EXPECT_EQ(*Compare(Ecosystem::kDpkg, "1.0~rc1-1", "1.0-1"), -1);
  EXPECT_EQ(*Compare(Ecosystem::kApk, "1.2.3-r1", "1.2.3_rc1-r0"), 1);
  EXPECT_EQ(*Compare(Ecosystem::kPep440, "1.0.post1", "1.0"), 1);
  EXPECT_EQ(*Compare(Ecosystem::kNpm, "v1.2.3", "1.2.3"), 0);
  EXPECT_EQ(Compare(Ecosystem::kApk, "1.0", "1.0bc").error().message,
            "invalid apk version \"1.0bc\"");
  EXPECT_EQ(Compare(Ecosystem::kCrates, "1.0", "1.0.0").error().message,
            "invalid crates.io (SemVer) version \"1.0\"");
  // An empty version is invalid everywhere but RubyGems, where Gem::Version.new("") is "0".
  for (const Scheme& s : Schemes()) {
    EXPECT_EQ(Compare(s.ecosystem, "", "1").ok(), s.ecosystem == Ecosystem::kRubyGems) << s.name;
  }
}

}  // namespace
}  // namespace distill::vuln::version
