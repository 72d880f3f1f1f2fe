#include "catalog/binary/elf.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>

namespace distill::catalog::elf {

namespace {

constexpr uint32_t kShtNobits = 8;
constexpr uint64_t kPtLoad = 1;
constexpr uint64_t kMaxProbedTable = 4 << 20;  // ProbeFile reads no larger header table or name table

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

// Where the header tables are, from the ELF header (the file's first 52 or 64 bytes).
struct Layout {
  bool is64 = false, big_endian = false;
  uint64_t shoff = 0, shentsize = 0, shnum = 0, shstrndx = 0;
  uint64_t phoff = 0, phentsize = 0, phnum = 0;
};

Result<Layout> ReadLayout(std::string_view data) {
  if (!IsElf(data)) return Errorf("not an ELF file");
  if (data[4] != 1 && data[4] != 2) return Errorf("ELF: unknown class {}", static_cast<int>(data[4]));
  Layout l;
  l.is64 = data[4] == 2;
  l.big_endian = data[5] == 2;
  Reader r{data, l.big_endian};
  bool ok = l.is64 ? r.Uint(0x28, 8, &l.shoff) && r.Uint(0x3A, 2, &l.shentsize) && r.Uint(0x3C, 2, &l.shnum) &&
                         r.Uint(0x3E, 2, &l.shstrndx) && r.Uint(0x20, 8, &l.phoff) && r.Uint(0x36, 2, &l.phentsize) &&
                         r.Uint(0x38, 2, &l.phnum)
                   : r.Uint(0x20, 4, &l.shoff) && r.Uint(0x2E, 2, &l.shentsize) && r.Uint(0x30, 2, &l.shnum) &&
                         r.Uint(0x32, 2, &l.shstrndx) && r.Uint(0x1C, 4, &l.phoff) && r.Uint(0x2A, 2, &l.phentsize) &&
                         r.Uint(0x2C, 2, &l.phnum);
  if (!ok) return Errorf("ELF: header truncated");
  return l;
}

struct Sh {
  uint64_t name, type, offset, size;
};

// Bytes of the file: `size` bytes at `offset`, which the caller checked lie inside the file.
// In memory a piece of the buffer; on disk a read (ProbeFile).
using Fetch = std::function<Result<std::string_view>(uint64_t offset, uint64_t size)>;

// Calls visit(name, header) for each section header in order until it returns false. Errors where
// the tables lie outside the file (`file_size` bytes).
Status ForEachSection(const Layout& l, uint64_t file_size, const Fetch& fetch,
                      const std::function<bool(std::string_view, const Sh&)>& visit) {
  if (l.shoff == 0 || l.shnum == 0) return {};  // no section headers (stripped)
  if (l.shentsize < (l.is64 ? 64u : 40u)) return Errorf("ELF: section header size {} too small", l.shentsize);
  if (l.shoff > file_size || (file_size - l.shoff) / l.shentsize < l.shnum)
    return Errorf("ELF: {} section headers at offset {} exceed the file ({} bytes)", l.shnum, l.shoff, file_size);
  DISTILL_TRY(std::string_view table, fetch(l.shoff, l.shnum * l.shentsize));
  Reader r{table, l.big_endian};
  auto header = [&](uint64_t i, Sh* s) {
    uint64_t base = i * l.shentsize;
    if (l.is64) return r.Uint(base, 4, &s->name) && r.Uint(base + 4, 4, &s->type) && r.Uint(base + 24, 8, &s->offset) && r.Uint(base + 32, 8, &s->size);
    return r.Uint(base, 4, &s->name) && r.Uint(base + 4, 4, &s->type) && r.Uint(base + 16, 4, &s->offset) && r.Uint(base + 20, 4, &s->size);
  };
  Sh strtab{};
  if (l.shstrndx >= l.shnum || !header(l.shstrndx, &strtab)) return Errorf("ELF: bad section name table index {}", l.shstrndx);
  if (strtab.offset > file_size || file_size - strtab.offset < strtab.size)
    return Errorf("ELF: section name table outside the file");
  DISTILL_TRY(std::string_view names, fetch(strtab.offset, strtab.size));
  for (uint64_t i = 0; i < l.shnum; ++i) {
    Sh s{};
    if (!header(i, &s)) return Errorf("ELF: section header {} truncated", i);
    if (s.name >= names.size()) continue;
    std::string_view n = names.substr(s.name);
    n = n.substr(0, n.find('\0'));
    if (!visit(n, s)) break;
  }
  return {};
}

struct Ph {
  uint64_t index, type, flags, offset, vaddr, filesz;
};

Status InFile(const Ph& p, uint64_t file_size) {
  if (p.offset > file_size || file_size - p.offset < p.filesz)
    return Errorf("ELF: segment {} ({} bytes at {}) outside the file", p.index, p.filesz, p.offset);
  return {};
}

// Calls visit(header) for each PT_LOAD program header in order until it returns false. Errors where
// the table lies outside the file (`file_size` bytes).
Status ForEachSegment(const Layout& l, uint64_t file_size, const Fetch& fetch, const std::function<bool(const Ph&)>& visit) {
  if (l.phoff == 0 || l.phnum == 0) return {};
  if (l.phentsize < (l.is64 ? 56u : 32u)) return Errorf("ELF: program header size {} too small", l.phentsize);
  if (l.phoff > file_size || (file_size - l.phoff) / l.phentsize < l.phnum)
    return Errorf("ELF: {} program headers at offset {} exceed the file ({} bytes)", l.phnum, l.phoff, file_size);
  DISTILL_TRY(std::string_view table, fetch(l.phoff, l.phnum * l.phentsize));
  Reader r{table, l.big_endian};
  for (uint64_t i = 0; i < l.phnum; ++i) {
    uint64_t base = i * l.phentsize;
    Ph p{};
    bool got = l.is64 ? r.Uint(base, 4, &p.type) && r.Uint(base + 4, 4, &p.flags) && r.Uint(base + 8, 8, &p.offset) &&
                            r.Uint(base + 16, 8, &p.vaddr) && r.Uint(base + 32, 8, &p.filesz)
                      : r.Uint(base, 4, &p.type) && r.Uint(base + 4, 4, &p.offset) && r.Uint(base + 8, 4, &p.vaddr) &&
                            r.Uint(base + 16, 4, &p.filesz) && r.Uint(base + 24, 4, &p.flags);
    if (!got) return Errorf("ELF: program header {} truncated", i);
    p.index = i;
    if (p.type == kPtLoad && !visit(p)) break;
  }
  return {};
}

// The file range (offset, size) of the first PT_LOAD segment that is writable and not executable,
// nullopt when there is none.
using Range = std::optional<std::pair<uint64_t, uint64_t>>;  // offset, size

Result<Range> FindDataSegment(const Layout& l, uint64_t file_size, const Fetch& fetch) {
  constexpr uint64_t kPfX = 1, kPfW = 2;
  std::optional<Ph> found;
  DISTILL_TRY_VOID(ForEachSegment(l, file_size, fetch, [&](const Ph& p) {
    if ((p.flags & (kPfX | kPfW)) == kPfW) found = p;
    return !found;
  }));
  if (!found) return Range{};
  DISTILL_TRY_VOID(InFile(*found, file_size));
  return Range{{found->offset, found->filesz}};
}

Fetch InMemory(std::string_view data) {
  return [data](uint64_t offset, uint64_t size) -> Result<std::string_view> { return data.substr(offset, size); };
}

}  // namespace

bool IsElf(std::string_view data) { return data.size() >= 52 && data.substr(0, 4) == "\x7f" "ELF"; }

Result<std::optional<std::string_view>> Section(std::string_view data, std::string_view name) {
  DISTILL_TRY(Layout l, ReadLayout(data));
  std::optional<Sh> found;
  DISTILL_TRY_VOID(ForEachSection(l, data.size(), InMemory(data), [&](std::string_view n, const Sh& s) {
    if (n == name) found = s;
    return !found;
  }));
  if (!found || found->type == kShtNobits) return std::optional<std::string_view>{};
  if (found->offset > data.size() || data.size() - found->offset < found->size)
    return Errorf("ELF: section {} ({} bytes at {}) outside the file", name, found->size, found->offset);
  return std::optional<std::string_view>{data.substr(found->offset, found->size)};
}

Result<std::optional<std::string_view>> FirstDataSegment(std::string_view data) {
  DISTILL_TRY(Layout l, ReadLayout(data));
  DISTILL_TRY(auto seg, FindDataSegment(l, data.size(), InMemory(data)));
  if (!seg) return std::optional<std::string_view>{};
  return std::optional<std::string_view>{data.substr(seg->first, seg->second)};
}

Result<std::optional<std::string_view>> AtAddress(std::string_view data, uint64_t vaddr, uint64_t size) {
  DISTILL_TRY(Layout l, ReadLayout(data));
  std::optional<Ph> found;
  DISTILL_TRY_VOID(ForEachSegment(l, data.size(), InMemory(data), [&](const Ph& p) {
    if (vaddr >= p.vaddr && vaddr - p.vaddr < p.filesz) found = p;
    return !found;
  }));
  if (!found) return std::optional<std::string_view>{};
  DISTILL_TRY_VOID(InFile(*found, data.size()));
  uint64_t skip = vaddr - found->vaddr;
  return std::optional<std::string_view>{data.substr(found->offset + skip, std::min(size, found->filesz - skip))};
}

Result<Probe> ProbeFile(const RandomAccessFile& file, std::initializer_list<std::string_view> names, size_t window) {
  Probe out;
  const uint64_t size = file.size();
  std::string head(std::min<uint64_t>(size, 64), '\0');
  DISTILL_TRY_VOID(file.ReadAt(0, head.data(), head.size()));
  out.elf = IsElf(head);
  if (!out.elf) return out;
  DISTILL_TRY(Layout l, ReadLayout(head));
  std::deque<std::string> held;  // what fetch read, alive while its views are used
  Fetch fetch = [&](uint64_t offset, uint64_t n) -> Result<std::string_view> {
    if (n > kMaxProbedTable) return Errorf("{}: ELF table of {} bytes, over the probe's limit", file.path(), n);
    std::string& b = held.emplace_back(n, '\0');
    DISTILL_TRY_VOID(file.ReadAt(offset, b.data(), b.size()));
    return std::string_view(b);
  };
  bool outside = false;
  DISTILL_TRY_VOID(ForEachSection(l, size, fetch, [&](std::string_view n, const Sh& s) {
    for (std::string_view want : names) {
      if (n != want || s.type == kShtNobits) continue;
      outside = outside || s.offset > size || size - s.offset < s.size;
      out.sections.emplace_back(n);
    }
    return true;
  }));
  if (outside) return Errorf("{}: ELF: a section's bytes lie outside the file", file.path());
  DISTILL_TRY(auto seg, FindDataSegment(l, size, fetch));
  if (seg) {
    out.data.resize(std::min<uint64_t>(seg->second, window));
    DISTILL_TRY_VOID(file.ReadAt(seg->first, out.data.data(), out.data.size()));
  }
  return out;
}

}  // namespace distill::catalog::elf
