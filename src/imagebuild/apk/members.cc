#include "imagebuild/apk/members.h"

#include <zlib.h>

#include <charconv>
#include <cstring>
#include <memory>

#include "image/file_index.h"
#include "image/tar_index.h"

namespace distill::imagebuild::apk {

std::string Describe(ByteRange r) {
  if (r.size == 0) return fmt::format("bytes {}-{} (empty)", r.offset, r.offset);
  return fmt::format("bytes {}-{}", r.offset, r.end() - 1);
}

namespace {

struct InflateEnd {
  void operator()(z_stream* z) const {
    inflateEnd(z);
    delete z;
  }
};

using Inflater = std::unique_ptr<z_stream, InflateEnd>;

// A zlib stream for the gzip member at bytes[offset]; an error if no gzip header starts there.
Result<Inflater> OpenMember(std::string_view bytes, uint64_t offset) {
  if (offset >= bytes.size() || bytes.size() - offset < 18 ||
      static_cast<unsigned char>(bytes[offset]) != 0x1f ||
      static_cast<unsigned char>(bytes[offset + 1]) != 0x8b)
    return Errorf("no gzip member at offset {}", offset);
  Inflater z(new z_stream{});
  if (inflateInit2(z.get(), 16 + 15) != Z_OK) return InternalErrorf("zlib: inflateInit2 failed");
  return z;
}

constexpr uint64_t kChunk = 256 << 10;
constexpr uint64_t kMaxPax = 1 << 20;
constexpr uint64_t kMaxLongName = 64 << 10;

}  // namespace

Result<ByteRange> InflateMember(std::string_view bytes, uint64_t offset, std::string* out,
                                uint64_t max_out) {
  DISTILL_TRY(Inflater z, OpenMember(bytes, offset));
  uint64_t in_pos = offset, total = 0;
  char scratch[16 << 10];
  for (;;) {
    if (z->avail_in == 0 && in_pos < bytes.size()) {
      uint64_t n = std::min<uint64_t>(bytes.size() - in_pos, 1u << 30);
      z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + in_pos));
      z->avail_in = static_cast<uInt>(n);
      in_pos += n;
    }
    size_t base = 0, room = sizeof(scratch);
    if (out) {
      base = out->size();
      room = kChunk;
      out->resize(base + room);
      z->next_out = reinterpret_cast<Bytef*>(out->data() + base);
    } else {
      z->next_out = reinterpret_cast<Bytef*>(scratch);
    }
    z->avail_out = static_cast<uInt>(room);
    int r = inflate(z.get(), Z_NO_FLUSH);
    uint64_t produced = room - z->avail_out;
    if (out) out->resize(base + produced);
    total += produced;
    if (total > max_out)
      return Errorf("gzip member at offset {} inflates to more than {} bytes", offset, max_out);
    if (r == Z_STREAM_END) break;
    if (r == Z_BUF_ERROR && z->avail_in == 0 && in_pos == bytes.size())
      return Errorf("gzip member at offset {} is truncated", offset);
    if (r != Z_OK && r != Z_BUF_ERROR)
      return Errorf("gzip member at offset {} is corrupt: {}", offset,
                    z->msg ? z->msg : "inflate error");
  }
  uint64_t consumed = in_pos - offset - z->avail_in;
  return ByteRange{offset, consumed};
}

Result<std::string> InflatePrefix(std::string_view bytes, uint64_t offset, uint64_t n) {
  DISTILL_TRY(Inflater z, OpenMember(bytes, offset));
  std::string out(n, '\0');
  uint64_t in = std::min<uint64_t>(bytes.size() - offset, 1u << 30);
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + offset));
  z->avail_in = static_cast<uInt>(in);
  z->next_out = reinterpret_cast<Bytef*>(out.data());
  z->avail_out = static_cast<uInt>(n);
  int r = Z_OK;
  while (z->avail_out > 0 && r == Z_OK) r = inflate(z.get(), Z_NO_FLUSH);
  if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
    return Errorf("gzip member at offset {} is corrupt: {}", offset,
                  z->msg ? z->msg : "inflate error");
  out.resize(n - z->avail_out);
  return out;
}

