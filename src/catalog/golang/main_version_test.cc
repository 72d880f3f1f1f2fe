// The main module's version from -ldflags -X and from VCS build settings, on the flag spellings
// found in real builds (syft's and trivy's test cases name the same forms).
#include "catalog/golang/main_version.h"

#include <gtest/gtest.h>

namespace distill::catalog::golang {
namespace {

TEST(GoMainVersionTest, SplitQuotedAsCmdGo) {
  EXPECT_EQ(SplitQuoted("-s -w  -X main.version=1.2.3"),
            (std::vector<std::string>{"-s", "-w", "-X", "main.version=1.2.3"}));
  EXPECT_EQ(SplitQuoted("-X 'main.version=1.2.3' -X \"main.commit=a b\""),
            (std::vector<std::string>{"-X", "main.version=1.2.3", "-X", "main.commit=a b"}));
  EXPECT_EQ(SplitQuoted("-X='main.version=1.2.3'"),
            (std::vector<std::string>{"-X='main.version=1.2.3'"}));  // quotes inside a word stay
  EXPECT_TRUE(SplitQuoted("-X 'main.version=1.2.3").empty());        // unterminated
  EXPECT_TRUE(SplitQuoted(" \t\n").empty());
}

TEST(GoMainVersionTest, LdflagsVariables) {
  const std::string mod = "github.com/acme/app";
  auto v = [&](std::string_view flags) { return VersionFromLdflags(flags, mod); };
  // The spellings trivy's ParseLDFlags accepts (-X a=b, -X=a=b, quoted) and syft's names.
  EXPECT_EQ(v("-X main.version=1.0.0"), "v1.0.0");
  EXPECT_EQ(v("-X=main.version=1.0.0"), "v1.0.0");
  EXPECT_EQ(v("-X 'main.version=1.0.0'"), "v1.0.0");
  EXPECT_EQ(v("-X='main.version=1.0.0'"), "v1.0.0");
  EXPECT_EQ(v("-X=\"main.version=1.0.0\""), "v1.0.0");
  EXPECT_EQ(v("--X main.Version=v2.3.4-rc.1+meta"), "v2.3.4-rc.1+meta");
  EXPECT_EQ(v("-s -w -X main.gitVersion=1.2.3 -X main.commit=abcdef"), "v1.2.3");
  EXPECT_EQ(v("-X main.buildVersion=1.2.3"), "v1.2.3");
  EXPECT_EQ(v("-X main.releaseVersion=1.2.3"), "v1.2.3");
  EXPECT_EQ(v("-X main.gitTag=refs/tags/v0.9.1"), "v0.9.1");
  EXPECT_EQ(v("-X github.com/aquasecurity/trivy/pkg/version/app.ver=0.50.1"), "v0.50.1");
  EXPECT_EQ(v("-X github.com/acme/app/internal/version.Version=3.1.4"), "v3.1.4");
  EXPECT_EQ(v("-X github.com/prometheus/common/version.Version=2.45.0 -X "
              "github.com/prometheus/common/version.Revision=abc"),
            "v2.45.0");
  // The main package or module outranks a well-known version package, which outranks others.
  EXPECT_EQ(v("-X github.com/prometheus/common/version.Version=2.45.0 -X main.version=1.0.0"),
            "v1.0.0");
  EXPECT_EQ(v("-X github.com/other/lib/build.Version=9.9.9 -X "
              "github.com/prometheus/common/version.Version=2.45.0"),
            "v2.45.0");
  EXPECT_EQ(v("-X github.com/other/lib/build.Version=9.9.9"), "v9.9.9");
  // Two different versions of one rank: none (trivy); the same one twice is one.
  EXPECT_EQ(v("-X main.version=1.0.0 -X main.appVersion=2.0.0"), "");
  EXPECT_EQ(v("-X main.version=1.0.0 -X main.Version=v1.0.0"), "v1.0.0");
  // No version: other variables, values that are no semantic version, no -X, a module path
  // that only starts like the main module's.
  EXPECT_EQ(v("-X main.commit=1.2.3"), "");
  EXPECT_EQ(v("-X main.version=dev"), "");
  EXPECT_EQ(v("-X main.version=1.2"), "");
  EXPECT_EQ(v("-X main.version=01.2.3"), "");
  EXPECT_EQ(v("-X main.version=1.2.3-"), "");
  EXPECT_EQ(v("-X main.version"), "");
  EXPECT_EQ(v("-linkmode external -extldflags -static"), "");
  EXPECT_EQ(v("-X version=1.2.3"), "");
  EXPECT_EQ(v("-X main.version=1.2.3 -X 'main.x=1"),
            "");  // cmd/go would reject the unterminated quote
  EXPECT_EQ(
      VersionFromLdflags(
          "-X github.com/acme/application.Version=1.0.0 -X github.com/x/common.Version=2.0.0", mod),
      "v2.0.0");
}

BuildInfo Main(std::string version, std::vector<std::pair<std::string, std::string>> settings) {
  BuildInfo bi;
  bi.go_version = "go1.19.8";
  bi.main = {"github.com/acme/app", std::move(version), "", "", "", ""};
  bi.settings = std::move(settings);
  return bi;
}

TEST(GoMainVersionTest, OnlyWhenTheBuildInfoHasNone) {
  EXPECT_EQ(MainModuleVersion(Main("v1.5.0", {{"-ldflags", "-X main.version=1.2.3"}})),
            "v1.5.0");  // go install x@v1.5.0
  EXPECT_EQ(MainModuleVersion(Main("(devel)", {{"-ldflags", "-X main.version=1.2.3"}})), "v1.2.3");
  EXPECT_EQ(MainModuleVersion(Main("", {{"-ldflags", "-X main.version=1.2.3"}})), "v1.2.3");
  EXPECT_EQ(MainModuleVersion(Main("(devel)", {})), "(devel)");
  // From the VCS settings go build records in a checkout, as syft (module.PseudoVersion).
  auto vcs = Main("(devel)", {{"vcs", "git"},
                              {"vcs.revision", "0123456789abcdef0123456789abcdef01234567"},
                              {"vcs.time", "2023-10-11T12:13:14Z"},
                              {"vcs.modified", "false"}});
  EXPECT_EQ(MainModuleVersion(vcs), "v0.0.0-20231011121314-0123456789ab");
  vcs.settings[2].second = "2023-10-11T12:13:14.123456789Z";
  EXPECT_EQ(MainModuleVersion(vcs), "v0.0.0-20231011121314-0123456789ab");
  vcs.settings[2].second = "yesterday";
  EXPECT_EQ(MainModuleVersion(vcs), "v0.0.0-00010101000000-0123456789ab");
  vcs.settings.push_back({"-ldflags", "-X main.version=1.2.3"});
  EXPECT_EQ(MainModuleVersion(vcs), "v1.2.3");  // the ldflags first
}

}  // namespace
}  // namespace distill::catalog::golang
