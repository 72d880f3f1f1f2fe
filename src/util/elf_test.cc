// util/elf: the audit's link info (moved from audit/elf_test.cc) and the binary catalogers'
// sections and segments (moved from catalog/binary/elf_test.cc), with the same assertions.
#include "util/elf.h"

#include <gtest/gtest.h>

#include "util/testing/elf_builder.h"

namespace distill::elf {
namespace {

TEST(ElfTest, ReadsInterpreterNeededAndRunpath) {
  std::string elf = testing::MakeElf("/lib64/ld-linux-x86-64.so.2", {"libssl.so.3", "libc.so.6"},
                                     "$ORIGIN/../lib:/opt/lib");
  auto info = ReadLinkInfo(elf);
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
  auto info = ReadLinkInfo(testing::MakeElf("", {}));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->interp, "");
  EXPECT_TRUE(info->needed.empty());
}

TEST(ElfTest, NotElf) {
  EXPECT_FALSE(IsElf("#!/bin/sh\n"));
  EXPECT_EQ(ReadLinkInfo("MZ").error().message, "not an ELF file");
  EXPECT_EQ(ReadLinkInfo(std::string("\x7f"
                                     "ELF\x02\x01",
                                     6))
                .error()
                .message,
            "premature EOF: ELF header needs 52 bytes, have 6");
}

// Every truncation and every single-byte corruption is an error or a result, never a crash.
TEST(ElfTest, TruncatedAndCorruptInputsAreErrors) {
  std::string elf = testing::MakeElf("/lib/ld.so", {"liba.so"}, "/x");
  for (size_t n = 0; n < elf.size(); ++n) (void)ReadLinkInfo(std::string_view(elf).substr(0, n));
  for (size_t i = 0; i < elf.size(); ++i)
    for (unsigned char v : {0x00, 0x7f, 0xff}) {
      std::string bad = elf;
      bad[i] = static_cast<char>(v);
      (void)ReadLinkInfo(bad);
    }
  std::string huge = elf;
  huge[0x38] = '\xff', huge[0x39] = '\xff';  // 65535 program headers
  EXPECT_EQ(ReadLinkInfo(huge).error().message, "65535 program headers (limit 4096)");
}

// Moved from catalog/binary/elf_test.cc: the section and segment lookups.
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
  for (size_t cut = 0; cut < f.size(); cut += 7)
    (void)Section(f.substr(0, cut), ".text");  // never reads out of bounds
}

TEST(ElfTest, AtAddressReadsTheLoadSegmentThatMapsIt) {
  std::string f = testing::MakeSectionlessElf64("0123456789", "abcdef");
  const uint64_t text = testing::kSegmentBase + testing::kTextOffset,
                 data = testing::kSegmentBase + 192;
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
}  // namespace distill::elf
