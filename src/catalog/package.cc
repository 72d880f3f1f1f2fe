#include "catalog/package.h"

#include <fmt/format.h>

namespace distill::catalog {

std::string Package::id() const {
  std::string loc = locations.empty() ? "" : locations.front().path;
  return fmt::format("{}/{}@{}/{}#{}", type, name, version, arch, loc);
}

}  // namespace distill::catalog
