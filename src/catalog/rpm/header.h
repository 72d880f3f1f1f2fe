// RPM header blobs as rpmdb stores them (every backend: sqlite, BerkeleyDB, NDB): the header
// "region" without its 8-byte magic. Layout (big-endian),
// https://rpm-software-management.github.io/rpm/manual/format_header.html:
//   uint32 il (index entries), uint32 dl (data bytes), il × {tag, type, offset, count}, data[dl].
// Every read goes through util/byte_view.h; a malformed blob is an error naming the tag.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/package.h"
#include "util/result.h"

namespace distill::catalog::rpm {

// The fields a package record needs.
struct HeaderInfo {
  std::string name, version, release, arch, license, source_rpm, vendor, modularity_label;
  uint32_t epoch = 0;
  bool has_epoch = false;
  uint64_t size = 0;
  std::vector<std::string> provides, requires_;
  std::vector<OwnedFile> files;  // regular files and symlinks (directories left out)
};

Result<HeaderInfo> ParseHeaderBlob(std::string_view blob);

}  // namespace distill::catalog::rpm
