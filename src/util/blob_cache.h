// A content-addressed cache of verified files, shared by everything that downloads: registry blobs
// and Debian packages. Layout: ROOT/blobs/sha256/<hex>; downloads in progress live in ROOT/tmp and
// enter the cache only by rename after their digest was checked, so the cache never holds a bad
// file.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace distill {

class BlobCache {
 public:
  // $DISTILL_CACHE, else $XDG_CACHE_HOME/distill, else $HOME/.cache/distill.
  static BlobCache Default();
  explicit BlobCache(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }
  std::string PathFor(std::string_view sha256_hex) const;
  bool Has(std::string_view sha256_hex) const;
  // A fresh path under ROOT/tmp for a download in progress (the directory is created).
  Result<std::string> TempPath() const;
  // Checks the file's SHA256 and moves it into the cache; on mismatch removes it and fails.
  Result<std::string> Adopt(const std::string& tmp_path, std::string_view sha256_hex) const;

 private:
  std::string root_;
};

}  // namespace distill
