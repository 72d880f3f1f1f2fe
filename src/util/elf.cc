#include "util/elf.h"

#include <algorithm>
#include <deque>
#include <functional>

#include "util/byte_view.h"

namespace distill::elf {

namespace {

constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3;
constexpr uint32_t kPfX = 1, kPfW = 2;
constexpr uint32_t kShtNobits = 8;
constexpr int64_t kDtNull = 0, kDtNeeded = 1, kDtStrtab = 5, kDtStrsz = 10, kDtSoname = 14,
                  kDtRpath = 15, kDtRunpath = 29;
constexpr uint64_t kMaxLinkPhdrs = 4096, kMaxDynamic = 1 << 16;  // ReadLinkInfo reads no more
// ProbeFile reads no larger header table or name table.
constexpr uint64_t kMaxProbedTable = 4 << 20;

bool HasMagic(std::string_view data) { return data.starts_with("\177ELF"); }

// The ELF header: the file's class and byte order, and where the header tables are.
struct Layout {
  bool is64 = false;
  ByteOrder order = ByteOrder::kLittle;
  uint16_t type = 0, machine = 0;
  uint64_t phoff = 0, phentsize = 0, phnum = 0;
  uint64_t shoff = 0, shentsize = 0, shnum = 0, shstrndx = 0;
  int word() const { return is64 ? 8 : 4; }  // addresses and offsets
};

// An EI_DATA other than 2 (big-endian) reads as little-endian, as the catalogers always took it.
Result<Layout> ReadLayout(std::string_view data) {
  if (!IsElf(data)) return Errorf("not an ELF file");
  if (data[4] != 1 && data[4] != 2)
    return Errorf("ELF: unknown class {}", static_cast<int>(data[4]));
  Layout l;
  l.is64 = data[4] == 2;
  l.order = data[5] == 2 ? ByteOrder::kBig : ByteOrder::kLittle;
  const ByteView header(data, l.order);
  const int w = l.word();
  // e_ident[16], e_type, e_machine, e_version, e_entry, e_phoff, e_shoff, e_flags, e_ehsize, then
  // e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx.
  const uint64_t tables = 24 + w, sizes = 24 + 3 * w + 6;
  auto read = [&]() -> Status {
    DISTILL_TRY(l.type, header.U16(16));
    DISTILL_TRY(l.machine, header.U16(18));
    DISTILL_TRY(l.phoff, header.Uint(tables, w));
    DISTILL_TRY(l.shoff, header.Uint(tables + w, w));
    DISTILL_TRY(l.phentsize, header.U16(sizes));
    DISTILL_TRY(l.phnum, header.U16(sizes + 2));
    DISTILL_TRY(l.shentsize, header.U16(sizes + 4));
    DISTILL_TRY(l.shnum, header.U16(sizes + 6));
    DISTILL_TRY(l.shstrndx, header.U16(sizes + 8));
    return {};
  };
  if (!read().ok()) return Errorf("ELF: header truncated");
  return l;
}

// Bytes of the file: `size` bytes at `offset`, which the caller checked lie inside the file.
// In memory a piece of the buffer; on disk a read (ProbeFile).
using Fetch = std::function<Result<std::string_view>(uint64_t offset, uint64_t size)>;

Fetch InMemory(std::string_view data) {
  return [data](uint64_t offset, uint64_t size) -> Result<std::string_view> {
    return data.substr(offset, size);
  };
}

// ---- Program headers

struct Segment {
  uint64_t index = 0;
  uint32_t type = 0, flags = 0;
  uint64_t offset = 0, vaddr = 0, filesz = 0;
};

Result<Segment> ReadSegment(const ByteView& table, const Layout& l, uint64_t i) {
  const uint64_t at = i * l.phentsize;
  Segment p;
  p.index = i;
  DISTILL_TRY(p.type, table.U32(at));
  if (l.is64) {  // p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz
    DISTILL_TRY(p.flags, table.U32(at + 4));
    DISTILL_TRY(p.offset, table.U64(at + 8));
    DISTILL_TRY(p.vaddr, table.U64(at + 16));
    DISTILL_TRY(p.filesz, table.U64(at + 32));
  } else {  // p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags
    DISTILL_TRY(p.offset, table.U32(at + 4));
    DISTILL_TRY(p.vaddr, table.U32(at + 8));
    DISTILL_TRY(p.filesz, table.U32(at + 16));
    DISTILL_TRY(p.flags, table.U32(at + 24));
  }
  return p;
}

// The program headers, in order. Errors where the table lies outside the file (`file_size`
// bytes); none when there is no table (e_phoff 0, as the gABI marks it).
Result<std::vector<Segment>> ReadSegments(const Layout& l, uint64_t file_size, const Fetch& fetch) {
  std::vector<Segment> out;
  if (l.phoff == 0 || l.phnum == 0) return out;
  if (l.phentsize < (l.is64 ? 56u : 32u))
    return Errorf("ELF: program header size {} too small", l.phentsize);
  if (l.phoff > file_size || (file_size - l.phoff) / l.phentsize < l.phnum)
    return Errorf("ELF: {} program headers at offset {} exceed the file ({} bytes)", l.phnum,
                  l.phoff, file_size);
  DISTILL_TRY(std::string_view bytes, fetch(l.phoff, l.phnum * l.phentsize));
  const ByteView table(bytes, l.order);
  out.reserve(l.phnum);
  for (uint64_t i = 0; i < l.phnum; ++i) {
    auto p = ReadSegment(table, l, i);
    if (!p.ok()) return Errorf("ELF: program header {} truncated", i);
    out.push_back(*p);
  }
  return out;
}

// The first PT_LOAD segment whose file bytes hold virtual address `vaddr`, nullptr if none.
const Segment* LoadAt(const std::vector<Segment>& segments, uint64_t vaddr) {
  for (const Segment& p : segments)
    if (p.type == kPtLoad && vaddr >= p.vaddr && vaddr - p.vaddr < p.filesz) return &p;
  return nullptr;
}

// The first PT_LOAD segment that is writable and not executable, nullptr if none.
const Segment* FirstData(const std::vector<Segment>& segments) {
  for (const Segment& p : segments)
    if (p.type == kPtLoad && (p.flags & (kPfX | kPfW)) == kPfW) return &p;
  return nullptr;
}

Error Outside(const Segment& p) {
  return Errorf("ELF: segment {} ({} bytes at {}) outside the file", p.index, p.filesz, p.offset);
}

Result<std::string_view> SegmentBytes(const ByteView& file, const Segment& p) {
  auto bytes = file.Bytes(p.offset, p.filesz);
  if (!bytes.ok()) return Outside(p);
  return bytes;
}

// ---- Section headers

struct SectionHeader {
  uint64_t name = 0, type = 0, offset = 0, size = 0;
};

Result<SectionHeader> ReadSectionHeader(const ByteView& table, const Layout& l, uint64_t i) {
  const uint64_t at = i * l.shentsize;
  const int w = l.word();
  SectionHeader s;  // sh_name, sh_type, sh_flags (a word), sh_addr, sh_offset, sh_size
  DISTILL_TRY(s.name, table.U32(at));
  DISTILL_TRY(s.type, table.U32(at + 4));
  DISTILL_TRY(s.offset, table.Uint(at + 8 + 2 * w, w));
  DISTILL_TRY(s.size, table.Uint(at + 8 + 3 * w, w));
  return s;
}

// Calls visit(name, header) for each section header in order until it returns false. Errors where
// the tables lie outside the file (`file_size` bytes).
Status ForEachSection(const Layout& l, uint64_t file_size, const Fetch& fetch,
                      const std::function<bool(std::string_view, const SectionHeader&)>& visit) {
  if (l.shoff == 0 || l.shnum == 0) return {};  // no section headers (stripped)
  if (l.shentsize < (l.is64 ? 64u : 40u))
    return Errorf("ELF: section header size {} too small", l.shentsize);
  if (l.shoff > file_size || (file_size - l.shoff) / l.shentsize < l.shnum)
    return Errorf("ELF: {} section headers at offset {} exceed the file ({} bytes)", l.shnum,
                  l.shoff, file_size);
  DISTILL_TRY(std::string_view bytes, fetch(l.shoff, l.shnum * l.shentsize));
  const ByteView table(bytes, l.order);
  Result<SectionHeader> strtab = Errorf("ELF: bad section name table index {}", l.shstrndx);
  if (l.shstrndx < l.shnum) strtab = ReadSectionHeader(table, l, l.shstrndx);
  if (!strtab.ok()) return Errorf("ELF: bad section name table index {}", l.shstrndx);
  if (strtab->offset > file_size || file_size - strtab->offset < strtab->size)
    return Errorf("ELF: section name table outside the file");
  DISTILL_TRY(std::string_view names, fetch(strtab->offset, strtab->size));
  for (uint64_t i = 0; i < l.shnum; ++i) {
    auto s = ReadSectionHeader(table, l, i);
    if (!s.ok()) return Errorf("ELF: section header {} truncated", i);
    if (s->name >= names.size()) continue;
    std::string_view n = names.substr(s->name);
    n = n.substr(0, n.find('\0'));  // an unterminated name ends with the table
    if (!visit(n, *s)) break;
  }
  return {};
}

// ---- Dynamic section

void SplitPath(std::string_view s, std::vector<std::string>* out) {
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(':', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out->emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
}

Status ReadDynamic(const ByteView& file, const Layout& l, const std::vector<Segment>& segments,
                   const Segment& dynamic, LinkInfo* info) {
  DISTILL_TRY(std::string_view bytes, SegmentBytes(file, dynamic));
  const ByteView entries(bytes, l.order);
  const int w = l.word();
  std::vector<uint64_t> needed;
  std::optional<uint64_t> strtab, rpath, runpath, soname;
  uint64_t strsz = 0;
  for (uint64_t i = 0; i < kMaxDynamic && (i + 1) * 2 * w <= entries.size(); ++i) {
    DISTILL_TRY(uint64_t tag, entries.Uint(i * 2 * w, w));  // d_tag, then d_val
    DISTILL_TRY(uint64_t val, entries.Uint(i * 2 * w + w, w));
    int64_t t = static_cast<int64_t>(tag);
    if (t == kDtNull) break;
    if (t == kDtNeeded)
      needed.push_back(val);
    else if (t == kDtStrtab)
      strtab = val;
    else if (t == kDtStrsz)
      strsz = val;
    else if (t == kDtRpath)
      rpath = val;
    else if (t == kDtRunpath)
      runpath = val;
    else if (t == kDtSoname)
      soname = val;
  }
  if (needed.empty() && !rpath && !runpath && !soname) return {};
  if (!strtab) return Errorf("ELF: dynamic section has DT_NEEDED but no DT_STRTAB");
  const Segment* load = LoadAt(segments, *strtab);
  if (!load) return Errorf("ELF: address {:#x} is in no loaded segment", *strtab);
  uint64_t stroff = load->offset + (*strtab - load->vaddr);
  if (stroff > file.size()) return Errorf("ELF: string table outside the file");
  uint64_t rest =
      file.size() - stroff;  // DT_STRSZ when it is set and fits, else the rest of the file
  DISTILL_TRY(ByteView table, file.Sub(stroff, strsz == 0 || strsz > rest ? rest : strsz));
  for (uint64_t n : needed) {
    DISTILL_TRY(std::string_view name, table.CString(n));
    info->needed.emplace_back(name);
  }
  if (runpath || rpath) {
    DISTILL_TRY(std::string_view path, table.CString(runpath ? *runpath : *rpath));
    SplitPath(path, &info->runpath);
  }
  if (soname) {
    DISTILL_TRY(std::string_view name, table.CString(*soname));
    info->soname = name;
  }
  return {};
}

}  // namespace

bool IsElf(std::string_view data) { return data.size() >= 52 && HasMagic(data); }

Result<LinkInfo> ReadLinkInfo(std::string_view data) {
  if (!HasMagic(data)) return Errorf("not an ELF file");
  if (data.size() < 52)
    return Errorf("premature EOF: ELF header needs 52 bytes, have {}", data.size());
  if (data[5] != 1 && data[5] != 2)
    return Errorf("ELF: unknown data encoding {}", static_cast<int>(data[5]));
  DISTILL_TRY(Layout l, ReadLayout(data));
  if (l.phnum > kMaxLinkPhdrs)
    return Errorf("{} program headers (limit {})", l.phnum, kMaxLinkPhdrs);
  DISTILL_TRY(std::vector<Segment> segments, ReadSegments(l, data.size(), InMemory(data)));
  const ByteView file(data, l.order);
  LinkInfo info;
  info.is64 = l.is64;
  info.type = l.type;
  info.machine = l.machine;
  for (const Segment& p : segments) {
    if (p.type != kPtInterp) continue;
    DISTILL_TRY(std::string_view s, SegmentBytes(file, p));
    info.interp = std::string(s.substr(0, s.find('\0')));
  }
  for (const Segment& p : segments)
    if (p.type == kPtDynamic) {
      DISTILL_TRY_VOID(ReadDynamic(file, l, segments, p, &info));
      break;
    }
  return info;
}

std::string_view MultiarchTriplet(uint16_t machine) {
  switch (machine) {
    case 62:
      return "x86_64-linux-gnu";
    case 183:
      return "aarch64-linux-gnu";
    case 3:
      return "i386-linux-gnu";
    case 40:
      return "arm-linux-gnueabihf";
    case 21:
      return "powerpc64le-linux-gnu";
    case 22:
      return "s390x-linux-gnu";
    case 243:
      return "riscv64-linux-gnu";
    default:
      return "";
  }
}

Result<std::optional<std::string_view>> Section(std::string_view data, std::string_view name) {
  DISTILL_TRY(Layout l, ReadLayout(data));
  std::optional<SectionHeader> found;
  DISTILL_TRY_VOID(ForEachSection(l, data.size(), InMemory(data),
                                  [&](std::string_view n, const SectionHeader& s) {
                                    if (n == name) found = s;
                                    return !found;
                                  }));
  if (!found || found->type == kShtNobits) return std::optional<std::string_view>{};
  auto bytes = ByteView(data).Bytes(found->offset, found->size);
  if (!bytes.ok())
    return Errorf("ELF: section {} ({} bytes at {}) outside the file", name, found->size,
                  found->offset);
  return std::optional<std::string_view>{*bytes};
}

Result<std::optional<std::string_view>> FirstDataSegment(std::string_view data) {
  DISTILL_TRY(Layout l, ReadLayout(data));
  DISTILL_TRY(std::vector<Segment> segments, ReadSegments(l, data.size(), InMemory(data)));
  const Segment* seg = FirstData(segments);
  if (!seg) return std::optional<std::string_view>{};
  DISTILL_TRY(std::string_view bytes, SegmentBytes(ByteView(data), *seg));
  return std::optional<std::string_view>{bytes};
}

Result<std::optional<std::string_view>> AtAddress(std::string_view data, uint64_t vaddr,
                                                  uint64_t size) {
  DISTILL_TRY(Layout l, ReadLayout(data));
  DISTILL_TRY(std::vector<Segment> segments, ReadSegments(l, data.size(), InMemory(data)));
  const Segment* seg = LoadAt(segments, vaddr);
  if (!seg) return std::optional<std::string_view>{};
  DISTILL_TRY(std::string_view bytes, SegmentBytes(ByteView(data), *seg));
  uint64_t skip = vaddr - seg->vaddr;
  return std::optional<std::string_view>{bytes.substr(skip, std::min(size, seg->filesz - skip))};
}

Result<Probe> ProbeFile(const RandomAccessFile& file, std::initializer_list<std::string_view> names,
                        size_t window) {
  Probe out;
  const uint64_t size = file.size();
  std::string head(std::min<uint64_t>(size, 64), '\0');
  DISTILL_TRY_VOID(file.ReadAt(0, head.data(), head.size()));
  out.elf = IsElf(head);
  if (!out.elf) return out;
  DISTILL_TRY(Layout l, ReadLayout(head));
  std::deque<std::string> held;  // what fetch read, alive while its views are used
  Fetch fetch = [&](uint64_t offset, uint64_t n) -> Result<std::string_view> {
    if (n > kMaxProbedTable)
      return Errorf("{}: ELF table of {} bytes, over the probe's limit", file.path(), n);
    std::string& b = held.emplace_back(n, '\0');
    DISTILL_TRY_VOID(file.ReadAt(offset, b.data(), b.size()));
    return std::string_view(b);
  };
  bool outside = false;
  DISTILL_TRY_VOID(ForEachSection(l, size, fetch, [&](std::string_view n, const SectionHeader& s) {
    for (std::string_view want : names) {
      if (n != want || s.type == kShtNobits) continue;
      outside = outside || s.offset > size || size - s.offset < s.size;
      out.sections.emplace_back(n);
    }
    return true;
  }));
  if (outside) return Errorf("{}: ELF: a section's bytes lie outside the file", file.path());
  DISTILL_TRY(std::vector<Segment> segments, ReadSegments(l, size, fetch));
  if (const Segment* seg = FirstData(segments)) {
    if (seg->offset > size || size - seg->offset < seg->filesz) return Outside(*seg);
    out.data.resize(std::min<uint64_t>(seg->filesz, window));
    DISTILL_TRY_VOID(file.ReadAt(seg->offset, out.data.data(), out.data.size()));
  }
  return out;
}

}  // namespace distill::elf
