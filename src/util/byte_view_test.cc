#include "util/byte_view.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace distill {
namespace {

const std::string_view kFive("\x01\x02\x03\x04\x05", 5);

// Moved from rpm's ByteReader test: the same reads and messages.
TEST(ByteViewTest, ChecksBounds) {
  ByteView be(kFive, ByteOrder::kBig), le(kFive, ByteOrder::kLittle);
  EXPECT_EQ(*be.U32(0), 0x01020304u);
  EXPECT_EQ(*le.U32(1), 0x05040302u);
  EXPECT_EQ(*be.U16(3), 0x0405u);
  EXPECT_EQ(*le.U16(3), 0x0504u);
  EXPECT_EQ(*be.U8(4), 5u);
  EXPECT_EQ(*be.Bytes(5, 0), "");
  EXPECT_EQ(be.U32(2).error().message, "premature end of data at offset 2 (size 5)");
  EXPECT_EQ(be.U16(4).error().message, "premature end of data at offset 4 (size 5)");
  EXPECT_EQ(be.U8(5).error().message, "premature end of data at offset 5 (size 5)");
  EXPECT_EQ(be.U32(SIZE_MAX).error().message,
            fmt::format("premature end of data at offset {} (size 5)", SIZE_MAX));
  EXPECT_EQ(be.Bytes(3, 3).error().message, "premature end of data: 3 bytes at offset 3 (size 5)");
  EXPECT_EQ(be.Bytes(1, SIZE_MAX).error().message,
            fmt::format("premature end of data: {} bytes at offset 1 (size 5)", SIZE_MAX));
}

TEST(ByteViewTest, WideAndRuntimeWidthIntegers) {
  std::string_view eight("\x01\x02\x03\x04\x05\x06\x07\x08\x09", 9);
  EXPECT_EQ(*ByteView(eight, ByteOrder::kBig).U64(1), 0x0203040506070809u);
  EXPECT_EQ(*ByteView(eight).U64(0), 0x0807060504030201u);
  EXPECT_EQ(ByteView(eight).U64(2).error().message, "premature end of data at offset 2 (size 9)");
  for (int width = 1; width <= 8; ++width) {
    ByteView be(eight, ByteOrder::kBig), le(eight);
    uint64_t want_be = 0, want_le = 0;
    for (int i = 0; i < width; ++i) {
      want_be = want_be << 8 | static_cast<uint8_t>(eight[i]);
      want_le |= uint64_t{static_cast<uint8_t>(eight[i])} << (8 * i);
    }
    EXPECT_EQ(*be.Uint(0, width), want_be) << width;
    EXPECT_EQ(*le.Uint(0, width), want_le) << width;
    EXPECT_FALSE(le.Uint(10 - width, width).ok()) << width;
  }
  EXPECT_EQ(ByteView(eight).Uint(0, 9).error().message, "integer width 9 (not 1 to 8)");
  EXPECT_EQ(ByteView(eight).Uint(0, 9).error().kind, ErrorKind::kInternal);
  EXPECT_FALSE(ByteView(eight).Uint(0, 0).ok());
}

TEST(ByteViewTest, SubViewsKeepTheOrderAndCountFromTheirStart) {
  ByteView be(kFive, ByteOrder::kBig);
  auto sub = be.Sub(1, 3);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->size(), 3u);
  EXPECT_EQ(sub->order(), ByteOrder::kBig);
  EXPECT_EQ(*sub->U16(0), 0x0203u);
  EXPECT_EQ(sub->U16(2).error().message,
            "premature end of data at offset 2 (size 3)");  // 0x05 is outside it
  EXPECT_EQ(be.Sub(4, 2).error().message, "premature end of data: 2 bytes at offset 4 (size 5)");
  EXPECT_EQ(be.Sub(UINT64_MAX, 2).error().message,
            fmt::format("premature end of data: 2 bytes at offset {} (size 5)", UINT64_MAX));
  EXPECT_TRUE(be.Contains(5, 0));
  EXPECT_FALSE(be.Contains(6, 0));
  EXPECT_FALSE(be.Contains(1, UINT64_MAX));
}

TEST(ByteViewTest, CStrings) {
  ByteView v(std::string_view("ab\0\0cd", 6));
  EXPECT_EQ(*v.CString(0), "ab");
  EXPECT_EQ(*v.CString(1), "b");
  EXPECT_EQ(*v.CString(2), "");
  EXPECT_EQ(v.CString(4).error().message, "unterminated string at offset 4");
  EXPECT_EQ(v.CString(6).error().message, "premature end of data at offset 6 (size 6)");
  EXPECT_EQ(v.CString(UINT64_MAX).error().message,
            fmt::format("premature end of data at offset {} (size 6)", UINT64_MAX));
}

}  // namespace
}  // namespace distill
