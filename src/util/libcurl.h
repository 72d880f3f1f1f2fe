// libcurl, loaded on first use with dlopen. Only network commands (db update, later registries)
// need it, and linking it pulls dozens of libraries into every run: RSS and start-up time for
// `distill sbom` and the rest, which never touch the network. The table names every function
// distill calls; the types come from curl.h so a mismatch cannot compile.
#pragma once

#include <curl/curl.h>

#include "util/result.h"

namespace distill {

struct CurlApi {
  decltype(&curl_global_init) global_init;
  decltype(&curl_easy_init) easy_init;
  decltype(&curl_easy_setopt) easy_setopt;
  decltype(&curl_easy_perform) easy_perform;
  decltype(&curl_easy_getinfo) easy_getinfo;
  decltype(&curl_easy_cleanup) easy_cleanup;
  decltype(&curl_easy_strerror) easy_strerror;
  decltype(&curl_slist_append) slist_append;
  decltype(&curl_slist_free_all) slist_free_all;
};

// Loads libcurl.so.4 once (thread-safe) and runs curl_global_init; the error says what is missing.
Result<const CurlApi*> LoadCurl();

// Owners of the handles made through a loaded CurlApi.
struct CurlCleanup {
  const CurlApi* api;
  void operator()(CURL* handle) const { api->easy_cleanup(handle); }
};
struct SlistCleanup {
  const CurlApi* api;
  void operator()(curl_slist* list) const { api->slist_free_all(list); }
};

}  // namespace distill
