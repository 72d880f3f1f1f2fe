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

}  // namespace
}  // namespace distill::catalog::elf
