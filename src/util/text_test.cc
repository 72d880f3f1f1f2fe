#include "util/text.h"

#include <cctype>

#include <gtest/gtest.h>

namespace distill {
namespace {

using V = std::vector<std::string_view>;

TEST(TextTest, AsciiCaseFoldingIsTheCLocalesTolower) {
  for (int i = 0; i < 256; ++i) {
    char c = static_cast<char>(i);
    EXPECT_EQ(static_cast<unsigned char>(AsciiLower(c)), std::tolower(i))
        << i;  // distill never sets a locale
  }
  EXPECT_EQ(AsciiLower("License: GPL-2+ \xC4"), "license: gpl-2+ \xC4");
  EXPECT_TRUE(EqualsIgnoreCase("LICENSE:", "license:"));
  EXPECT_FALSE(EqualsIgnoreCase("license", "license:"));
  EXPECT_FALSE(EqualsIgnoreCase("licensf:", "license:"));
}

TEST(TextTest, SplitKeepsEmptyFields) {
  EXPECT_EQ(Split("a\t\tb", '\t'), (V{"a", "", "b"}));
  EXPECT_EQ(Split("", ':'), (V{""}));
  EXPECT_EQ(Split("x:", ':'), (V{"x", ""}));
  EXPECT_EQ(Split(":", ':'), (V{"", ""}));
  EXPECT_EQ(Split("no separator", ':'), (V{"no separator"}));
}

}  // namespace
}  // namespace distill
