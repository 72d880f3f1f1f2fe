#include "vuln/importers/zip.h"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "util/file.h"

namespace distill::vuln::importers::zip {

namespace {

// Little-endian fields (APPNOTE.TXT §4.3).
uint16_t U16(const uint8_t* bytes) { return static_cast<uint16_t>(bytes[0] | bytes[1] << 8); }
uint32_t U32(const uint8_t* bytes) {
  return U16(bytes) | static_cast<uint32_t>(U16(bytes + 2)) << 16;
}
uint64_t U64(const uint8_t* bytes) {
  return U32(bytes) | static_cast<uint64_t>(U32(bytes + 4)) << 32;
}

constexpr uint32_t kLocalSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50, kZip64LocatorSig = 0x07064b50;

struct Directory {
  uint64_t entries, size, offset;
};

Result<Directory> FindDirectory(const RandomAccessFile& file) {
  uint64_t size = file.size();
  if (size < 22) return Errorf("{}: not a zip archive (too short)", file.path());
  uint64_t tail_len = std::min<uint64_t>(size, 22 + 65535);  // the comment is at most 64 KiB
  std::vector<uint8_t> tail(tail_len);
  DISTILL_TRY_VOID(file.ReadAt(size - tail_len, tail.data(), tail_len));
  for (uint64_t i = tail_len - 22 + 1; i-- > 0;) {
    const uint8_t* e = tail.data() + i;
    if (U32(e) != kEndSig) continue;
    Directory d{U16(e + 10), U32(e + 12), U32(e + 16)};
    if (d.entries == 0xFFFF || d.size == 0xFFFFFFFF || d.offset == 0xFFFFFFFF) {
      uint64_t end = size - tail_len + i;
      if (end < 20) return Errorf("{}: Zip64 locator missing", file.path());
      uint8_t loc[20], rec[56];
      DISTILL_TRY_VOID(file.ReadAt(end - 20, loc, sizeof loc));
      if (U32(loc) != kZip64LocatorSig) return Errorf("{}: Zip64 locator missing", file.path());
      uint64_t at = U64(loc + 8);
      if (at + sizeof rec > size) return Errorf("{}: Zip64 end record out of range", file.path());
      DISTILL_TRY_VOID(file.ReadAt(at, rec, sizeof rec));
      if (U32(rec) != kZip64EndSig) return Errorf("{}: bad Zip64 end record", file.path());
      d = {U64(rec + 32), U64(rec + 40), U64(rec + 48)};
    }
    if (d.offset + d.size > size || d.size > (1ull << 31))
      return Errorf("{}: central directory out of range", file.path());
    return d;
  }
  return Errorf("{}: not a zip archive (no end of central directory)", file.path());
}

Result<std::vector<Entry>> ReadDirectory(const RandomAccessFile& file, const Directory& directory) {
  std::vector<uint8_t> cd(directory.size);
  DISTILL_TRY_VOID(file.ReadAt(directory.offset, cd.data(), cd.size()));
  std::vector<Entry> out;
  size_t p = 0;
  for (uint64_t n = 0; n < directory.entries; ++n) {
    if (p + 46 > cd.size() || U32(&cd[p]) != kCentralSig)
      return Errorf("{}: central directory entry {} is corrupt", file.path(), n);
    const uint8_t* h = &cd[p];
    Entry e{"", U16(h + 8), U16(h + 10), U32(h + 16), U32(h + 20), U32(h + 24), U32(h + 42)};
    size_t name_len = U16(h + 28), extra_len = U16(h + 30), comment_len = U16(h + 32);
    if (p + 46 + name_len + extra_len + comment_len > cd.size())
      return Errorf("{}: central directory entry {} is corrupt", file.path(), n);
    e.name.assign(reinterpret_cast<const char*>(h + 46), name_len);
    // Zip64 extended information (§4.5.3): the 64-bit values of the fields set to all ones.
    for (const uint8_t *x = h + 46 + name_len, *end = x + extra_len; x + 4 <= end;) {
      uint16_t id = U16(x), len = U16(x + 2);
      const uint8_t* v = x + 4;
      if (v + len > end) break;
      if (id == 0x0001) {
        const uint8_t* vend = v + len;
        if (e.usize == 0xFFFFFFFF && v + 8 <= vend) e.usize = U64(v), v += 8;
        if (e.csize == 0xFFFFFFFF && v + 8 <= vend) e.csize = U64(v), v += 8;
        if (e.offset == 0xFFFFFFFF && v + 8 <= vend) e.offset = U64(v), v += 8;
      }
      x += 4 + len;
    }
    out.push_back(std::move(e));
    p += 46 + name_len + extra_len + comment_len;
  }
  return out;
}

// The entry's sizes are known, so it is inflated in one call into a buffer of its exact size:
// libdeflate's whole-buffer decompressor, faster than ISA-L's streaming inflate on OSV's small
// records (doc/vuln-db.md, "Performance"). One decompressor per thread (it holds ~32 KB of tables).
template <typename Where>
Status Inflate(const Where& where, std::span<const uint8_t> in, char* out, size_t size) {
  struct Decompressor {
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    ~Decompressor() { libdeflate_free_decompressor(d); }
  };
  static thread_local Decompressor dec;
  if (!dec.d) return Errorf("{}: out of memory", where());
  size_t got = 0;
  auto rc = libdeflate_deflate_decompress(dec.d, in.data(), in.size(), out, size, &got);
  if (rc == LIBDEFLATE_BAD_DATA) return Errorf("{}: corrupt deflate data", where());
  if (rc != LIBDEFLATE_SUCCESS || got != size)
    return Errorf("{}: deflate data does not match the entry's size", where());
  return {};
}

}  // namespace

bool IsZip(const std::string& path) {
  auto f = RandomAccessFile::Open(path);
  if (!f.ok() || (*f)->size() < 4) return false;
  char magic[4];
  return (*f)->ReadAt(0, magic, 4).ok() && std::string_view(magic, 4) == "PK\x03\x04";
}

Archive::~Archive() = default;

Result<std::unique_ptr<Archive>> Archive::Open(const std::string& path) {
  std::unique_ptr<Archive> a(new Archive());
  a->path_ = path;
  DISTILL_TRY(a->file_, RandomAccessFile::Open(path));
  DISTILL_TRY(Directory dir, FindDirectory(*a->file_));
  DISTILL_TRY(a->entries_, ReadDirectory(*a->file_, dir));
  return a;
}

Archive::Window Archive::ReadWindow(const std::vector<const Entry*>& entries,
                                    uint64_t max_bytes) const {
  constexpr uint64_t kLocalRoom = 30 + 1024;  // a local header, its name and extra field
  Window w;
  if (entries.empty()) return w;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const Entry* e : entries) {
    if (e->csize > max_bytes || e->offset > file_->size()) return w;
    lo = std::min(lo, e->offset);
    hi = std::max(hi, e->offset + kLocalRoom + e->name.size() + e->csize);
  }
  hi = std::min(hi, file_->size());
  if (lo >= hi || hi - lo > max_bytes) return w;
  w.bytes.resize(hi - lo);
  if (!file_->ReadAt(lo, w.bytes.data(), w.bytes.size()).ok()) return {};
  w.offset = lo;
  return w;
}

