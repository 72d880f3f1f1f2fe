// One file-system entry of an image, as a layer tar or a directory walk describes it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/compact_string.h"

namespace distill::image {

enum class FileType : uint8_t {
  kRegular,
  kDirectory,
  kSymlink,
  kHardlink,  // link = the path of the file it shares contents with; size = that file's size
  kCharDevice,
  kBlockDevice,
  kFifo,
  kSocket,
  // Only in per-layer listings (--all-layers); never in the squashed view:
  kWhiteout,  // path was deleted by this layer (".wh.NAME")
  kOpaque,    // path is a directory whose lower-layer children this layer hid (".wh..wh..opq")
};

std::string_view FileTypeName(FileType t);  // "file", "dir", "symlink", "hardlink", "char", ...
char FileTypeChar(FileType t);              // ls -l's first column: '-', 'd', 'l', 'h', 'c', ...

// A symlink or hardlink target: most entries have none, so it costs one pointer until set (an
// image's entry list is the largest structure a run keeps: 10k entries of a std::string each were
// 0.3 MB of nothing).
using LinkTarget = CompactString;

// Extended attributes (security.capability, ...): rare, so one pointer until the first is added.
class Xattrs {
 public:
  using Item = std::pair<std::string, std::string>;
  Xattrs() = default;
  Xattrs(const Xattrs& o) : v_(o.v_ ? std::make_unique<std::vector<Item>>(*o.v_) : nullptr) {}
  Xattrs(Xattrs&&) noexcept = default;
  Xattrs& operator=(const Xattrs& o) {
    if (this != &o) v_ = o.v_ ? std::make_unique<std::vector<Item>>(*o.v_) : nullptr;
    return *this;
  }
  Xattrs& operator=(Xattrs&&) noexcept = default;
  template <typename... A>
  void emplace_back(A&&... a) {
    if (!v_) v_ = std::make_unique<std::vector<Item>>();
    v_->emplace_back(std::forward<A>(a)...);
  }
  const Item* begin() const { return v_ ? v_->data() : nullptr; }
  const Item* end() const { return v_ ? v_->data() + v_->size() : nullptr; }
  bool empty() const { return !v_ || v_->empty(); }
  size_t size() const { return v_ ? v_->size() : 0; }

 private:
  std::unique_ptr<std::vector<Item>> v_;
};

struct Entry {
  std::string path;  // image-relative and normalized: no leading "/" or "./", no "." or ".." parts
  LinkTarget link;   // symlink target as written, or the normalized hardlink target path
  Xattrs xattrs;     // e.g. security.capability
  uint64_t size = 0;
  int64_t mtime = 0;
  uint32_t mode = 0;  // permission bits incl. setuid/setgid/sticky (07777)
  uint32_t uid = 0, gid = 0;
  uint32_t dev_major = 0, dev_minor = 0;
  int32_t layer = -1;  // index of the layer that last wrote it; -1 for a dir: source
  FileType type = FileType::kRegular;

  bool is_regular_like() const { return type == FileType::kRegular || type == FileType::kHardlink; }
};

// "-rwsr-xr-x" as ls -l prints it.
std::string ModeString(const Entry& e);

}  // namespace distill::image
