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

bool IsOsPackage(const Package& package) {
  return package.type == "deb" || package.type == "apk" || package.type == "rpm";
}

std::vector<Relationship> OwnershipRelationships(const image::FileIndex& files,
                                                 const std::vector<Package>& packages) {
  // The few paths asked about (each non-OS package's first location) are collected first, so
  // only those of the OS packages' thousands of owned files are kept.
  Canonical canon(files);
  std::unordered_map<std::string, std::vector<size_t>> asked;  // canonical path -> packages there
  for (size_t i = 0; i < packages.size(); ++i) {
    const Package& p = packages[i];
    if (IsOsPackage(p) || p.locations.empty()) continue;
    asked[canon(p.locations.front().path)].push_back(i);
  }
  if (asked.empty()) return {};
  std::unordered_map<std::string_view, size_t> owner;  // asked path -> first OS package owning it
  for (size_t i = 0; i < packages.size(); ++i) {
    if (!IsOsPackage(packages[i])) continue;
    for (const OwnedFile& f : packages[i].files) {
      auto it = asked.find(canon(f.path));
      if (it != asked.end()) owner.emplace(it->first, i);
    }
  }
  std::set<std::pair<std::string, std::string>> edges;
  for (const auto& [path, at] : asked) {
    auto it = owner.find(path);
    if (it == owner.end()) continue;
    for (size_t i : at) edges.emplace(packages[it->second].id(), packages[i].id());
  }
  std::vector<Relationship> out;
  for (const auto& [from, to] : edges) out.push_back({from, to, "owns"});
  return out;
}

}  // namespace distill::catalog
