#include "util/compact_string.h"

#include <gtest/gtest.h>

namespace distill {
namespace {

TEST(CompactStringTest, HoldsAnyBytesAndCopiesDeeply) {
  CompactString empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.view(), "");
  EXPECT_STREQ(empty.c_str(), "");
  const std::string bytes("a\0b\xff", 4);  // a digest decoded from an SBOM is outside input
  CompactString s = bytes;
  EXPECT_EQ(s.size(), 4u);
  EXPECT_EQ(s.view(), bytes);
  EXPECT_EQ(s[2], 'b');
  CompactString copy = s;
  s = "other";
  EXPECT_EQ(copy, bytes);
  EXPECT_EQ(s, "other");
  EXPECT_STREQ(s.c_str(), "other");
  CompactString moved = std::move(copy);
  EXPECT_EQ(moved.str(), bytes);
  EXPECT_EQ(fmt::format("[{}]", CompactString("x")), "[x]");
  s = "";
  EXPECT_TRUE(s.empty());
  static_assert(sizeof(CompactString) == sizeof(void*));
}

}  // namespace
}  // namespace distill
