// One file-system entry of an image, as a layer tar or a directory walk describes it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

struct Entry {
  std::string path;  // image-relative and normalized: no leading "/" or "./", no "." or ".." parts
  std::string link;  // symlink target as written, or the normalized hardlink target path
  FileType type = FileType::kRegular;
  uint32_t mode = 0;  // permission bits incl. setuid/setgid/sticky (07777)
  uint32_t uid = 0, gid = 0;
  uint64_t size = 0;
  int64_t mtime = 0;
  uint32_t dev_major = 0, dev_minor = 0;
  int32_t layer = -1;  // index of the layer that last wrote it; -1 for a dir: source
  std::vector<std::pair<std::string, std::string>> xattrs;  // e.g. security.capability

  bool is_regular_like() const { return type == FileType::kRegular || type == FileType::kHardlink; }
};

// "-rwsr-xr-x" as ls -l prints it.
std::string ModeString(const Entry& e);

}  // namespace distill::image