namespace {

std::string_view CString(const char* p, size_t n) { return {p, strnlen(p, n)}; }

// A numeric field of a tar header: where it is (POSIX ustar) and its name for errors.
struct NumberField {
  size_t at, len;
  const char* name;
};
constexpr NumberField kMode{100, 8, "mode"}, kUid{108, 8, "uid"}, kGid{116, 8, "gid"},
    kSize{124, 12, "size"}, kMtime{136, 12, "mtime"}, kChecksum{148, 8, "checksum"},
    kDevMajor{329, 8, "devmajor"}, kDevMinor{337, 8, "devminor"};

bool ReadNumber(const char* h, NumberField f, uint64_t* out) {
  return image::ParseTarNumber(CString(h + f.at, f.len), out);
}

Status HeaderNumber(const char* h, NumberField f, uint64_t* out) {
  if (!ReadNumber(h, f, out)) return Errorf("bad {} field", f.name);
  return {};
}

// pax headers and GNU long names: they describe the entry after them.
bool IsMetaEntry(char flag) { return flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K'; }

bool ChecksumOk(const char* h) {
  uint64_t want;
  if (!ReadNumber(h, kChecksum, &want)) return false;
  uint64_t sum = 0;
  for (int i = 0; i < 512; ++i)
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
  return sum == want;
}

// The pax records that apply to the next entry.
struct Pax {
  std::string path, link, sha1;
  bool has_path = false, has_link = false, has_size = false, has_mtime = false;
  bool has_uid = false, has_gid = false;
  uint64_t size = 0, uid = 0, gid = 0;
  int64_t mtime = 0;
};

Result<uint64_t> Decimal(std::string_view v) {
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p == v.data()) return Errorf("bad number '{}'", v);
  return n;
}

Status ParsePax(std::string_view data, Pax* pax) {
  while (!data.empty()) {
    if (data.front() == '\0') break;  // padding
    size_t sp = data.find(' ');
    if (sp == std::string_view::npos) return Errorf("malformed pax record");
    DISTILL_TRY(uint64_t len, Decimal(data.substr(0, sp)));
    if (len <= sp + 1 || len > data.size() || data[len - 1] != '\n')
      return Errorf("malformed pax record");
    std::string_view rec = data.substr(sp + 1, len - sp - 2);
    size_t eq = rec.find('=');
    if (eq == std::string_view::npos) return Errorf("malformed pax record");
    std::string_view key = rec.substr(0, eq), val = rec.substr(eq + 1);
    if (key == "path") {
      pax->path = val, pax->has_path = true;
    } else if (key == "linkpath") {
      pax->link = val, pax->has_link = true;
    } else if (key == "APK-TOOLS.checksum.SHA1") {
      pax->sha1 = val;
    } else if (key == "size" || key == "uid" || key == "gid" || key == "mtime") {
      std::string_view whole = val.substr(0, val.find('.'));  // mtime may carry a fraction
      bool negative = key == "mtime" && whole.starts_with('-');
      if (negative) whole.remove_prefix(1);
      auto n = Decimal(whole);
      if (!n.ok()) return std::move(n).error().wrap(fmt::format("pax record {}", key));
      if (key == "size") pax->size = *n, pax->has_size = true;
      if (key == "uid") pax->uid = *n, pax->has_uid = true;
      if (key == "gid") pax->gid = *n, pax->has_gid = true;
      if (key == "mtime") {
        pax->mtime =
            negative ? -static_cast<int64_t>(*n & INT64_MAX) : static_cast<int64_t>(*n & INT64_MAX);
        pax->has_mtime = true;
      }
    }
    data.remove_prefix(len);
  }
  return {};
}

Result<image::TarItem::Type> TypeOf(char flag) {
  using T = image::TarItem::Type;
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return T::kFile;
    case '1':
      return T::kHardlink;
    case '2':
      return T::kSymlink;
    case '3':
      return T::kChar;
    case '4':
      return T::kBlock;
    case '5':
      return T::kDir;
    case '6':
      return T::kFifo;
  }
  return Errorf("unsupported tar entry type '{}'", flag);
}

