#include "util/text.h"

#include <gtest/gtest.h>

namespace distill {
namespace {

using V = std::vector<std::string_view>;

TEST(TextTest, SplitKeepsEmptyFields) {
  EXPECT_EQ(Split("a\t\tb", '\t'), (V{"a", "", "b"}));
  EXPECT_EQ(Split("", ':'), (V{""}));
  EXPECT_EQ(Split("x:", ':'), (V{"x", ""}));
  EXPECT_EQ(Split(":", ':'), (V{"", ""}));
  EXPECT_EQ(Split("no separator", ':'), (V{"no separator"}));
}

}  // namespace
}  // namespace distill
