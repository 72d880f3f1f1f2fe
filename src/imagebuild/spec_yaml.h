// The YAML field readers the build spec (spec.cc) and apko's config (apk/config.cc) share. Every
// error names where in the file it is: "spec.yaml:7:3: field \"archs\": expected a list of
// strings".
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "util/result.h"

namespace distill::imagebuild::yaml {

struct Ctx {
  const std::string& file;
  Error At(const YAML::Node& n, std::string_view msg) const;
  // "app.yaml:7:3" (or "app.yaml" without a mark): where a node is, for errors found later.
  std::string Where(const YAML::Node& n) const;
};

Result<std::string> Str(const Ctx& c, const YAML::Node& n, std::string_view field);
Result<bool> Bool(const Ctx& c, const YAML::Node& n, std::string_view field);
// A number in `base` (10, or 8 for modes).
Result<uint32_t> Uint(const Ctx& c, const YAML::Node& n, std::string_view field, int base = 10);
// A string, or a list of strings.
Result<std::vector<std::string>> StrList(const Ctx& c, const YAML::Node& n, std::string_view field);
Result<std::map<std::string, std::string>> StrMap(const Ctx& c, const YAML::Node& n,
                                                  std::string_view field);
// "unknown field \"x\" in WHAT (known: a, b)" at the first key not in `allowed`.
Status CheckKeys(const Ctx& c, const YAML::Node& n, std::string_view what,
                 const std::set<std::string>& allowed);

}  // namespace distill::imagebuild::yaml
