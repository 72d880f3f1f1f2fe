#include "audit/elf.h"

#include <cstring>
#include <limits>

namespace distill::audit {

namespace {

constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3;
constexpr int64_t kDtNull = 0, kDtNeeded = 1, kDtStrtab = 5, kDtStrsz = 10, kDtRpath = 15, kDtRunpath = 29,
                  kDtSoname = 14;
constexpr size_t kMaxPhdrs = 4096, kMaxDyn = 1 << 16;

// Bounds-checked little/big-endian field reads over the whole file.
struct Reader {
  std::string_view d;
  bool le = true;

  Result<uint64_t> U(uint64_t off, int width) const {
    if (off > d.size() || d.size() - off < static_cast<uint64_t>(width))
      return Errorf("premature EOF: {} bytes at offset {} of {}", width, off, d.size());
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
      uint64_t byte = static_cast<unsigned char>(d[off + (le ? i : width - 1 - i)]);
      v |= byte << (8 * i);
    }
    return v;
  }
};

struct Phdr {
  uint32_t type;
  uint64_t offset, vaddr, filesz;
};

Result<std::vector<Phdr>> ReadPhdrs(const Reader& r, bool is64) {
  DISTILL_TRY(uint64_t phoff, r.U(is64 ? 0x20 : 0x1c, is64 ? 8 : 4));
  DISTILL_TRY(uint64_t phentsize, r.U(is64 ? 0x36 : 0x2a, 2));
  DISTILL_TRY(uint64_t phnum, r.U(is64 ? 0x38 : 0x2c, 2));
  if (phnum > kMaxPhdrs) return Errorf("{} program headers (limit {})", phnum, kMaxPhdrs);
  if (phnum > 0 && phentsize < (is64 ? 56u : 32u)) return Errorf("program header size {} too small", phentsize);
  std::vector<Phdr> out;
  for (uint64_t i = 0; i < phnum; ++i) {
    uint64_t at = phoff + i * phentsize;
    if (at < phoff) return Errorf("integer overflow in program header offset");
    Phdr p{};
    DISTILL_TRY(uint64_t type, r.U(at, 4));
    p.type = static_cast<uint32_t>(type);
    if (is64) {
      DISTILL_TRY(p.offset, r.U(at + 8, 8));
      DISTILL_TRY(p.vaddr, r.U(at + 16, 8));
      DISTILL_TRY(p.filesz, r.U(at + 32, 8));
    } else {
      DISTILL_TRY(p.offset, r.U(at + 4, 4));
      DISTILL_TRY(p.vaddr, r.U(at + 8, 4));
      DISTILL_TRY(p.filesz, r.U(at + 16, 4));
    }
    out.push_back(p);
  }
  return out;
}

// A segment's bytes, checked to lie inside the file.
Result<std::string_view> Segment(std::string_view d, uint64_t off, uint64_t size) {
  if (off > d.size() || size > d.size() - off) return Errorf("segment [{}, +{}) outside the file ({} bytes)", off, size, d.size());
  return d.substr(off, size);
}

// A virtual address (DT_STRTAB) to a file offset, through the PT_LOAD segments.
Result<uint64_t> VaddrToOffset(const std::vector<Phdr>& ph, uint64_t vaddr) {
  for (const Phdr& p : ph)
    if (p.type == kPtLoad && vaddr >= p.vaddr && vaddr - p.vaddr < p.filesz) return p.offset + (vaddr - p.vaddr);
  return Errorf("address {:#x} is in no loaded segment", vaddr);
}

Result<std::string> StringAt(std::string_view strtab, uint64_t off) {
  if (off >= strtab.size()) return Errorf("string offset {} outside the string table ({} bytes)", off, strtab.size());
  std::string_view s = strtab.substr(off);
  size_t nul = s.find('\0');
  if (nul == std::string_view::npos) return Errorf("unterminated string at offset {}", off);
  return std::string(s.substr(0, nul));
}

void SplitPath(std::string_view s, std::vector<std::string>* out) {
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(':', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out->emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
}

Status ReadDynamic(const Reader& r, const std::vector<Phdr>& ph, const Phdr& dyn, bool is64, ElfInfo* info) {
  DISTILL_TRY(std::string_view seg, Segment(r.d, dyn.offset, dyn.filesz));
  const uint64_t ent = is64 ? 16 : 8;
  const int w = is64 ? 8 : 4;
  std::vector<uint64_t> needed;
  uint64_t strtab = 0, strsz = 0, rpath = 0, runpath = 0, soname = 0;
  bool has_strtab = false, has_rpath = false, has_runpath = false, has_soname = false;
  for (uint64_t i = 0; i < kMaxDyn && (i + 1) * ent <= seg.size(); ++i) {
    DISTILL_TRY(uint64_t tag, r.U(dyn.offset + i * ent, w));
    DISTILL_TRY(uint64_t val, r.U(dyn.offset + i * ent + w, w));
    int64_t t = static_cast<int64_t>(tag);
    if (t == kDtNull) break;
    if (t == kDtNeeded) needed.push_back(val);
    else if (t == kDtStrtab) strtab = val, has_strtab = true;
    else if (t == kDtStrsz) strsz = val;
    else if (t == kDtRpath) rpath = val, has_rpath = true;
    else if (t == kDtRunpath) runpath = val, has_runpath = true;
    else if (t == kDtSoname) soname = val, has_soname = true;
  }
  if (needed.empty() && !has_rpath && !has_runpath && !has_soname) return {};
  if (!has_strtab) return Errorf("dynamic section has DT_NEEDED but no DT_STRTAB");
  DISTILL_TRY(uint64_t stroff, VaddrToOffset(ph, strtab));
  if (stroff > r.d.size()) return Errorf("string table outside the file");
  uint64_t size = strsz == 0 || strsz > r.d.size() - stroff ? r.d.size() - stroff : strsz;
  std::string_view table = r.d.substr(stroff, size);
  for (uint64_t n : needed) {
    DISTILL_TRY(std::string s, StringAt(table, n));
    info->needed.push_back(std::move(s));
  }
  if (has_runpath || has_rpath) {
    DISTILL_TRY(std::string s, StringAt(table, has_runpath ? runpath : rpath));
    SplitPath(s, &info->runpath);
  }
  if (has_soname) {
    DISTILL_TRY(info->soname, StringAt(table, soname));
  }
  return {};
}

}  // namespace

bool IsElf(std::string_view d) { return d.size() >= 4 && std::memcmp(d.data(), "\x7f" "ELF", 4) == 0; }

Result<ElfInfo> ParseElf(std::string_view d) {
  if (!IsElf(d)) return Errorf("not an ELF file");
  if (d.size() < 0x34) return Errorf("premature EOF: ELF header needs 52 bytes, have {}", d.size());
  ElfInfo info;
  unsigned char cls = d[4], data = d[5];
  if (cls != 1 && cls != 2) return Errorf("unknown ELF class {}", cls);
  if (data != 1 && data != 2) return Errorf("unknown ELF data encoding {}", data);
  info.is64 = cls == 2;
  Reader r{d, data == 1};
  DISTILL_TRY(uint64_t type, r.U(0x10, 2));
  DISTILL_TRY(uint64_t machine, r.U(0x12, 2));
  info.type = static_cast<uint16_t>(type);
  info.machine = static_cast<uint16_t>(machine);
  DISTILL_TRY(auto ph, ReadPhdrs(r, info.is64));
  for (const Phdr& p : ph) {
    if (p.type == kPtInterp) {
      DISTILL_TRY(std::string_view s, Segment(d, p.offset, p.filesz));
      info.interp = std::string(s.substr(0, s.find('\0')));
    }
  }
  for (const Phdr& p : ph)
    if (p.type == kPtDynamic) {
      DISTILL_TRY_VOID(ReadDynamic(r, ph, p, info.is64, &info));
      break;
    }
  return info;
}

std::string_view MultiarchTriplet(uint16_t machine) {
  switch (machine) {
    case 62: return "x86_64-linux-gnu";
    case 183: return "aarch64-linux-gnu";
    case 3: return "i386-linux-gnu";
    case 40: return "arm-linux-gnueabihf";
    case 21: return "powerpc64le-linux-gnu";
    case 22: return "s390x-linux-gnu";
    case 243: return "riscv64-linux-gnu";
    default: return "";
  }
}

}  // namespace distill::audit
