#include "image/squash.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "util/digest.h"

namespace distill::image {

namespace {

using Contents = std::unordered_map<std::string, std::string>;

// True when `path` lies strictly below directory `dir` ("" is the root).
bool Under(std::string_view path, std::string_view dir) {
  if (dir.empty()) return !path.empty();
  return path.size() > dir.size() && path[dir.size()] == '/' && path.starts_with(dir);
}

Entry ImpliedDirectory(std::string_view path, int32_t layer) {
  Entry d;
  d.path = std::string(path);
  d.type = FileType::kDirectory;
  d.mode = 0755;
  d.layer = layer;
  return d;
}

Error MissingHardlinkTarget(const LayerData& layer, const Entry& e) {
  return Errorf("layer {}: hardlink '{}' to missing file '{}'", ShortDigest(layer.digest), e.path,
                e.link);
}

// ---- The general case: one entry at a time, in the layer's order, on an ordered map. ----------

using Tree = std::map<std::string, Entry, std::less<>>;

void EraseSubtree(Tree& t, Contents& contents, const std::string& dir) {
  std::string prefix = dir.empty() ? "" : dir + "/";
  auto it = t.lower_bound(prefix);
  while (it != t.end() && it->first.starts_with(prefix)) {
    contents.erase(it->first);
    it = t.erase(it);
  }
}

void ImplyParents(Tree& t, Contents& contents, const Entry& e) {
  std::string_view dir = Dirname(e.path);
  while (!dir.empty()) {
    auto it = t.find(dir);
    if (it != t.end() && it->second.type == FileType::kDirectory) return;  // the rest exist too
    if (it != t.end()) contents.erase(it->first);  // a non-directory in the way is replaced
    Entry d = ImpliedDirectory(dir, e.layer);
    t[d.path] = std::move(d);
    dir = Dirname(dir);
  }
}

Status ApplyInOrder(Tree& tree, Contents& contents, LayerData& layer, bool keep_layers) {
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
    auto old = tree.find(e.path);
    if (old != tree.end() && old->second.type == FileType::kDirectory &&
        e.type != FileType::kDirectory)
      EraseSubtree(tree, contents, e.path);
    ImplyParents(tree, contents, e);
    if (e.type == FileType::kHardlink) {
      auto target = tree.find(e.link.view());
      if (target == tree.end() || !target->second.is_regular_like())
        return MissingHardlinkTarget(layer, e);
      if (target->second.type == FileType::kHardlink)
        e.link = target->second.link;  // point at the file
      e.size = target->second.size;
      if (auto c = contents.find(target->first); c != contents.end())
        contents[e.path] = c->second;
      else
        contents.erase(e.path);
    } else {
      contents.erase(e.path);
    }
    if (auto c = layer.contents.find(e.path);
        c != layer.contents.end() && e.type == FileType::kRegular)
      contents[e.path] = std::move(c->second);
    if (keep_layers)
      tree[e.path] = e;
    else
      tree[e.path] = std::move(e);
  }
  return {};
}

// ---- The common case: the layer as one sorted batch, merged into a sorted vector. -------------
//
// Applying a layer's entries in path order instead of the layer's order gives the same tree
// unless one entry's effect depends on another of the same layer coming before or after it. That
// can only happen when the layer names a path twice, puts an entry below one of its own
// non-directories, or has a hardlink whose target the layer writes later, or writes below, or
// replaces an ancestor of. Such a layer is applied by ApplyInOrder instead.

struct Tracked {
  std::string_view path;
  size_t index;  // in layer.entries (the layer's order)
};

bool PathLess(const Tracked& a, const Tracked& b) { return a.path < b.path; }

// The first element of a path-sorted vector (of Tracked or Entry) whose path does not sort before
// `path`.
template <class V>
auto LowerBound(V& sorted, std::string_view path) {
  return std::lower_bound(
      sorted.begin(), sorted.end(), path,
      [](const auto& x, std::string_view p) { return std::string_view(x.path) < p; });
}

const Tracked* FindIn(const std::vector<Tracked>& sorted, std::string_view path) {
  auto it = LowerBound(sorted, path);
  return it != sorted.end() && it->path == path ? &*it : nullptr;
}

bool HasBelow(const std::vector<Tracked>& sorted, std::string_view dir) {
  std::string prefix = std::string(dir) + "/";
  auto it = LowerBound(sorted, prefix);
  return it != sorted.end() && Under(it->path, dir);
}

// The layer's entries (not whiteouts) sorted by path, or nullopt when the order matters.
std::optional<std::vector<Tracked>> SortIfOrderFree(const LayerData& layer) {
  std::vector<Tracked> sorted;
  sorted.reserve(layer.entries.size());
  for (size_t i = 0; i < layer.entries.size(); ++i) {
    const Entry& e = layer.entries[i];
    if (e.type != FileType::kOpaque && e.type != FileType::kWhiteout) sorted.push_back({e.path, i});
  }
  if (!std::is_sorted(sorted.begin(), sorted.end(), PathLess))
    std::sort(sorted.begin(), sorted.end(), PathLess);
  // A path named twice, or an entry below a non-directory of the same layer.
  std::optional<std::string_view> parent_checked;
  for (size_t k = 0; k < sorted.size(); ++k) {
    if (k > 0 && sorted[k].path == sorted[k - 1].path) return std::nullopt;
    std::string_view parent = Dirname(sorted[k].path);
    if (parent == parent_checked) continue;  // neighbours share their parent
    for (std::string_view d = parent; !d.empty(); d = Dirname(d))
      if (const Tracked* t = FindIn(sorted, d);
          t && layer.entries[t->index].type != FileType::kDirectory)
        return std::nullopt;
    parent_checked = parent;
  }
  for (const Tracked& t : sorted) {
    const Entry& e = layer.entries[t.index];
    if (e.type != FileType::kHardlink) continue;
    std::string_view target = e.link.view();
    if (const Tracked* w = FindIn(sorted, target); w && w->index >= t.index) return std::nullopt;
    if (HasBelow(sorted, target)) return std::nullopt;
    for (std::string_view d = Dirname(target); !d.empty(); d = Dirname(d))
      if (const Tracked* a = FindIn(sorted, d);
          a && layer.entries[a->index].type != FileType::kDirectory)
        return std::nullopt;
  }
  return sorted;
}

Entry* FindEntry(std::vector<Entry>& tree, std::string_view path) {
  auto it = LowerBound(tree, path);
  return it != tree.end() && it->path == path ? &*it : nullptr;
}
const Entry* FindEntry(const std::vector<Entry>& tree, std::string_view path) {
  auto it = LowerBound(tree, path);
  return it != tree.end() && it->path == path ? &*it : nullptr;
}

// Marks tree entries strictly below `dir` (and `dir` itself when `self`) as removed.
void MarkSubtree(const std::vector<Entry>& tree, std::vector<char>& removed, std::string_view dir,
                 bool self) {
  if (self) {
    auto it = LowerBound(tree, dir);
    if (it != tree.end() && it->path == dir) removed[it - tree.begin()] = 1;
  }
  std::string prefix = dir.empty() ? "" : std::string(dir) + "/";
  for (auto it = LowerBound(tree, prefix); it != tree.end() && it->path.starts_with(prefix); ++it)
    removed[it - tree.begin()] = 1;
}

// What this layer removes from the lower ones, by tree index: whiteouts and opaque directories
// first, then the subtrees of directories it replaces with non-directories.
std::vector<char> MarkRemoved(const std::vector<Entry>& tree, const LayerData& layer,
                              const std::vector<Tracked>& sorted) {
  std::vector<char> removed(tree.size(), 0);
  for (const Entry& e : layer.entries) {
    if (e.type == FileType::kOpaque)
      MarkSubtree(tree, removed, e.path, false);
    else if (e.type == FileType::kWhiteout && !e.path.empty())
      MarkSubtree(tree, removed, e.path, true);
  }
  for (const Tracked& t : sorted) {
    const Entry& e = layer.entries[t.index];
    if (e.type == FileType::kDirectory) continue;
    if (const Entry* old = FindEntry(tree, e.path);
        old && old->type == FileType::kDirectory && !removed[old - tree.data()])
      MarkSubtree(tree, removed, e.path, false);
  }
  return removed;
}

// Missing parents are implied; a lower non-directory in the way becomes a directory (in place).
// Returns the directories to add. (No entry of this layer is below one of its own
// non-directories: SortIfOrderFree.)
std::set<std::string, std::less<>> ImplyMissingParents(std::vector<Entry>& tree, Contents& contents,
                                                       const std::vector<char>& removed,
                                                       const std::vector<Tracked>& sorted,
                                                       int32_t layer_index) {
  std::set<std::string, std::less<>> implied;
  std::optional<std::string_view> parent_checked;
  for (const Tracked& t : sorted) {
    std::string_view parent = Dirname(t.path);
    if (parent == parent_checked) continue;  // neighbours share their parent
    for (std::string_view d = parent; !d.empty(); d = Dirname(d)) {
      if (FindIn(sorted, d) || implied.contains(d))
        break;  // a directory of this layer: the rest exist too
      Entry* lower = FindEntry(tree, d);
      if (lower && removed[lower - tree.data()]) lower = nullptr;
      if (lower && lower->type == FileType::kDirectory) break;
      if (lower) {
        contents.erase(lower->path);
        *lower = ImpliedDirectory(d, layer_index);
      } else {
        implied.insert(std::string(d));
      }
    }
    parent_checked = parent;
  }
  return implied;
}

// The layer's hardlinks as (index in the layer, path), in the layer's order: resolved last.
std::vector<std::pair<size_t, std::string>> HardlinksInLayerOrder(
    const LayerData& layer, const std::vector<Tracked>& sorted) {
  std::vector<std::pair<size_t, std::string>> links;
  for (const Tracked& t : sorted)
    if (layer.entries[t.index].type == FileType::kHardlink)
      links.emplace_back(t.index, std::string(t.path));
  std::sort(links.begin(), links.end());
  return links;
}

// Every path the layer writes (but its hardlinks) drops the contents it had; its regular files
// bring the layer's own.
void ReplaceContents(Contents& contents, LayerData& layer, const std::vector<Tracked>& sorted) {
  for (const Tracked& t : sorted) {
    const Entry& e = layer.entries[t.index];
    if (e.type == FileType::kHardlink) continue;
    contents.erase(e.path);
    if (e.type == FileType::kRegular)
      if (auto c = layer.contents.find(e.path); c != layer.contents.end())
        contents[e.path] = std::move(c->second);
  }
}

// A first layer that is already the whole tree becomes the tree: its entries are permuted into
// path order in place, following each cycle of `sorted` once.
void TakeOverInPathOrder(std::vector<Entry>& tree, LayerData& layer,
                         const std::vector<Tracked>& sorted) {
  std::vector<char> placed(sorted.size(), 0);
  for (size_t start = 0; start < sorted.size(); ++start) {
    if (placed[start] || sorted[start].index == start) continue;
    Entry held = std::move(layer.entries[start]);
    size_t at = start;
    for (;;) {
      placed[at] = 1;
      const size_t from = sorted[at].index;
      if (from == start) {
        layer.entries[at] = std::move(held);
        break;
      }
      layer.entries[at] = std::move(layer.entries[from]);
      at = from;
    }
  }
  tree = std::move(layer.entries);
  layer.entries.clear();
}

// Drops the tree entries this layer removes or writes again, keeping the rest in order.
void DropRemovedAndRewritten(std::vector<Entry>& tree, const std::vector<char>& removed,
                             const std::vector<Tracked>& sorted) {
  size_t kept = 0;
  for (size_t i = 0, j = 0; i < tree.size(); ++i) {
    while (j < sorted.size() && sorted[j].path < tree[i].path) ++j;
    if (removed[i] || (j < sorted.size() && sorted[j].path == tree[i].path)) continue;
    if (kept != i) tree[kept] = std::move(tree[i]);
    ++kept;
  }
  tree.resize(kept);
}

// Merges the layer's entries and the implied directories into the tree from the back: the tree's
// entries only move up, so each is moved once.
void MergeFromBack(std::vector<Entry>& tree, LayerData& layer, const std::vector<Tracked>& sorted,
                   const std::set<std::string, std::less<>>& implied, int32_t layer_index,
                   bool keep_layers) {
  size_t i = tree.size(), j = sorted.size();
  tree.resize(tree.size() + sorted.size() + implied.size());
  auto imp = implied.rbegin();
  for (size_t k = tree.size(); k-- > 0;) {
    // The largest of the three heads goes to k.
    std::string_view best;
    int from = -1;
    if (i > 0) best = tree[i - 1].path, from = 0;
    if (j > 0 && (from < 0 || sorted[j - 1].path > best)) best = sorted[j - 1].path, from = 1;
    if (imp != implied.rend() && (from < 0 || std::string_view(*imp) > best)) from = 2;
    if (from == 0) {
      if (k != i - 1) tree[k] = std::move(tree[i - 1]);
      --i;
    } else if (from == 1) {
      Entry& e = layer.entries[sorted[--j].index];
      if (keep_layers)
        tree[k] = e;
      else
        tree[k] = std::move(e);
    } else {
      tree[k] = ImpliedDirectory(*imp, layer_index);
      ++imp;
    }
  }
}

// Hardlinks, in the layer's order (a link may name an earlier link of the same layer), once every
// entry is in the tree: each takes its target's size and contents.
Status ResolveHardlinks(std::vector<Entry>& tree, Contents& contents, LayerData& layer,
                        const std::vector<std::pair<size_t, std::string>>& links,
                        bool keep_layers) {
  for (const auto& [index, path] : links) {
    Entry* e = FindEntry(tree, path);
    const Entry* target = FindEntry(tree, e->link.view());
    if (!target || !target->is_regular_like()) return MissingHardlinkTarget(layer, *e);
    if (target->type == FileType::kHardlink) e->link = target->link;  // point at the file
    e->size = target->size;
    if (auto c = contents.find(target->path); c != contents.end())
      contents[e->path] = c->second;
    else
      contents.erase(e->path);
    if (keep_layers) layer.entries[index] = *e;  // (as the in-order apply leaves it)
  }
  return {};
}

Status ApplySorted(std::vector<Entry>& tree, Contents& contents, LayerData& layer,
                   const std::vector<Tracked>& sorted, bool keep_layers) {
  const std::vector<char> removed = MarkRemoved(tree, layer, sorted);
  for (size_t i = 0; i < tree.size(); ++i)
    if (removed[i]) contents.erase(tree[i].path);
  const int32_t layer_index = sorted.empty() ? -1 : layer.entries[sorted.front().index].layer;
  const auto implied = ImplyMissingParents(tree, contents, removed, sorted, layer_index);
  const auto links = HardlinksInLayerOrder(layer, sorted);
  // Contents first, while every path is in place.
  ReplaceContents(contents, layer, sorted);
  // The merge happens in the tree's own storage (a first-written page is dear: doc/design.md,
  // "Footprint").
  if (tree.empty() && !keep_layers && implied.empty() && sorted.size() == layer.entries.size()) {
    TakeOverInPathOrder(tree, layer, sorted);
  } else {
    DropRemovedAndRewritten(tree, removed, sorted);
    MergeFromBack(tree, layer, sorted, implied, layer_index, keep_layers);
  }
  return ResolveHardlinks(tree, contents, layer, links, keep_layers);
}

}  // namespace

Result<Squashed> Squash(std::vector<LayerData>& layers, bool keep_layers, SquashOrder order) {
  std::vector<Entry> tree;  // sorted by path, one entry per path, every parent a directory
  Squashed out;
  for (LayerData& layer : layers) {
    std::optional<std::vector<Tracked>> sorted;
    if (order == SquashOrder::kSortedWhereSame) sorted = SortIfOrderFree(layer);
    if (sorted) {
      DISTILL_TRY_VOID(ApplySorted(tree, out.contents, layer, *sorted, keep_layers));
      ++out.sorted_layers;
    } else {
      Tree map;
      for (Entry& e : tree) {
        std::string path = e.path;
        map.emplace_hint(map.end(), std::move(path), std::move(e));
      }
      DISTILL_TRY_VOID(ApplyInOrder(map, out.contents, layer, keep_layers));
      tree.clear();
      tree.reserve(map.size());
      for (auto& [path, e] : map) tree.push_back(std::move(e));
    }
    layer.contents.clear();
    if (!keep_layers) layer.entries.clear();
  }
  out.entries = std::move(tree);
  return out;
}

}  // namespace distill::image
