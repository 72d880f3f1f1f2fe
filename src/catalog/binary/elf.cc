#include "catalog/binary/elf.h"

#include <cstdint>

namespace distill::catalog::elf {

namespace {

constexpr uint32_t kShtNobits = 8;

struct Reader {
  std::string_view data;
  bool big_endian = false;
  // Reads an n-byte unsigned integer at off; false when it does not fit.
  bool Uint(uint64_t off, int n, uint64_t* out) const {
    if (off > data.size() || data.size() - off < static_cast<uint64_t>(n)) return false;
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) {
      uint64_t b = static_cast<unsigned char>(data[off + (big_endian ? i : n - 1 - i)]);
      v = (v << 8) | b;
    }
    *out = v;
    return true;
  }
};

}  // namespace

bool IsElf(std::string_view data) { return data.size() >= 52 && data.substr(0, 4) == "\x7f" "ELF"; }

Result<std::optional<std::string_view>> Section(std::string_view data, std::string_view name) {
  if (!IsElf(data)) return Errorf("not an ELF file");
  const bool is64 = data[4] == 2;
  if (data[4] != 1 && data[4] != 2) return Errorf("ELF: unknown class {}", static_cast<int>(data[4]));
  Reader r{data, data[5] == 2};
  uint64_t shoff = 0, shentsize = 0, shnum = 0, shstrndx = 0;
  bool ok = is64 ? r.Uint(0x28, 8, &shoff) && r.Uint(0x3A, 2, &shentsize) && r.Uint(0x3C, 2, &shnum) && r.Uint(0x3E, 2, &shstrndx)
                 : r.Uint(0x20, 4, &shoff) && r.Uint(0x2E, 2, &shentsize) && r.Uint(0x30, 2, &shnum) && r.Uint(0x32, 2, &shstrndx);
  if (!ok) return Errorf("ELF: header truncated");
  if (shoff == 0 || shnum == 0) return std::optional<std::string_view>{};  // no section headers (stripped)
  if (shentsize < (is64 ? 64u : 40u)) return Errorf("ELF: section header size {} too small", shentsize);
  if (shoff > data.size() || (data.size() - shoff) / shentsize < shnum)
    return Errorf("ELF: {} section headers at offset {} exceed the file ({} bytes)", shnum, shoff, data.size());
  struct Sh {
    uint64_t name, type, offset, size;
  };
  auto header = [&](uint64_t i, Sh* s) {
    uint64_t base = shoff + i * shentsize;
    if (is64) return r.Uint(base, 4, &s->name) && r.Uint(base + 4, 4, &s->type) && r.Uint(base + 24, 8, &s->offset) && r.Uint(base + 32, 8, &s->size);
    return r.Uint(base, 4, &s->name) && r.Uint(base + 4, 4, &s->type) && r.Uint(base + 16, 4, &s->offset) && r.Uint(base + 20, 4, &s->size);
  };
  auto bytes = [&](const Sh& s) -> std::optional<std::string_view> {
    if (s.offset > data.size() || data.size() - s.offset < s.size) return std::nullopt;
    return data.substr(s.offset, s.size);
  };
  Sh strtab{};
  if (shstrndx >= shnum || !header(shstrndx, &strtab)) return Errorf("ELF: bad section name table index {}", shstrndx);
  auto names = bytes(strtab);
  if (!names) return Errorf("ELF: section name table outside the file");
  for (uint64_t i = 0; i < shnum; ++i) {
    Sh s{};
    if (!header(i, &s)) return Errorf("ELF: section header {} truncated", i);
    if (s.name >= names->size()) continue;
    std::string_view n = names->substr(s.name);
    n = n.substr(0, n.find('\0'));
    if (n != name) continue;
    if (s.type == kShtNobits) return std::optional<std::string_view>{};
    auto b = bytes(s);
    if (!b) return Errorf("ELF: section {} ({} bytes at {}) outside the file", name, s.size, s.offset);
    return std::optional<std::string_view>{*b};
  }
  return std::optional<std::string_view>{};
}

Result<std::optional<std::string_view>> FirstDataSegment(std::string_view data) {
  if (!IsElf(data)) return Errorf("not an ELF file");
  const bool is64 = data[4] == 2;
  if (data[4] != 1 && data[4] != 2) return Errorf("ELF: unknown class {}", static_cast<int>(data[4]));
  Reader r{data, data[5] == 2};
  uint64_t phoff = 0, phentsize = 0, phnum = 0;
  bool ok = is64 ? r.Uint(0x20, 8, &phoff) && r.Uint(0x36, 2, &phentsize) && r.Uint(0x38, 2, &phnum)
                 : r.Uint(0x1C, 4, &phoff) && r.Uint(0x2A, 2, &phentsize) && r.Uint(0x2C, 2, &phnum);
  if (!ok) return Errorf("ELF: header truncated");
  if (phoff == 0 || phnum == 0) return std::optional<std::string_view>{};
  if (phentsize < (is64 ? 56u : 32u)) return Errorf("ELF: program header size {} too small", phentsize);
  if (phoff > data.size() || (data.size() - phoff) / phentsize < phnum)
    return Errorf("ELF: {} program headers at offset {} exceed the file ({} bytes)", phnum, phoff, data.size());
  constexpr uint64_t kPtLoad = 1, kPfX = 1, kPfW = 2;
  for (uint64_t i = 0; i < phnum; ++i) {
    uint64_t base = phoff + i * phentsize, type = 0, flags = 0, offset = 0, filesz = 0;
    bool got = is64 ? r.Uint(base, 4, &type) && r.Uint(base + 4, 4, &flags) && r.Uint(base + 8, 8, &offset) && r.Uint(base + 32, 8, &filesz)
                    : r.Uint(base, 4, &type) && r.Uint(base + 4, 4, &offset) && r.Uint(base + 16, 4, &filesz) && r.Uint(base + 24, 4, &flags);
    if (!got) return Errorf("ELF: program header {} truncated", i);
    if (type != kPtLoad || (flags & (kPfX | kPfW)) != kPfW) continue;
    if (offset > data.size() || data.size() - offset < filesz)
      return Errorf("ELF: segment {} ({} bytes at {}) outside the file", i, filesz, offset);
    return std::optional<std::string_view>{data.substr(offset, filesz)};
  }
  return std::optional<std::string_view>{};
}

}  // namespace distill::catalog::elf
