#include "catalog/rpm/cataloger.h"

#include <algorithm>

#include "catalog/rpm/parse_db.h"

namespace distill::catalog::rpm {
namespace {

struct Backend {
  std::string_view file;  // relative to the rpmdb directory
  Result<Blobs> (*read)(std::string_view);
};
constexpr Backend kBackends[] = {
    {"rpmdb.sqlite", &ReadSqlite},
    {"Packages", &ReadBerkeleyDb},
    {"Packages.db", &ReadNdb},
};
constexpr std::string_view kDirs[] = {"var/lib/rpm", "usr/lib/sysimage/rpm", "usr/share/rpm"};
constexpr std::string_view kManifest = "var/lib/rpmmanifest/container-manifest-2";

void ReadDatabase(const image::FileIndex& files, const std::string& path, const Backend& backend,
                  const Distro& distro, Found* out) {
  image::Location where = LocationFor(files, path);
  auto text = files.Contents(path);
  if (!text.ok()) {
    out->unknowns.push_back({where, text.error().message});
    return;
  }
  auto blobs = backend.read(*text);
  if (!blobs.ok()) {
    out->unknowns.push_back({where, blobs.error().message});
    return;
  }
  for (const Error& e : blobs->errors) out->unknowns.push_back({where, e.message});
  for (const std::string& blob : blobs->blobs) {
    auto h = ParseHeaderBlob(blob);
    if (!h.ok()) {
      out->unknowns.push_back({where, h.error().message});
      continue;
    }
    if (h->name == "gpg-pubkey") continue;  // an imported signing key, not software
    out->packages.push_back(NewPackage(std::move(h).value(), distro, where));
  }
}

}  // namespace

std::vector<std::string> Globs() {
  std::vector<std::string> out;
  for (auto dir : kDirs)
    for (const auto& b : kBackends) out.push_back(std::string(dir) + "/" + std::string(b.file));
  out.emplace_back(kManifest);
  return out;
}

Found Catalog(const image::FileIndex& files, const Distro& distro) {
  Found out;
  std::vector<const image::Entry*> seen;  // usr/share/rpm is often a symlink to var/lib/rpm
  for (auto dir : kDirs) {
    for (const auto& b : kBackends) {
      std::string path = std::string(dir) + "/" + std::string(b.file);
      auto e = files.Resolve(path);
      if (!e.ok() || !(*e)->is_regular_like()) continue;
      if (std::find(seen.begin(), seen.end(), *e) != seen.end()) continue;
      seen.push_back(*e);
      ReadDatabase(files, path, b, distro, &out);
      break;  // one backend per directory: rpm keeps the others only as leftovers of a migration
    }
  }
  if (files.Find(kManifest)) {
    image::Location where = LocationFor(files, kManifest);
    auto text = files.Contents(kManifest);
    auto parsed =
        text.ok() ? ParseContainerManifest(*text) : Result<std::vector<HeaderInfo>>(text.error());
    if (!parsed.ok())
      out.unknowns.push_back({where, parsed.error().message});
    else
      for (HeaderInfo& h : *parsed) out.packages.push_back(NewPackage(std::move(h), distro, where));
  }
  return out;
}

}  // namespace distill::catalog::rpm
