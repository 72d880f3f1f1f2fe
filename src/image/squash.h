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
  size_t sorted_layers = 0;  // layers applied as one sorted batch (SquashOrder)
};

// How each layer's entries are applied. kInOrder: one at a time in the layer's order, on an
// ordered map (the definition). kSortedWhereSame: a layer whose result cannot depend on the order
// of its entries (no path named twice, nothing below one of its own non-directories, hardlinks
// only to what comes before and stays) is sorted and merged into a sorted vector in one pass,
// several times faster; any other layer in order. Both give the same result (squash_test.cc).
enum class SquashOrder { kSortedWhereSame, kInOrder };

// keep_layers: copy entries instead of moving them out of `layers` (for --all-layers listings).
Result<Squashed> Squash(std::vector<LayerData>& layers, bool keep_layers,
                        SquashOrder order = SquashOrder::kSortedWhereSame);

}  // namespace distill::image
