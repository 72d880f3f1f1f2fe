#include "audit/elf.h"

#include <gtest/gtest.h>

#include "audit/testing/elf_builder.h"

namespace distill::audit {
namespace {

TEST(ElfTest, ReadsInterpreterNeededAndRunpath) {
  std::string elf = testing::MakeElf("/lib64/ld-linux-x86-64.so.2", {"libssl.so.3", "libc.so.6"}, "$ORIGIN/../lib:/opt/lib");
  auto info = ParseElf(elf);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_TRUE(info->is64);
  EXPECT_EQ(info->type, 2);
  EXPECT_EQ(info->machine, 62);
  EXPECT_EQ(MultiarchTriplet(info->machine), "x86_64-linux-gnu");
  EXPECT_EQ(info->interp, "/lib64/ld-linux-x86-64.so.2");
  EXPECT_EQ(info->needed, (std::vector<std::string>{"libssl.so.3", "libc.so.6"}));
  EXPECT_EQ(info->runpath, (std::vector<std::string>{"$ORIGIN/../lib", "/opt/lib"}));
}

TEST(ElfTest, StaticHasNoInterpreterOrNeeded) {
  auto info = ParseElf(testing::MakeElf("", {}));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->interp, "");
  EXPECT_TRUE(info->needed.empty());
}

TEST(ElfTest, NotElf) {
  EXPECT_FALSE(IsElf("#!/bin/sh\n"));
  EXPECT_EQ(ParseElf("MZ").error().message, "not an ELF file");
  EXPECT_EQ(ParseElf(std::string("\x7f" "ELF\x02\x01", 6)).error().message, "premature EOF: ELF header needs 52 bytes, have 6");
}

// Every truncation and every single-byte corruption is an error or a result, never a crash.
TEST(ElfTest, TruncatedAndCorruptInputsAreErrors) {
  std::string elf = testing::MakeElf("/lib/ld.so", {"liba.so"}, "/x");
  for (size_t n = 0; n < elf.size(); ++n) (void)ParseElf(std::string_view(elf).substr(0, n));
  for (size_t i = 0; i < elf.size(); ++i)
    for (unsigned char v : {0x00, 0x7f, 0xff}) {
      std::string bad = elf;
      bad[i] = static_cast<char>(v);
      (void)ParseElf(bad);
    }
  std::string huge = elf;
  huge[0x38] = '\xff', huge[0x39] = '\xff';  // 65535 program headers
  EXPECT_EQ(ParseElf(huge).error().message, "65535 program headers (limit 4096)");
}

}  // namespace
}  // namespace distill::audit
