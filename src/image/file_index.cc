#include "image/file_index.h"

#include <algorithm>
#include <functional>

#include "util/glob.h"

namespace distill::image {

bool ContentPlan::wants(const Entry& e) const {
  if (!e.is_regular_like() || e.size > max_file_bytes) return false;
  for (const auto& g : globs)
    if (GlobMatch(g, e.path)) return true;
  return predicate && predicate(e);
}

FileIndex::FileIndex(std::vector<Entry> entries, std::vector<std::string> layer_digests,
                     std::unordered_map<std::string, std::string> contents, Loader loader)
    : entries_(std::move(entries)),
      layer_digests_(std::move(layer_digests)),
      contents_(std::move(contents)),
      loader_(std::move(loader)) {
  auto less = [](const Entry& a, const Entry& b) { return a.path < b.path; };
  if (!std::is_sorted(entries_.begin(), entries_.end(), less))
    std::sort(entries_.begin(), entries_.end(), less);
  if (entries_.empty()) return;
  size_t n = 16;
  while (n < 2 * entries_.size()) n *= 2;
  slots_.assign(n, 0);
  for (size_t i = 0; i < entries_.size(); ++i) {
    size_t h = std::hash<std::string_view>{}(entries_[i].path) & (n - 1);
    while (slots_[h]) h = (h + 1) & (n - 1);
    slots_[h] = static_cast<uint32_t>(i + 1);
  }
}

const Entry* FileIndex::Find(std::string_view path) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  for (size_t h = std::hash<std::string_view>{}(path)&mask; slots_[h]; h = (h + 1) & mask) {
    const Entry& e = entries_[slots_[h] - 1];
    if (e.path == path) return &e;
  }
  return nullptr;
}

namespace {
void SplitInto(std::string_view path, std::vector<std::string>* parts) {
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    if (!part.empty() && part != ".") parts->emplace_back(part);
    i = j + 1;
  }
}
}  // namespace

Result<const Entry*> FileIndex::Resolve(std::string_view path) const {
  // Pending components are processed front to back; a symlink splices its target in.
  std::vector<std::string> pending;
  SplitInto(path, &pending);
  std::reverse(pending.begin(), pending.end());
  std::string cur;  // resolved prefix, always inside the root
  int links = 0;
  const Entry* e = nullptr;
  while (!pending.empty()) {
    std::string part = std::move(pending.back());
    pending.pop_back();
    if (part == "..") {
      cur = std::string(Dirname(cur));
      e = cur.empty() ? nullptr : Find(cur);
      continue;
    }
    std::string next = cur.empty() ? part : cur + "/" + part;
    e = Find(next);
    if (!e) return Errorf("{}: no such file or directory", path);
    if (e->type == FileType::kSymlink) {
      if (++links > 40) return Errorf("{}: too many levels of symbolic links", path);
      std::vector<std::string> target;
      SplitInto(e->link, &target);
      for (auto it = target.rbegin(); it != target.rend(); ++it) pending.push_back(std::move(*it));
      if (!e->link.empty() && e->link[0] == '/') cur.clear();
      continue;
    }
    if (!pending.empty() && e->type != FileType::kDirectory)
      return Errorf("{}: not a directory: {}", path, next);
    cur = std::move(next);
  }
  if (cur.empty()) return Errorf("{}: is the image root", path);
  return e;
}

std::vector<const Entry*> FileIndex::Glob(std::string_view pattern) const {
  std::vector<const Entry*> out;
  // A literal prefix (up to the first wildcard's segment) narrows the scan.
  size_t wild = pattern.find_first_of("*?[\\");
  std::string_view prefix =
      pattern.substr(0, wild == std::string_view::npos ? pattern.size() : wild);
  prefix =
      prefix.substr(0, prefix.rfind('/') == std::string_view::npos ? 0 : prefix.rfind('/') + 1);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), prefix,
                             [](const Entry& e, std::string_view p) { return e.path < p; });
  for (; it != entries_.end() && std::string_view(it->path).starts_with(prefix); ++it)
    if (GlobMatch(pattern, it->path)) out.push_back(&*it);
  return out;
}

std::vector<const Entry*> FileIndex::Under(std::string_view dir) const {
  std::string prefix = dir.empty() ? "" : std::string(dir) + "/";
  std::vector<const Entry*> out;
  auto it = std::lower_bound(entries_.begin(), entries_.end(), prefix,
                             [](const Entry& e, std::string_view p) { return e.path < p; });
  for (; it != entries_.end() && it->path.starts_with(prefix); ++it) out.push_back(&*it);
  return out;
}

Result<FileIndex::Stored> FileIndex::Locate(std::string_view path) const {
  DISTILL_TRY(const Entry* e, Resolve(path));
  if (e->type == FileType::kHardlink) {
    const Entry* target = Find(e->link);
    if (!target) return Errorf("{}: hardlink to missing file {}", path, e->link);
    if (auto it = contents_.find(e->path); it != contents_.end()) return Stored{e, &it->second};
    e = target;
  }
  if (e->type != FileType::kRegular) return Errorf("{}: not a regular file", path);
  auto it = contents_.find(e->path);
  return Stored{e, it != contents_.end() ? &it->second : nullptr};
}

Result<std::string> FileIndex::Contents(std::string_view path) const {
  DISTILL_TRY(Stored s, Locate(path));
  if (s.captured) return *s.captured;
  if (!loader_)
    return InternalErrorf("{}: contents were not captured while reading the image", path);
  return loader_(*s.entry);
}

Result<FileBytes> FileIndex::Bytes(std::string_view path) const {
  DISTILL_TRY(Stored s, Locate(path));
  if (s.captured) return FileBytes::Borrow(*s.captured);
  if (mapper_) return mapper_(*s.entry);
  if (!loader_)
    return InternalErrorf("{}: contents were not captured while reading the image", path);
  DISTILL_TRY(std::string bytes, loader_(*s.entry));
  return FileBytes(std::move(bytes));
}

Result<std::shared_ptr<RandomAccessFile>> FileIndex::Open(std::string_view path) const {
  DISTILL_TRY(Stored s, Locate(path));
  if (!opener_) return InternalErrorf("{}: not a file of a host directory", path);
  return opener_(*s.entry);
}

bool FileIndex::HasCaptured(std::string_view path) const {
  return contents_.count(std::string(path)) > 0;
}

Location FileIndex::LocationOf(const Entry& e) const {
  std::string layer;
  if (e.layer >= 0 && static_cast<size_t>(e.layer) < layer_digests_.size())
    layer = layer_digests_[e.layer];
  return {e.path, layer};
}

namespace {
// No empty, "." or ".." part: most names (tar entries, package file lists) are normal already.
bool IsNormalPath(std::string_view p) {
  for (size_t i = 0; i < p.size();) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    const size_t n = j - i;
    if (n == 0 || (p[i] == '.' && (n == 1 || (n == 2 && p[i + 1] == '.')))) return false;
    if (j == p.size()) return true;
    i = j + 1;
  }
  return p.empty();
}
}  // namespace

Result<std::string> NormalizeEntryPath(std::string_view raw) {
  if (IsNormalPath(raw)) return std::string(raw);
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view part = raw.substr(i, j - i);
    if (part == "..") {
      if (parts.empty()) return Errorf("path '{}' climbs out of the image root", raw);
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (std::string_view p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

std::string_view Dirname(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::string_view Basename(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace distill::image
