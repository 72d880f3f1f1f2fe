// Test helper: Go >= 1.18 build info as the linker writes it (32-byte header, inline strings).
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace distill::catalog::golang::testing
