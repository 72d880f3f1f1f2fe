#include "image/writer_tar.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace distill::image {

namespace {

constexpr size_t kBlock = 512;

char TypeFlag(TarItem::Type t) {
  switch (t) {
    case TarItem::Type::kFile:
      return '0';
    case TarItem::Type::kHardlink:
      return '1';
    case TarItem::Type::kSymlink:
      return '2';
    case TarItem::Type::kChar:
      return '3';
    case TarItem::Type::kBlock:
      return '4';
    case TarItem::Type::kDir:
      return '5';
    case TarItem::Type::kFifo:
      return '6';
  }
  return '0';
}

// Writes value as zero-padded octal into a field of `width` bytes (width-1 digits + NUL).
bool PutOctal(char* field, size_t width, uint64_t value) {
  std::string digits = fmt::format("{:0{}o}", value, width - 1);
  if (digits.size() > width - 1) return false;
  std::memcpy(field, digits.data(), digits.size());
  field[width - 1] = '\0';
  return true;
}

// One pax record: "LEN key=value\n", where LEN counts the whole record including itself.
std::string PaxRecord(std::string_view key, std::string_view value) {
  size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
  size_t len = body + 1;
  while (std::to_string(len).size() + body != len) ++len;
  return fmt::format("{} {}={}\n", len, key, value);
}

void Pad(std::string* out) {
  size_t rem = out->size() % kBlock;
  if (rem) out->append(kBlock - rem, '\0');
}

// Splits a path into ustar's prefix (≤155) and name (≤100) at a '/', if it can.
bool SplitUstar(std::string_view path, std::string_view* prefix, std::string_view* name) {
  if (path.size() <= 100) {
    *prefix = {};
    *name = path;
    return true;
  }
  for (size_t i = path.size() > 101 ? path.size() - 101 : 0; i < path.size() && i <= 155; ++i) {
    if (path[i] != '/') continue;
    if (path.size() - i - 1 <= 100 && i > 0) {
      *prefix = path.substr(0, i);
      *name = path.substr(i + 1);
      return true;
    }
  }
  return false;
}

void AppendHeader(std::string* out, std::string_view name, std::string_view prefix, char type,
                  uint32_t mode, uint32_t uid, uint32_t gid, uint64_t size, int64_t mtime,
                  std::string_view link, uint32_t major, uint32_t minor) {
  char h[kBlock] = {};
  // Empty views may have a null data(): copy only what is there.
  auto put = [&h](size_t at, std::string_view v, size_t width) {
    if (!v.empty()) std::memcpy(h + at, v.data(), std::min(v.size(), width));
  };
  put(0, name, 100);
  PutOctal(h + 100, 8, mode & 07777);
  PutOctal(h + 108, 8, uid);
  PutOctal(h + 116, 8, gid);
  PutOctal(h + 124, 12, size);
  PutOctal(h + 136, 12, static_cast<uint64_t>(std::max<int64_t>(mtime, 0)));
  h[156] = type;
  put(157, link, 100);
  std::memcpy(h + 257, "ustar", 6);
  std::memcpy(h + 263, "00", 2);
  PutOctal(h + 329, 8, major);
  PutOctal(h + 337, 8, minor);
  put(345, prefix, 155);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  PutOctal(h + 148, 7, sum);
  h[155] = ' ';
  out->append(h, kBlock);
}

Status AppendItem(std::string* out, const TarItem& it, int64_t mtime) {
  std::string_view prefix, name;
  std::string pax;
  std::string path = it.type == TarItem::Type::kDir ? it.path + "/" : it.path;
  if (!SplitUstar(path, &prefix, &name)) {
    pax += PaxRecord("path", path);
    prefix = {};
    name = std::string_view(path).substr(0, 100);
  }
  if (it.link.size() > 100) pax += PaxRecord("linkpath", it.link);
  for (const auto& [key, value] : it.pax) pax += PaxRecord(key, value);
  if (it.uid > 07777777 || it.gid > 07777777)
    return Errorf("{}: uid/gid too large for a tar header", it.path);
  uint64_t size = it.type == TarItem::Type::kFile ? it.data.size() : 0;
  if (size > 077777777777ull) return Errorf("{}: file too large for a tar header", it.path);
  if (!pax.empty()) {
    std::string pax_name = "PaxHeaders/" + it.path.substr(it.path.rfind('/') + 1);
    if (pax_name.size() > 100) pax_name.resize(100);
    AppendHeader(out, pax_name, {}, 'x', 0644, 0, 0, pax.size(), mtime, {}, 0, 0);
    out->append(pax);
    Pad(out);
  }
  AppendHeader(out, name, prefix, TypeFlag(it.type), it.mode, it.uid, it.gid, size, mtime, it.link,
               it.dev_major, it.dev_minor);
  if (size) {
    out->append(it.data);
    Pad(out);
  }
  return {};
}

Status CheckPath(std::string_view p) {
  if (p.empty() || p.front() == '/' || p.back() == '/' || p.starts_with("./"))
    return Errorf("bad tar path '{}'", p);
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view seg = p.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return Errorf("bad tar path '{}'", p);
    start = end + 1;
  }
  return {};
}

