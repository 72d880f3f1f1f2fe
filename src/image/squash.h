// Applies layers in order (OCI image-spec layer.md): whiteouts and opaque directories remove lower
// entries, a non-directory replaces a directory's whole subtree, hardlinks must name a file that
// exists by then, and missing parent directories are implied (as a runtime creates them).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "image/layer_reader.h"

namespace distill::image {

struct Squashed {
  std::vector<Entry> entries;  // the merged view, sorted by path
  std::unordered_map<std::string, std::string> contents;
};

// keep_layers: copy entries instead of moving them out of `layers` (for --all-layers listings).
Result<Squashed> Squash(std::vector<LayerData>& layers, bool keep_layers);

}  // namespace distill::image
