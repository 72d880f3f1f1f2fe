#include "vuln/version/nuget.h"

#include <gtest/gtest.h>

namespace distill::vuln::version::nuget {
namespace {

// Cases from NuGet's documentation of version precedence
// (https://learn.microsoft.com/nuget/concepts/package-versioning: "1.0.0-alpha < 1.0.0-beta",
// "1.0 == 1.0.0 == 1.0.0.0", labels case-insensitive, metadata ignored, legacy 4-part).
TEST(NuGet, Precedence) {
  EXPECT_EQ(*Compare("1.0", "1.0.0.0"), 0);
  EXPECT_EQ(*Compare("1", "1.0.0"), 0);
  EXPECT_EQ(*Compare("1.0.0-ALPHA", "1.0.0-alpha"), 0);
  EXPECT_EQ(*Compare("1.0.0+build.1", "1.0.0+other"), 0);
  EXPECT_EQ(*Compare("1.0.0-alpha", "1.0.0-beta"), -1);
  EXPECT_EQ(*Compare("1.0.0-beta", "1.0.0"), -1);
  EXPECT_EQ(*Compare("1.0.0.1", "1.0.0"), 1);
  EXPECT_EQ(*Compare("1.0.0-alpha.2", "1.0.0-alpha.10"), -1);
  EXPECT_EQ(*Compare("1.0.0-2", "1.0.0-alpha"), -1);
  EXPECT_EQ(*Compare("1.0.0-alpha", "1.0.0-alpha.1"), -1);
  EXPECT_EQ(*Compare(" 1.0.0 ", "1.0.0"), 0);
  EXPECT_EQ(*Compare("01.2.3", "1.2.3"), 0);
}

// Upstream data: NuGet/NuGet.Client test/NuGet.Core.Tests/NuGet.Versioning.Test/
// VersionComparerTests.cs (commit 70cb6afb6e901b01f678036ec77492a835b97ae0),
// VersionComparer.Default rows, and VersionParsingTests.cs (commit
// 6327b5af903ea576e0e08c51af5576ae20618c6c).
TEST(NuGetUpstream, VersionComparerDefault) {
  const char* equal[][2] = {{"1.0.0", "1.0.0"},
                            {"1.0.0-BETA", "1.0.0-beta"},
                            {"1.0.0-BETA+AA", "1.0.0-beta+aa"},
                            {"1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.77.0+aa"}};
  for (const auto& p : equal) {
    EXPECT_EQ(*Compare(p[0], p[1]), 0) << p[0] << " == " << p[1];
    EXPECT_EQ(*Compare(p[1], p[0]), 0) << p[1] << " == " << p[0];
  }
  const char* not_equal[][2] = {{"0.0.0", "1.0.0"},
                                {"1.1.0", "1.0.0"},
                                {"1.0.1", "1.0.0"},
                                {"1.0.0-BETA", "1.0.0-beta2"},
                                {"1.0.0+AA", "1.0.0-beta+aa"},
                                {"1.0.0-BETA+AA", "1.0.0-beta"},
                                {"1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa"}};
  // Upstream's "not equal" test compares the strings themselves (`!Equals(version1, version2)`);
  // only the rows whose versions differ beyond metadata and case are unequal as versions.
  EXPECT_NE(*Compare(not_equal[0][0], not_equal[0][1]), 0);
  EXPECT_NE(*Compare(not_equal[1][0], not_equal[1][1]), 0);
  EXPECT_NE(*Compare(not_equal[2][0], not_equal[2][1]), 0);
  EXPECT_NE(*Compare(not_equal[3][0], not_equal[3][1]), 0);
  EXPECT_NE(*Compare(not_equal[4][0], not_equal[4][1]), 0);
  EXPECT_EQ(*Compare(not_equal[5][0], not_equal[5][1]),
            0);  // "1.0.0-BETA+AA" vs "1.0.0-beta": metadata, case
  EXPECT_NE(*Compare(not_equal[6][0], not_equal[6][1]), 0);
  const char* less[][2] = {{"0.0.0", "1.0.0"},
                           {"1.0.0", "1.1.0"},
                           {"1.0.0", "1.0.1"},
                           {"1.999.9999", "2.1.1"},
                           {"1.0.0-BETA", "1.0.0-beta2"},
                           {"1.0.0-beta+AA", "1.0.0+aa"},
                           {"1.0.0-BETA", "1.0.0-beta.1+AA"},
                           {"1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa"},
                           {"1.0.0-BETA.X.y.5.79.0+AA", "1.0.0-beta.x.y.5.790.0+abc"}};
  for (const auto& p : less) {
    EXPECT_EQ(*Compare(p[0], p[1]), -1) << p[0] << " < " << p[1];
    EXPECT_EQ(*Compare(p[1], p[0]), 1) << p[1] << " > " << p[0];
  }
}

TEST(NuGetUpstream, VersionParsing) {
  for (const char* v : {"2", "2.0", "2.0.0", "2.0.0.0"}) EXPECT_EQ(*Compare(v, "2.0.0"), 0) << v;
  for (const char* v : {"1.0.0-Beta", "1.0.0-Beta.2", "1.0.0+MetaOnly", "1.0.0", "1.0.0-Beta+Meta",
                        "1.0.0-RC.X+MetaAA", "1.0.0-RC.X.35.A.3455+Meta-A-B-C", "0.0.0",
                        "234.234234.1111", "3.5.1-x.y.z+AA"}) {
    EXPECT_TRUE(Validate(v).ok()) << v;
  }
  auto v = Parse("1.0.0-RC.X.35.A.3455+Meta-A-B-C");
  EXPECT_EQ(v->labels, "RC.X.35.A.3455");
  EXPECT_EQ(v->metadata, "Meta-A-B-C");
}

TEST(NuGet, Invalid) {
  for (const char* bad :
       {"", "1.0.0.0.0", "a.b", "1.0-", "1.0+", "1.0.0-01", "1.0.0-a..b", "2147483648.0", "v1.0"}) {
    EXPECT_FALSE(Validate(bad).ok()) << bad;
  }
  EXPECT_EQ(Compare("1.0", "v1.0").error().message, "invalid NuGet version \"v1.0\"");
}

}  // namespace
}  // namespace distill::vuln::version::nuget
