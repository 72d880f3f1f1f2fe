#include "compare/compare.h"

#include <fmt/format.h>

namespace distill::compare {

namespace {

std::string Key(const catalog::Package& package) {
  if (package.type == "deb" || package.type == "apk" || package.type == "rpm") return package.name;
  return package.type + ":" + package.name;
}

}  // namespace

Side Summarize(const std::string& name, const image::LoadedImage& img, const catalog::Catalog& cat,
               const audit::Report& rep) {
  Side s;
  s.name = name;
  if (!cat.distro.empty())
    s.distro = cat.distro.id + (cat.distro.version_id.empty() ? "" : " " + cat.distro.version_id);
  for (size_t i = 0; i < img.meta.layers.size(); ++i) {
    LayerSize l;
    l.digest = img.meta.layers[i].digest;
    l.compressed = img.meta.layers[i].size;
    l.uncompressed = i < img.layer_stats.size() ? img.layer_stats[i].tar_size : 0;
    l.created_by = img.meta.layers[i].created_by;
    s.compressed += l.compressed, s.uncompressed += l.uncompressed;
    s.layers.push_back(std::move(l));
  }
  for (const image::Entry& e : img.files.entries()) {
    if (e.type == image::FileType::kDirectory) continue;
    ++s.files;
    if (img.meta.layers.empty() && e.type == image::FileType::kRegular) s.uncompressed += e.size;
  }
  for (const catalog::Package& p : cat.packages) {
    auto [it, fresh] = s.packages.try_emplace(Key(p), p.version);
    if (!fresh && it->second != p.version) it->second += ", " + p.version;
  }
  s.distroless = rep.distroless;
  s.score = rep.score;
  for (const auto& f : rep.findings)
    if (f.allowed_by.empty()) ++s.findings;
  return s;
}

Comparison Compare(Side a, Side b) {
  Comparison c;
  for (const auto& [name, v] : a.packages) {
    auto it = b.packages.find(name);
    if (it == b.packages.end())
      c.removed.push_back({name, v, ""});
    else if (it->second != v)
      c.changed.push_back({name, v, it->second});
  }
  for (const auto& [name, v] : b.packages)
    if (!a.packages.contains(name)) c.added.push_back({name, "", v});
  c.a = std::move(a);
  c.b = std::move(b);
  return c;
}

std::string Percent(double a, double b) {
  if (a == 0) return b == 0 ? "0%" : "n/a";
  double p = (b - a) / a * 100;
  return fmt::format("{}{:.1f}%", p > 0 ? "+" : "", p);
}

}  // namespace distill::compare
