#include "catalog/chisel/cataloger.h"

namespace distill::catalog::chisel {
namespace {
constexpr std::string_view kManifest = "var/lib/chisel/manifest.wall";
constexpr size_t kMaxManifest = 256u << 20;
}  // namespace

std::vector<std::string> Globs() { return {std::string(kManifest)}; }

Found Catalog(const image::FileIndex& files, const Distro& distro) {
  Found out;
  if (!files.Find(kManifest)) return out;
  image::Location where = LocationFor(files, kManifest);
  auto compressed = files.Contents(kManifest);
  if (!compressed.ok()) {
    out.unknowns.push_back({where, compressed.error().message});
    return out;
  }
  auto text = Zstd(*compressed, kMaxManifest);
  if (!text.ok()) {
    out.unknowns.push_back({where, text.error().message});
    return out;
  }
  auto pkgs = ParseManifest(*text, distro, where);
  if (!pkgs.ok()) {
    out.unknowns.push_back({where, pkgs.error().message});
    return out;
  }
  out.packages = std::move(pkgs).value();
  return out;
}

}  // namespace distill::catalog::chisel
