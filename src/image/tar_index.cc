#include "image/tar_index.h"

#include <cstring>

#include "image/file_index.h"

namespace distill::image {

bool ParseTarNumber(std::string_view f, uint64_t* out) {
  if (!f.empty() && (static_cast<unsigned char>(f[0]) & 0x80)) {  // base-256
    uint64_t v = static_cast<unsigned char>(f[0]) & 0x7f;
    for (size_t i = 1; i < f.size(); ++i) {
      if (v >> 56) return false;
      v = (v << 8) | static_cast<unsigned char>(f[i]);
    }
    *out = v;
    return true;
  }
  uint64_t v = 0;
  size_t i = 0;
  while (i < f.size() && f[i] == ' ') ++i;
  bool any = false;
  for (; i < f.size() && f[i] >= '0' && f[i] <= '7'; ++i) {
    if (v >> 60) return false;
    v = v * 8 + (f[i] - '0');
    any = true;
  }
  for (; i < f.size(); ++i)
    if (f[i] != ' ' && f[i] != '\0') return false;
  *out = any ? v : 0;
  return true;
}

namespace {

std::string_view CString(const char* p, size_t n) { return {p, strnlen(p, n)}; }

bool ChecksumOk(const unsigned char* h) {
  uint64_t want;
  if (!ParseTarNumber(CString(reinterpret_cast<const char*>(h) + 148, 8), &want)) return false;
  uint64_t sum = 0;
  for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum == want;
}

// Reads "len key=value\n" records of a pax extended header.
void ParsePax(std::string_view data, std::string* path, std::string* link, uint64_t* size,
              bool* has_size) {
  while (!data.empty()) {
    size_t sp = data.find(' ');
    if (sp == std::string_view::npos) return;
    uint64_t len = 0;
    for (size_t i = 0; i < sp; ++i) {
      if (data[i] < '0' || data[i] > '9') return;
      len = len * 10 + (data[i] - '0');
    }
    if (len <= sp + 1 || len > data.size()) return;
    std::string_view rec = data.substr(sp + 1, len - sp - 2);  // without trailing '\n'
    size_t eq = rec.find('=');
    if (eq != std::string_view::npos) {
      auto key = rec.substr(0, eq), val = rec.substr(eq + 1);
      if (key == "path")
        *path = std::string(val);
      else if (key == "linkpath")
        *link = std::string(val);
      else if (key == "size") {
        uint64_t v = 0;
        for (char c : val) v = v * 10 + (c - '0');
        *size = v;
        *has_size = true;
      }
    }
    data.remove_prefix(len);
  }
}

}  // namespace

Status WalkTar(const TarReadAt& read, uint64_t limit, uint64_t max_members, const TarVisit& visit) {
  uint64_t pos = 0, members = 0;
  std::string long_name, long_link, pax_path, pax_link;
  uint64_t pax_size = 0;
  bool pax_has_size = false;
  unsigned char h[512];
  while (pos + 512 <= limit) {
    DISTILL_TRY_VOID(read(pos, h, 512));
    bool zero = true;
    for (unsigned char c : h) zero = zero && c == 0;
    if (zero) break;  // end-of-archive marker
    if (!ChecksumOk(h)) return Errorf("corrupt tar header at offset {} (bad checksum)", pos);
    uint64_t size;
    if (!ParseTarNumber(CString(reinterpret_cast<char*>(h) + 124, 12), &size))
      return Errorf("corrupt tar header at offset {} (bad size field)", pos);
    char type = static_cast<char>(h[156]);
    uint64_t data = pos + 512;
    if (pax_has_size && type != 'x' && type != 'L' && type != 'K') size = pax_size;
    if (size > limit || data > limit - size)
      return Errorf("tar member at offset {} is truncated ({} bytes declared, file has {})", pos,
                    size, limit);
    if (size > UINT64_MAX - 1024)
      return Errorf("corrupt tar header at offset {} (size too large)", pos);
    uint64_t next = data + ((size + 511) / 512) * 512;
    if (type == 'L' || type == 'K' || type == 'x') {
      if (size > (1 << 20))
        return Errorf("tar header at offset {}: extended header too large", pos);
      std::string buf(size, '\0');
      DISTILL_TRY_VOID(read(data, buf.data(), size));
      if (type == 'L')
        long_name = std::string(CString(buf.data(), buf.size()));
      else if (type == 'K')
        long_link = std::string(CString(buf.data(), buf.size()));
      else
        ParsePax(buf, &pax_path, &pax_link, &pax_size, &pax_has_size);
      pos = next;
      continue;
    }
    std::string name;
    if (!pax_path.empty())
      name = pax_path;
    else if (!long_name.empty())
      name = long_name;
    else {
      auto prefix = CString(reinterpret_cast<char*>(h) + 345, 155);
      auto base = CString(reinterpret_cast<char*>(h), 100);
      bool ustar = std::memcmp(h + 257, "ustar", 5) == 0;
      name = (ustar && !prefix.empty()) ? std::string(prefix) + "/" + std::string(base)
                                        : std::string(base);
    }
    std::string link = !pax_link.empty() ? pax_link
                       : !long_link.empty()
                           ? long_link
                           : std::string(CString(reinterpret_cast<char*>(h) + 157, 100));
    long_name.clear();
    long_link.clear();
    pax_path.clear();
    pax_link.clear();
    pax_has_size = false;
    if (type != 'g') {
      auto norm = NormalizeEntryPath(name);
      if (!norm.ok())
        return std::move(norm).error().wrap(fmt::format("tar member at offset {}", pos));
      if (++members > max_members) return Errorf("tar has more than {} members", max_members);
      TarMember m{data, size, type == '\0' ? '0' : type, {}};
      if (type == '1') {
        auto t = NormalizeEntryPath(link);
        if (!t.ok()) return std::move(t).error().wrap(*norm);
        m.link = *t;
        m.size = 0;
      } else if (type == '2') {
        std::string joined =
            link.starts_with('/') ? link : std::string(Dirname(*norm)) + "/" + link;
        auto t = NormalizeEntryPath(joined);
        if (!t.ok()) return std::move(t).error().wrap(*norm);
        m.link = *t;
      }
      if (!norm->empty()) DISTILL_TRY_VOID(visit(*norm, m));
    }
    pos = next;
  }
  return {};
}

Result<TarIndex> TarIndex::Build(const RandomAccessFile& file, uint64_t max_members) {
  TarIndex idx;
  auto read = [&](uint64_t pos, void* buf, size_t n) { return file.ReadAt(pos, buf, n); };
  DISTILL_TRY_VOID(WalkTar(read, file.size(), max_members,
                           [&](const std::string& path, const TarMember& m) -> Status {
                             idx.members_[path] = m;
                             return {};
                           }));
  return idx;
}

const TarMember* TarIndex::Find(std::string_view path) const {
  for (int hops = 0; hops < 16; ++hops) {
    auto it = members_.find(path);
    if (it == members_.end()) return nullptr;
    if (it->second.type != '1' && it->second.type != '2') return &it->second;
    path = it->second.link;
  }
  return nullptr;
}

}  // namespace distill::image