Result<std::string_view> Archive::ReadPadded(const Entry& entry, uint64_t max_entry,
                                             std::string& buffer, std::vector<uint8_t>& packed,
                                             const Window* window) const {
  const RandomAccessFile& f = *file_;
  auto where = [&] { return path_ + ": " + entry.name; };  // built on error only
  // n bytes at offset: from the window when it holds them all, else read from the file.
  auto in_window = [&](uint64_t offset, uint64_t n) -> const char* {
    if (!window || offset < window->offset || offset - window->offset > window->bytes.size() ||
        window->bytes.size() - (offset - window->offset) < n)
      return nullptr;
    return window->bytes.data() + (offset - window->offset);
  };
  if (entry.flags & 1) return Errorf("{}: encrypted entries are not supported", where());
  if (entry.method != 0 && entry.method != 8)
    return Errorf("{}: unsupported compression method {}", where(), entry.method);
  if (entry.usize > max_entry || entry.csize > max_entry)
    return Errorf("{}: entry too large ({} bytes)", where(), entry.usize);
  uint8_t local[30];
  if (entry.offset + sizeof local > f.size())
    return Errorf("{}: local header out of range", where());
  if (const char* p = in_window(entry.offset, sizeof local))
    std::memcpy(local, p, sizeof local);
  else
    DISTILL_TRY_VOID(f.ReadAt(entry.offset, local, sizeof local));
  if (U32(local) != kLocalSig) return Errorf("{}: bad local header", where());
  uint64_t data = entry.offset + 30 + U16(local + 26) + U16(local + 28);
  if (data + entry.csize > f.size()) return Errorf("{}: entry data out of range", where());
  if (buffer.size() < entry.usize + kPadding) buffer.resize(entry.usize + kPadding);
  char* out = buffer.data();
  const char* held = in_window(data, entry.csize);
  if (entry.method == 0) {
    if (entry.csize != entry.usize) return Errorf("{}: stored entry with different sizes", where());
    if (held)
      std::memcpy(out, held, entry.usize);
    else
      DISTILL_TRY_VOID(f.ReadAt(data, out, entry.usize));
  } else if (held) {
    DISTILL_TRY_VOID(
        Inflate(where, {reinterpret_cast<const uint8_t*>(held), entry.csize}, out, entry.usize));
  } else {
    packed.resize(entry.csize);
    DISTILL_TRY_VOID(f.ReadAt(data, packed.data(), entry.csize));
    DISTILL_TRY_VOID(Inflate(where, packed, out, entry.usize));
  }
  uint32_t crc = libdeflate_crc32(0, out, entry.usize);
  if (crc != entry.crc) return Errorf("{}: CRC mismatch (archive corrupt)", where());
  return std::string_view(out, entry.usize);
}

Status Archive::Read(const Entry& entry, uint64_t max_entry, std::string& text,
                     std::vector<uint8_t>& packed) const {
  DISTILL_TRY(std::string_view got, ReadPadded(entry, max_entry, text, packed));
  text.resize(got.size());
  return {};
}

Status ForEachFile(const std::string& path, uint64_t max_entry,
                   const std::function<bool(std::string_view)>& want,
                   const std::function<Status(std::string_view, std::string_view)>& fn) {
  DISTILL_TRY(auto archive, Archive::Open(path));
  std::vector<uint8_t> packed;
  std::string text;
  for (const Entry& e : archive->entries()) {
    if (!e.is_file() || !want(e.name)) continue;
    DISTILL_TRY_VOID(archive->Read(e, max_entry, text, packed));
    DISTILL_TRY_VOID(fn(e.name, text));
  }
  return {};
}

}  // namespace distill::vuln::importers::zip
