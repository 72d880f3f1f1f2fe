#include "catalog/package.h"

#include <mutex>
#include <set>

#include <fmt/format.h>

namespace distill::catalog {

AlgorithmName::AlgorithmName(std::string_view name) {
  static constexpr std::string_view kKnown[] = {"md5",    "sha1",   "sha224",
                                                "sha256", "sha384", "sha512"};
  if (name.empty()) return;
  for (std::string_view k : kKnown)
    if (k == name) {
      name_ = k;
      return;
    }
  // Any other name (a RECORD may use any hashlib algorithm): kept once for the process.
  static std::mutex mu;
  static std::set<std::string, std::less<>> others;
  std::lock_guard lock(mu);
  name_ = *others.emplace(name).first;
}

std::string Package::id() const {
  std::string loc = locations.empty() ? "" : locations.front().path;
  return fmt::format("{}/{}@{}/{}#{}", type, name, version, arch, loc);
}

}  // namespace distill::catalog
