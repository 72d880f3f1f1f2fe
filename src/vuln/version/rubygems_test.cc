#include "vuln/version/rubygems.h"

#include <gtest/gtest.h>

namespace distill::vuln::version::rubygems {
namespace {

// Upstream data: rubygems/rubygems test/rubygems/test_gem_version.rb (commit
// 00814a2ac292a42dd9a1fb31bfaaafe884934e8e): test_spaceship, test_equals2, test_initialize,
// test_initialize_bad and the test_semver chain without its "+build" rows (that old file
// predates the current VERSION_PATTERN, which has no '+').
TEST(RubyGemsUpstream, Spaceship) {
  EXPECT_EQ(*Compare("1.0", "1.0.0"), 0);
  EXPECT_EQ(*Compare("1.0", "1.0.a"), 1);
  EXPECT_EQ(*Compare("1.8.2", "0.0.0"), 1);
  EXPECT_EQ(*Compare("1.8.2", "1.8.2.a"), 1);
  EXPECT_EQ(*Compare("1.8.2.b", "1.8.2.a"), 1);
  EXPECT_EQ(*Compare("1.8.2.a", "1.8.2"), -1);
  EXPECT_EQ(*Compare("1.8.2.a10", "1.8.2.a9"), 1);
  EXPECT_EQ(*Compare("", "0"), 0);
  EXPECT_EQ(*Compare("1.2", "1.2"), 0);
  EXPECT_NE(*Compare("1.2", "1.3"), 0);
  EXPECT_EQ(*Compare("1.2.b1", "1.2.b.1"), 0);
}

TEST(RubyGemsUpstream, InitializeGoodAndBad) {
  for (const char* good : {"1.0", "1.0 ", " 1.0 ", "1.0\n", "\n1.0\n"})
    EXPECT_EQ(*Compare("1.0", good), 0) << good;
  for (const char* bad : {"junk", "1.0\n2.0"}) EXPECT_FALSE(Validate(bad).ok()) << bad;
  EXPECT_EQ(Compare("1", "junk").error().message, "invalid RubyGems version \"junk\"");
}

TEST(RubyGemsUpstream, SemverChain) {
  const char* chain[] = {"1.0.0-alpha",   "1.0.0-alpha.1", "1.0.0-beta.2",
                         "1.0.0-beta.11", "1.0.0-rc.1",    "1.0.0"};
  for (size_t i = 1; i < std::size(chain); ++i)
    EXPECT_EQ(*Compare(chain[i - 1], chain[i]), -1) << chain[i];
}

}  // namespace
}  // namespace distill::vuln::version::rubygems
