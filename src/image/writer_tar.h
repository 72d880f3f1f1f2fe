// Deterministic tar and gzip for the layers and archives distill writes: the same entries give the
// same bytes on every run and machine. Entries are sorted by path; every header carries the one
// mtime the caller gives (no atime/ctime, no pax time records, empty user/group names). The gzip of
// the layers is in writer_gzip.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace distill::image {

struct TarItem {
  enum class Type { kFile, kDir, kSymlink, kHardlink, kChar, kBlock, kFifo };
  std::string path;  // relative, no leading '/' or "./", no trailing '/'
  Type type = Type::kFile;
  uint32_t mode = 0644;  // permission bits incl. setuid/setgid/sticky
  uint32_t uid = 0, gid = 0;
  std::string data;  // file contents
  std::string link;  // symlink target, or hardlink target path (relative like `path`)
  uint32_t dev_major = 0, dev_minor = 0;
  // Extra pax records ("key", "value") written before this entry, in this order (APK packages
  // carry APK-TOOLS.checksum.SHA1 for each file: imagebuild/apk/writer.h).
  std::vector<std::pair<std::string, std::string>> pax;
};

// A tar (ustar, with a pax 'x' header only when a path or link does not fit), entries sorted by
// path, each with `mtime`. Hardlinks are rewritten so that the data sits at the first path in
// order and later ones link to it. Fails on duplicate paths, bad paths or dangling hardlinks.
Result<std::string> WriteTar(std::vector<TarItem> items, int64_t mtime);

// For a tar too large to hold in memory, written as it streams: the header of one regular file
// (what WriteTar writes for it, pax path record included), then the caller's `size` bytes, then
// TarPadding(size); after the last file, TarEnd().
Result<std::string> TarFileHeader(const std::string& path, uint64_t size, int64_t mtime,
                                  uint32_t mode = 0644);
std::string TarPadding(uint64_t size);
std::string TarEnd();

}  // namespace distill::image
