#include "image/squash.h"

#include <map>

#include "util/digest.h"

namespace distill::image {

namespace {

using Tree = std::map<std::string, Entry, std::less<>>;

void EraseSubtree(Tree& t, std::unordered_map<std::string, std::string>& contents, const std::string& dir) {
  std::string prefix = dir.empty() ? "" : dir + "/";
  auto it = t.lower_bound(prefix);
  while (it != t.end() && it->first.starts_with(prefix)) {
    contents.erase(it->first);
    it = t.erase(it);
  }
}

void ImplyParents(Tree& t, std::unordered_map<std::string, std::string>& contents, const Entry& e) {
  std::string_view dir = Dirname(e.path);
  while (!dir.empty()) {
    auto it = t.find(dir);
    if (it != t.end() && it->second.type == FileType::kDirectory) return;  // the rest exist too
    if (it != t.end()) contents.erase(it->first);  // a non-directory in the way is replaced
    Entry d;
    d.path = std::string(dir);
    d.type = FileType::kDirectory;
    d.mode = 0755;
    d.layer = e.layer;
    t[d.path] = std::move(d);
    dir = Dirname(dir);
  }
}

}  // namespace

Result<Squashed> Squash(std::vector<LayerData>& layers, bool keep_layers) {
  Tree tree;
  Squashed out;
  auto& contents = out.contents;
  for (size_t li = 0; li < layers.size(); ++li) {
    LayerData& layer = layers[li];
    // Whiteouts apply to the lower layers only, so before this layer's own entries.
    for (const Entry& e : layer.entries) {
      if (e.type == FileType::kOpaque) {
        EraseSubtree(tree, contents, e.path);
      } else if (e.type == FileType::kWhiteout && !e.path.empty()) {
        contents.erase(e.path);
        tree.erase(e.path);
        EraseSubtree(tree, contents, e.path);
      }
    }
    for (Entry& e : layer.entries) {
      if (e.type == FileType::kOpaque || e.type == FileType::kWhiteout) continue;
      if (e.type == FileType::kOpaque && e.path.empty()) continue;
      auto old = tree.find(e.path);
      if (old != tree.end() && old->second.type == FileType::kDirectory && e.type != FileType::kDirectory)
        EraseSubtree(tree, contents, e.path);
      ImplyParents(tree, contents, e);
      if (e.type == FileType::kHardlink) {
        auto target = tree.find(e.link.view());
        if (target == tree.end() || !target->second.is_regular_like())
          return Errorf("layer {}: hardlink '{}' to missing file '{}'", ShortDigest(layer.digest), e.path, e.link);
        if (target->second.type == FileType::kHardlink) e.link = target->second.link;  // point at the file
        e.size = target->second.size;
        if (auto c = contents.find(target->first); c != contents.end()) contents[e.path] = c->second;
        else contents.erase(e.path);
      } else {
        contents.erase(e.path);
      }
      if (auto c = layer.contents.find(e.path); c != layer.contents.end() && e.type == FileType::kRegular)
        contents[e.path] = std::move(c->second);
      if (keep_layers) tree[e.path] = e;
      else tree[e.path] = std::move(e);
    }
    layer.contents.clear();
    if (!keep_layers) layer.entries.clear();
  }
  out.entries.reserve(tree.size());
  for (auto& [path, e] : tree) out.entries.push_back(std::move(e));
  return out;
}

}  // namespace distill::image
