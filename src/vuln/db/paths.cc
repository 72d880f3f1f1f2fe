#include "vuln/db/paths.h"

#include <cstdlib>
#include <ctime>
#include <string_view>

namespace distill::vuln {

namespace {

// $var if set and absolute (the XDG spec says relative values are to be ignored), else
// $HOME/<fallback>, else <fallback> under the working directory.
std::string XdgDir(const char* var, std::string_view fallback) {
  const char* v = std::getenv(var);
  if (v && v[0] == '/') return v;
  const char* home = std::getenv("HOME");
  return (home && *home ? std::string(home) + "/" : std::string()) + std::string(fallback);
}

}  // namespace

std::string DefaultDbPath() { return XdgDir("XDG_CACHE_HOME", ".cache") + "/distill/vuln.db"; }

std::string DefaultDownloadDir() {
  return XdgDir("XDG_CACHE_HOME", ".cache") + "/distill/downloads";
}

std::string DefaultSourcesConfig() {
  return XdgDir("XDG_CONFIG_HOME", ".config") + "/distill/vuln-sources.yaml";
}

int64_t BuildTimeNow() {
  if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) {
    char* end = nullptr;
    long long v = std::strtoll(e, &end, 10);
    if (end && *end == '\0' && v >= 0) return v;
  }
  return static_cast<int64_t>(std::time(nullptr));
}

}  // namespace distill::vuln