// The entry of header h at pos, with the pending long names and pax records applied.
Result<TarEntry> EntryOf(const char* h, uint64_t pos, uint64_t size, std::string* long_name,
                         std::string* long_link, Pax* pax) {
  TarEntry e;
  DISTILL_TRY(e.type, TypeOf(h[156]));
  uint64_t mode, uid, gid, mtime, major, minor;
  DISTILL_TRY_VOID(HeaderNumber(h, kMode, &mode));
  DISTILL_TRY_VOID(HeaderNumber(h, kUid, &uid));
  DISTILL_TRY_VOID(HeaderNumber(h, kGid, &gid));
  DISTILL_TRY_VOID(HeaderNumber(h, kMtime, &mtime));
  bool ustar = std::memcmp(h + 257, "ustar", 5) == 0;
  major = minor = 0;
  if (ustar) {
    DISTILL_TRY_VOID(HeaderNumber(h, kDevMajor, &major));
    DISTILL_TRY_VOID(HeaderNumber(h, kDevMinor, &minor));
  }
  std::string name;
  if (pax->has_path) {
    name = pax->path;
  } else if (!long_name->empty()) {
    name = *long_name;
  } else {
    auto prefix = CString(h + 345, 155), base = CString(h, 100);
    name = (ustar && !prefix.empty()) ? fmt::format("{}/{}", prefix, base) : std::string(base);
  }
  std::string link = pax->has_link         ? pax->link
                     : !long_link->empty() ? *long_link
                                           : std::string(CString(h + 157, 100));
  DISTILL_TRY(e.path, image::NormalizeEntryPath(name));
  e.mode = static_cast<uint32_t>(mode & 07777);
  e.uid = static_cast<uint32_t>(pax->has_uid ? pax->uid : uid);
  e.gid = static_cast<uint32_t>(pax->has_gid ? pax->gid : gid);
  e.mtime = pax->has_mtime ? pax->mtime : static_cast<int64_t>(mtime & INT64_MAX);
  e.size = e.type == image::TarItem::Type::kFile ? size : 0;
  e.dev_major = static_cast<uint32_t>(major);
  e.dev_minor = static_cast<uint32_t>(minor);
  e.sha1 = std::move(pax->sha1);
  e.offset = pos + 512;
  if (e.type == image::TarItem::Type::kHardlink) {
    DISTILL_TRY(e.link, image::NormalizeEntryPath(link));
  } else if (e.type == image::TarItem::Type::kSymlink) {
    e.link = std::move(link);
  }
  long_name->clear();
  long_link->clear();
  *pax = Pax{};
  return e;
}

}  // namespace

std::string FirstTarPath(std::string_view tar) {
  uint64_t pos = 0;
  while (tar.size() >= 512 && pos <= tar.size() - 512) {
    const char* h = tar.data() + pos;
    char flag = h[156];
    if (!IsMetaEntry(flag)) {
      auto norm = image::NormalizeEntryPath(CString(h, 100));
      return norm.ok() ? *norm : "";
    }
    uint64_t size;
    if (!ReadNumber(h, kSize, &size) || size > tar.size()) return "";
    pos += 512 + (size + 511) / 512 * 512;
  }
  return "";
}

Status ReadTar(std::string_view tar, uint64_t max_entries, const TarVisit& visit) {
  uint64_t pos = 0, entries = 0;
  std::string long_name, long_link;
  Pax pax;
  while (pos < tar.size()) {
    if (tar.size() - pos < 512) return Errorf("tar header at offset {} is truncated", pos);
    const char* h = tar.data() + pos;
    bool zero = true;
    for (int i = 0; i < 512 && zero; ++i) zero = h[i] == 0;
    if (zero) return {};  // end-of-archive
    if (!ChecksumOk(h)) return Errorf("tar header at offset {}: bad checksum", pos);
    uint64_t size;
    if (!ReadNumber(h, kSize, &size)) return Errorf("tar header at offset {}: bad size field", pos);
    char flag = h[156];
    bool meta = IsMetaEntry(flag);
    if (!meta && pax.has_size) size = pax.size;
    // Links, directories and devices have no data whatever their size field says.
    bool no_data = flag >= '1' && flag <= '6';
    uint64_t data = pos + 512;
    uint64_t stored = no_data ? 0 : size;
    if (stored > tar.size() - data)
      return Errorf("tar entry at offset {} declares {} bytes, only {} remain", pos, stored,
                    tar.size() - data);
    uint64_t padded = (stored + 511) / 512 * 512;
    uint64_t next = std::min<uint64_t>(data + padded, tar.size());
    std::string_view content = tar.substr(data, stored);
    if (flag == 'x' || flag == 'g') {
      if (stored > kMaxPax) return Errorf("tar entry at offset {}: pax header too large", pos);
      if (flag == 'x') {
        auto st = ParsePax(content, &pax);
        if (!st.ok()) return std::move(st).error().wrap(fmt::format("tar entry at offset {}", pos));
      }
    } else if (flag == 'L' || flag == 'K') {
      if (stored > kMaxLongName) return Errorf("tar entry at offset {}: long name too large", pos);
      (flag == 'L' ? long_name : long_link) = std::string(CString(content.data(), content.size()));
    } else {
      if (++entries > max_entries) return Errorf("more than {} tar entries", max_entries);
      auto e = EntryOf(h, pos, stored, &long_name, &long_link, &pax);
      if (!e.ok()) return std::move(e).error().wrap(fmt::format("tar entry at offset {}", pos));
      DISTILL_TRY_VOID(visit(*e, content));
    }
    pos = next;
  }
  return {};
}

}  // namespace distill::imagebuild::apk
