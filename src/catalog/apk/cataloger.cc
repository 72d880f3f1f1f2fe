#include "catalog/apk/cataloger.h"

#include <algorithm>

namespace distill::catalog::apk {
namespace {
constexpr std::string_view kDatabases[] = {"lib/apk/db/installed", "usr/lib/apk/db/installed"};
}  // namespace

std::vector<std::string> Globs() { return {std::begin(kDatabases), std::end(kDatabases)}; }

Found Catalog(const image::FileIndex& files, const Distro& distro) {
  Found out;
  std::vector<const image::Entry*> seen;  // lib/apk/db may be a symlink to usr/lib/apk/db
  for (auto path : kDatabases) {
    auto resolved = files.Resolve(path);
    if (!resolved.ok() || std::find(seen.begin(), seen.end(), *resolved) != seen.end()) continue;
    seen.push_back(*resolved);
    const image::Entry* e = files.Find(path);
    if (!e) e = *resolved;
    image::Location where = files.LocationOf(*e);
    auto text = files.Contents(path);
    if (!text.ok()) {
      out.unknowns.push_back({where, text.error().message});
      continue;
    }
    ParsedDb db = ParseInstalled(*text);
    for (const Error& err : db.errors) out.unknowns.push_back({where, err.message});
    for (Record& r : db.records) out.packages.push_back(NewPackage(std::move(r), distro, where));
  }
  return out;
}

}  // namespace distill::catalog::apk
