// Downloading vulnerability data over HTTP(S) with libcurl, with conditional requests: the
// ETag and Last-Modified of each download are kept beside it (<file>.meta), and the next fetch
// sends If-None-Match / If-Modified-Since, so an unchanged source costs one 304.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "util/result.h"

namespace distill::vuln {

struct FetchOptions {
  std::string download_dir;  // where downloads are kept (created if missing)
  bool progress = false;     // a progress line on stderr (the CLI sets it when stderr is a TTY)
  long timeout_seconds = 600;
  std::string label;  // heads the progress line; default DownloadName(url)
  // When set and it becomes true, the download stops (an error) within a second or so.
  const std::atomic<bool>* cancel = nullptr;
};

struct Fetched {
  std::string path;           // the local copy
  bool not_modified = false;  // the server answered 304 and the cached copy was reused
  long http_status = 0;
};

// Fetches `url` (http, https or file) into the download directory. The local copy is replaced
// atomically, only after a complete 200 response.
Result<Fetched> Fetch(const std::string& url, const FetchOptions& opts);

// The local file name a URL is kept under: sha256(url)[:16] + its last path segment.
std::string DownloadName(const std::string& url);

bool IsUrl(std::string_view text);

}  // namespace distill::vuln
