// Where an archive's files live: a directory (oci-dir) or an uncompressed tar read in place
// (docker-archive, oci-archive). Paths are archive-relative ("blobs/sha256/ab…", "manifest.json");
// neither implementation lets a path leave the archive ('..', absolute paths, symlinks out).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "image/byte_stream.h"
#include "image/tar_index.h"
#include "util/result.h"

namespace distill::image {

class ArchiveFiles {
 public:
  virtual ~ArchiveFiles() = default;
  // The archive as the user named it, for messages ("app.tar").
  virtual const std::string& name() const = 0;
  virtual bool Exists(std::string_view path) const = 0;
  virtual Result<uint64_t> Size(std::string_view path) const = 0;
  virtual Result<std::unique_ptr<ByteStream>> Open(std::string_view path) const = 0;
  // Reads a small file (manifests, configs) whole; refuses more than max_bytes.
  Result<std::string> ReadSmall(std::string_view path, uint64_t max_bytes = 32 << 20) const;
};

Result<std::unique_ptr<ArchiveFiles>> OpenDirFiles(const std::string& dir);
Result<std::unique_ptr<ArchiveFiles>> OpenTarFiles(const std::string& tar_path);

}  // namespace distill::image
