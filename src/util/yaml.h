// Small helpers over yaml-cpp nodes, shared by the YAML readers (the feed sources config, secdb,
// Wolfi advisories).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace distill {

// The scalar at map[key], or "" when the key is absent or holds a sequence or map.
inline std::string ScalarAt(const YAML::Node& map, const char* key) {
  YAML::Node value = map[key];
  return value && value.IsScalar() ? value.Scalar() : std::string();
}

}  // namespace distill
