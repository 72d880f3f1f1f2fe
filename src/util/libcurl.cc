#include "util/libcurl.h"

#include <mutex>

#include "util/dl.h"

namespace distill {

Result<const CurlApi*> LoadCurl() {
  static CurlApi api;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    const DlSymbol syms[] = {
        {"curl_global_init", reinterpret_cast<void**>(&api.global_init)},
        {"curl_easy_init", reinterpret_cast<void**>(&api.easy_init)},
        {"curl_easy_setopt", reinterpret_cast<void**>(&api.easy_setopt)},
        {"curl_easy_perform", reinterpret_cast<void**>(&api.easy_perform)},
        {"curl_easy_getinfo", reinterpret_cast<void**>(&api.easy_getinfo)},
        {"curl_easy_cleanup", reinterpret_cast<void**>(&api.easy_cleanup)},
        {"curl_easy_strerror", reinterpret_cast<void**>(&api.easy_strerror)},
        {"curl_slist_append", reinterpret_cast<void**>(&api.slist_append)},
        {"curl_slist_free_all", reinterpret_cast<void**>(&api.slist_free_all)},
    };
    error = LoadLibrarySymbols("libcurl.so.4", "libcurl4", syms);
    if (!error.empty()) return;
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) error = "curl_global_init failed";
  });
  if (!error.empty()) return InternalErrorf("{}", error);
  return &api;
}

}  // namespace distill
