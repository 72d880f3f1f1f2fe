// A root filesystem directory as an image without layers (the dir: source): the same file view,
// built from lstat, with contents read from the host on demand (never following a symlink out).
#pragma once

#include <string>
#include <vector>

#include "image/file_index.h"

namespace distill::image {

struct DirIndexOptions {
  uint64_t max_entries = 5'000'000;
  uint64_t max_file_bytes = 256ull << 20;  // largest file the loader reads
  // Read each executable's security.capability xattr (audit's check; an SBOM never looks).
  bool capabilities = true;
  // lstat every entry. Without it, directories and symlinks have only what the listing gives
  // (type, the symlink's target; mode 0777 for a symlink, 0 for a directory; no owner or time):
  // a catalog reads regular files' modes and sizes only, and this spares 2 in 10 lstats.
  bool stat_all = true;
  // 1: list and lstat on the calling thread alone; otherwise a helper thread does lstats too.
  unsigned threads = 0;
  // Where directories the caller may not open (EACCES: a root-owned 0700 /root read as nonroot) are
  // listed, each skipped with its contents, as syft and trivy skip them; null: such a directory is
  // an error.
  std::vector<std::string>* unreadable = nullptr;
};

Result<FileIndex> IndexDirectory(const std::string& root, const DirIndexOptions& opt = {});

}  // namespace distill::image
