// One source's packages, verified from its InRelease down: the steps behind LoadIndex.
#pragma once

#include <string>
#include <vector>

#include "imagebuild/deb/apt/apt.h"

namespace distill::imagebuild::apt {

// Verified InRelease → Packages (xz, else gz, else plain; by-hash when the Release offers it)
// → size and SHA256 against the Release → decompressed → parsed. The verified InRelease is kept
// at CACHE/apt/lists/<ListsName>, the uncompressed Packages in the blob cache under its SHA256,
// so `offline` re-verifies the signature and reads both from the cache.
Result<std::vector<PackageInfo>> LoadSource(const Source& src, const IndexOptions& opt);

// "http://h/debian" + "bookworm" → "h_debian_dists_bookworm_InRelease" (apt's lists naming).
std::string ListsName(const std::string& uri, const std::string& suite);

}  // namespace distill::imagebuild::apt
