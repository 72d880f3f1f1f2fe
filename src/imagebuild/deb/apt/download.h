// Getting bytes from a repository URI: http(s) through the dlopen'ed libcurl (util/libcurl.h),
// file: read directly. Nothing here trusts what it gets: callers check sizes and digests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "util/result.h"

namespace distill::imagebuild::apt {

// Writes the resource to `path` (created or truncated). Refuses more than max_bytes. on_bytes, if
// set, is called with each chunk's size (for a progress bar). A 404 says "not found" so callers
// can fall back to another file name.
Status DownloadToFile(const std::string& url, const std::string& path, uint64_t max_bytes,
                      const std::function<void(size_t)>& on_bytes = {});
Result<std::string> DownloadToString(const std::string& url, uint64_t max_bytes);

// "file:/srv/repo/x" → "/srv/repo/x"; "" for other schemes.
std::string FilePathOfUri(const std::string& url);

// Whether an error from DownloadTo* means the resource does not exist (HTTP 404/410, no such file).
bool IsNotFound(const Error& error);

}  // namespace distill::imagebuild::apt
