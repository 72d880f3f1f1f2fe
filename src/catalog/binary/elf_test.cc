#include "catalog/binary/elf.h"

#include <gtest/gtest.h>

#include "catalog/binary/elf_builder.h"

namespace distill::catalog::elf {
namespace {

TEST(ElfTest, FindsSections) {
  std::string f = testing::MakeElf64({{".text", "code"}, {".dep-v0", "deps"}});
  ASSERT_TRUE(IsElf(f));
  auto s = Section(f, ".dep-v0");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ(**s, "deps");
  auto none = Section(f, ".go.buildinfo");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(ElfTest, TruncatedAndCorruptHeadersAreErrors) {
  std::string f = testing::MakeElf64({{".text", "code"}});
  EXPECT_FALSE(Section(f.substr(0, f.size() - 10), ".text").ok());  // section headers cut off
  std::string bad = f;
  testing::PutLE(&bad, 0x28, 1ull << 40, 8);  // e_shoff far past the end
  auto r = Section(bad, ".text");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exceed the file"), std::string::npos);
  EXPECT_FALSE(Section("not elf", ".text").ok());
  for (size_t cut = 0; cut < f.size(); cut += 7) (void)Section(f.substr(0, cut), ".text");  // never reads out of bounds
}

TEST(ElfTest, AtAddressReadsTheLoadSegmentThatMapsIt) {
  std::string f = testing::MakeSectionlessElf64("0123456789", "abcdef");
  const uint64_t text = testing::kSegmentBase + testing::kTextOffset, data = testing::kSegmentBase + 192;
  auto at = [&](uint64_t addr, uint64_t n) {
    auto r = AtAddress(f, addr, n);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() && r->has_value() ? std::string(**r) : std::string("<none>");
  };
  EXPECT_EQ(at(text, 4), "0123");
  EXPECT_EQ(at(text + 8, 100), "89");  // cut at the segment's end
  EXPECT_EQ(at(data + 2, 3), "cde");
  EXPECT_EQ(at(text + 10, 1), "<none>");  // between the segments
  EXPECT_EQ(at(0, 1), "<none>");
  EXPECT_EQ(at(~0ull, 8), "<none>");
  testing::PutLE(&f, 64 + 56 + 32, 1 << 20, 8);  // the data segment's size past the end
  auto bad = AtAddress(f, data, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "ELF: segment 1 (1048576 bytes at 192) outside the file");
  EXPECT_EQ(at(text, 2), "01");  // the text segment is still read
}

}  // namespace
}  // namespace distill::catalog::elf
