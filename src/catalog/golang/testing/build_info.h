// Test helper: Go build info as the linker writes it: Go >= 1.18 (32-byte header, inline strings)
// and Go 1.13-1.17 (the header points at two string variables).
#pragma once

#include <cstdint>
#include <string>

#include "util/testing/elf_builder.h"

namespace distill::catalog::golang::testing {

inline std::string Varint(uint64_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7f) | 0x80);
  return out + static_cast<char>(v);
}

// The header (magic, pointer size 8, flags: inline strings), the version, and the module text
// framed by 16-byte sentinels.
inline std::string BuildInfoBlob(const std::string& version, const std::string& mod) {
  std::string h = "\xff Go buildinf:";
  h += '\x08';
  h += '\x02';
  h.resize(32, '\0');
  std::string framed = std::string(16, 'S') + mod + std::string(16, 'E');
  return h + Varint(version.size()) + version + Varint(framed.size()) + framed;
}

// The module text as cmd/go frames it: 16-byte sentinels around it.
inline std::string Framed(const std::string& mod) {
  return std::string(16, 'S') + mod + std::string(16, 'E');
}

// An ELF file as Go 1.13-1.17 linked it (cmd/link/internal/ld/data.go before go1.18): a data
// segment that starts with the 32-byte header (magic, pointer size, byte order 0 little / 1 big,
// the addresses of runtime.buildVersion and runtime.modinfo) followed by those two string
// variables ({data address, length} each), whose bytes lie in the text segment. `ptr_size` 4 or 8
// (a 32-bit target's header still takes 32 bytes, the last 8 unused).
inline std::string PointerFormatElf(const std::string& version, const std::string& mod,
                                    int ptr_size = 8, bool big_endian = false) {
  using elf::testing::kSegmentBase;
  using elf::testing::kTextOffset;
  const std::string text = version + mod;  // the strings' bytes, at the text segment's start
  const uint64_t text_addr = kSegmentBase + kTextOffset;
  const uint64_t data_addr = kSegmentBase + ((kTextOffset + text.size() + 15) / 16) * 16;
  auto ptr = [&](uint64_t v) {
    std::string b(ptr_size, '\0');
    for (int i = 0; i < ptr_size; ++i)
      b[big_endian ? ptr_size - 1 - i : i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return b;
  };
  std::string data = "\xff Go buildinf:";
  data += static_cast<char>(ptr_size);
  data += static_cast<char>(big_endian ? 1 : 0);
  const uint64_t vars = data_addr + 32;  // the two string variables follow the header
  data += ptr(vars) + ptr(vars + 2 * ptr_size);
  data.resize(32, '\0');
  data += ptr(text_addr) + ptr(version.size());
  data += ptr(text_addr + version.size()) + ptr(mod.size());
  return elf::testing::MakeSectionlessElf64(text, data);
}

}  // namespace distill::catalog::golang::testing
