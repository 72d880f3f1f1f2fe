#include "catalog/ownership.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace distill::catalog {

namespace {

// Resolves a path's directory through the image's symlinks (usr-merge: bin -> usr/bin), caching
// per directory.
class Canonical {
 public:
  explicit Canonical(const image::FileIndex& files) : files_(files) {}
  std::string operator()(std::string_view path) {
    std::string dir(image::Dirname(path));
    auto it = dirs_.find(dir);
    if (it == dirs_.end()) {
      std::string resolved = dir;
      if (!dir.empty()) {
        auto r = files_.Resolve(dir);
        if (r.ok() && *r) resolved = (*r)->path;
      }
      it = dirs_.emplace(dir, resolved).first;
    }
    std::string base(image::Basename(path));
    return it->second.empty() ? base : it->second + "/" + base;
  }

 private:
  const image::FileIndex& files_;
  std::unordered_map<std::string, std::string> dirs_;
};

}  // namespace

bool IsOsPackage(const Package& p) { return p.type == "deb" || p.type == "apk" || p.type == "rpm"; }

std::vector<Relationship> OwnershipRelationships(const image::FileIndex& files, const std::vector<Package>& packages) {
  Canonical canon(files);
  std::unordered_map<std::string, size_t> owner;  // canonical path -> OS package index
  for (size_t i = 0; i < packages.size(); ++i) {
    if (!IsOsPackage(packages[i])) continue;
    for (const OwnedFile& f : packages[i].files) owner.emplace(canon(f.path), i);
  }
  std::set<std::pair<std::string, std::string>> edges;
  if (owner.empty()) return {};
  for (const Package& p : packages) {
    if (IsOsPackage(p) || p.locations.empty()) continue;
    auto it = owner.find(canon(p.locations.front().path));
    if (it != owner.end()) edges.emplace(packages[it->second].id(), p.id());
  }
  std::vector<Relationship> out;
  for (const auto& [from, to] : edges) out.push_back({from, to, "owns"});
  return out;
}

}  // namespace distill::catalog
