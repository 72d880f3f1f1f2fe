// Tests only: a minimal little-endian ELF64 file holding the given sections (name, bytes), with
// a section name table — enough for elf::Section and the Go/Rust catalogers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace distill::catalog::elf::testing {

inline void PutLE(std::string* out, size_t off, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) (*out)[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

inline std::string MakeElf64(const std::vector<std::pair<std::string, std::string>>& sections) {
  std::string out(64, '\0');
  out[0] = 0x7f, out[1] = 'E', out[2] = 'L', out[3] = 'F', out[4] = 2, out[5] = 1, out[6] = 1;
  std::string names(1, '\0');
  struct Sh { uint64_t name, offset, size; };
  std::vector<Sh> hs{{0, 0, 0}};  // the null section
  for (const auto& [name, data] : sections) {
    while (out.size() % 16) out += '\0';
    hs.push_back({names.size(), out.size(), data.size()});
    names += name + '\0';
    out += data;
  }
  hs.push_back({names.size(), out.size() + 0, 0});
  names += std::string(".shstrtab") + '\0';
  hs.back().offset = out.size();
  hs.back().size = names.size();
  out += names;
  while (out.size() % 8) out += '\0';
  uint64_t shoff = out.size();
  for (const Sh& h : hs) {
    std::string sh(64, '\0');
    PutLE(&sh, 0, h.name, 4);
    PutLE(&sh, 4, h.offset ? 1 : 0, 4);  // SHT_PROGBITS
    PutLE(&sh, 24, h.offset, 8);
    PutLE(&sh, 32, h.size, 8);
    out += sh;
  }
  PutLE(&out, 0x28, shoff, 8);
  PutLE(&out, 0x3A, 64, 2);
  PutLE(&out, 0x3C, hs.size(), 2);
  PutLE(&out, 0x3E, hs.size() - 1, 2);
  return out;
}

// Where MakeSectionlessElf64 maps its file: virtual address = kSegmentBase + file offset (the
// text segment's bytes start at file offset kTextOffset, the data segment's at the next multiple
// of 16 after them).
constexpr uint64_t kSegmentBase = 0x400000;
constexpr size_t kTextOffset = 64 + 2 * 56;

// An ELF64 with no section headers (as after sstrip) and two PT_LOAD segments, text (R+X) and
// data (R+W), each at a 16-aligned offset.
inline std::string MakeSectionlessElf64(const std::string& text, const std::string& data) {
  std::string out(64 + 2 * 56, '\0');
  out[0] = 0x7f, out[1] = 'E', out[2] = 'L', out[3] = 'F', out[4] = 2, out[5] = 1, out[6] = 1;
  PutLE(&out, 0x20, 64, 8);  // e_phoff
  PutLE(&out, 0x36, 56, 2);  // e_phentsize
  PutLE(&out, 0x38, 2, 2);   // e_phnum
  auto segment = [&](int i, uint32_t flags, const std::string& bytes) {
    while (out.size() % 16) out += '\0';
    size_t ph = 64 + i * 56;
    PutLE(&out, ph, 1, 4);  // PT_LOAD
    PutLE(&out, ph + 4, flags, 4);
    PutLE(&out, ph + 8, out.size(), 8);
    PutLE(&out, ph + 16, kSegmentBase + out.size(), 8);  // p_vaddr
    PutLE(&out, ph + 32, bytes.size(), 8);
    out += bytes;
  };
  segment(0, 5, text);  // R+X
  segment(1, 6, data);  // R+W
  return out;
}

}  // namespace distill::catalog::elf::testing
