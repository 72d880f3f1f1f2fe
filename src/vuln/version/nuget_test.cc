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

TEST(NuGet, Invalid) {
  for (const char* bad : {"", "1.0.0.0.0", "a.b", "1.0-", "1.0+", "1.0.0-01", "1.0.0-a..b", "2147483648.0", "v1.0"}) {
    EXPECT_FALSE(Validate(bad).ok()) << bad;
  }
  EXPECT_EQ(Compare("1.0", "v1.0").error().message, "invalid NuGet version \"v1.0\"");
}

}  // namespace
}  // namespace distill::vuln::version::nuget