// Makes every hardlink point at the first path (in sorted order) of its group, which holds the
// data.
Status NormalizeHardlinks(std::vector<TarItem>* items) {
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < items->size(); ++i) at[(*items)[i].path] = i;
  std::map<std::string, std::vector<size_t>> groups;  // data path -> link indexes
  for (size_t i = 0; i < items->size(); ++i) {
    const TarItem& it = (*items)[i];
    if (it.type != TarItem::Type::kHardlink) continue;
    auto t = at.find(it.link);
    if (t == at.end() || (*items)[t->second].type != TarItem::Type::kFile)
      return Errorf("{}: hardlink to '{}', which is not a regular file in the layer", it.path,
                    it.link);
    groups[it.link].push_back(i);
  }
  for (auto& [target, links] : groups) {
    size_t data_at = at[target];
    size_t first = data_at;
    for (size_t i : links)
      if ((*items)[i].path < (*items)[first].path) first = i;
    if (first != data_at) {
      TarItem& f = (*items)[first];
      TarItem& d = (*items)[data_at];
      std::string fpath = f.path;
      f = d;
      f.path = fpath;
      d.type = TarItem::Type::kHardlink;
      d.data.clear();
    }
    const std::string& holder = (*items)[first].path;
    for (size_t i : links)
      if (i != first) (*items)[i].link = holder;
    if (first != data_at) (*items)[data_at].link = holder;
  }
  return {};
}

}  // namespace

Result<std::string> TarFileHeader(const std::string& path, uint64_t size, int64_t mtime,
                                  uint32_t mode) {
  DISTILL_TRY_VOID(CheckPath(path));
  if (size > 077777777777ull) return Errorf("{}: file too large for a tar header", path);
  // AppendItem writes the header, then the data: with no data, the header alone (size patched in).
  TarItem it;
  it.path = path;
  it.mode = mode;
  std::string out;
  DISTILL_TRY_VOID(AppendItem(&out, it, mtime));
  char* h = out.data() + out.size() - kBlock;
  PutOctal(h + 124, 12, size);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (size_t i = 0; i < kBlock; ++i) sum += static_cast<unsigned char>(h[i]);
  PutOctal(h + 148, 7, sum);
  h[155] = ' ';
  return out;
}

std::string TarPadding(uint64_t size) {
  return std::string((kBlock - size % kBlock) % kBlock, '\0');
}

std::string TarEnd() { return std::string(2 * kBlock, '\0'); }

Result<std::string> WriteTar(std::vector<TarItem> items, int64_t mtime) {
  std::sort(items.begin(), items.end(),
            [](const TarItem& a, const TarItem& b) { return a.path < b.path; });
  for (size_t i = 0; i < items.size(); ++i) {
    DISTILL_TRY_VOID(CheckPath(items[i].path));
    if (i > 0 && items[i].path == items[i - 1].path)
      return Errorf("duplicate tar path '{}'", items[i].path);
  }
  DISTILL_TRY_VOID(NormalizeHardlinks(&items));
  std::string out;
  size_t total = 0;
  for (const auto& it : items) total += kBlock + it.data.size() + kBlock;
  out.reserve(total + 2 * kBlock);
  for (const auto& it : items) {
    DISTILL_TRY_VOID(AppendItem(&out, it, mtime));
  }
  out.append(2 * kBlock, '\0');
  return out;
}

}  // namespace distill::image
