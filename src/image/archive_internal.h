// Helpers shared by the archive formats (not part of the image module's interface).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "image/archive_files.h"
#include "util/result.h"

namespace distill::image {

// "blobs/sha256/<hex>" for a validated digest.
std::string BlobPath(std::string_view digest);
// Reads blobs/<alg>/<hex>, checking size (when want_size >= 0) and digest.
Result<std::string> ReadVerifiedBlob(const ArchiveFiles& files, std::string_view digest, std::string_view what,
                                     int64_t want_size);
// "a, b, c" or "(none)".
std::string TagList(const std::vector<std::string>& tags);

}  // namespace distill::image
