// Helpers shared by the archive formats (not part of the image module's interface).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/archive_files.h"
#include "util/result.h"

namespace distill::image {

// "blobs/sha256/<hex>" for a validated digest.
std::string BlobPath(std::string_view digest);
// Reads blobs/<alg>/<hex>, checking size (when want_size >= 0) and digest.
Result<std::string> ReadVerifiedBlob(const ArchiveFiles& files, std::string_view digest,
                                     std::string_view what, int64_t want_size);
// Typed fields of a JSON object (manifests, indexes, configs): an absent (or null) field gives the
// fallback, a field of another type an error naming `where` and the field, e.g.
// "index.json: manifests[0]: mediaType is a number, not a string". Never throws.
Result<std::string> JsonString(const nlohmann::json& obj, std::string_view key,
                               std::string_view where, std::string fallback = "");
Result<int64_t> JsonInt(const nlohmann::json& obj, std::string_view key, std::string_view where,
                        int64_t fallback);
Result<bool> JsonBool(const nlohmann::json& obj, std::string_view key, std::string_view where,
                      bool fallback);
// "WHERE: KEY is a number, not WANT".
Error JsonWrongType(const nlohmann::json& value, std::string_view key, std::string_view where,
                    std::string_view want);

// "a, b, c" or "(none)".
std::string TagList(const std::vector<std::string>& tags);

}  // namespace distill::image
