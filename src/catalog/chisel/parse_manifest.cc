#include <zstd.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "catalog/chisel/cataloger.h"
#include "catalog/dpkg/package.h"

namespace distill::catalog::chisel {
namespace {

std::string Str(const nlohmann::json& value, const char* key) {
  auto it = value.find(key);
  return it != value.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<std::string> Zstd(std::string_view compressed, size_t max_bytes) {
  std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> ds(ZSTD_createDStream(),
                                                              ZSTD_freeDStream);
  if (!ds) return InternalErrorf("zstd: out of memory");
  ZSTD_initDStream(ds.get());
  std::string out;
  std::string buf(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  size_t last = 1;
  while (in.pos < in.size) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    last = ZSTD_decompressStream(ds.get(), &o, &in);
    if (ZSTD_isError(last)) return Errorf("zstd: {}", ZSTD_getErrorName(last));
    out.append(buf.data(), o.pos);
    if (out.size() > max_bytes) return Errorf("zstd: more than {} bytes decompressed", max_bytes);
    if (o.pos == 0 && last != 0 && in.pos == in.size) break;
  }
  // Flush what the decoder still holds.
  while (last != 0) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    last = ZSTD_decompressStream(ds.get(), &o, &in);
    if (ZSTD_isError(last)) return Errorf("zstd: {}", ZSTD_getErrorName(last));
    if (o.pos == 0) break;
    out.append(buf.data(), o.pos);
    if (out.size() > max_bytes) return Errorf("zstd: more than {} bytes decompressed", max_bytes);
  }
  if (last != 0) return Errorf("zstd: truncated input");
  return out;
}

Result<std::vector<Package>> ParseManifest(std::string_view text, const Distro& distro,
                                           const image::Location& where) {
  std::map<std::string, Package> packages;              // by name
  std::map<std::string, std::vector<OwnedFile>> owned;  // package name -> files
  std::map<std::string, std::vector<std::string>> slices;
  size_t pos = 0;
  int n = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++n;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return Errorf("line {}: not a JSON object", n);
    if (n == 1) {
      if (Str(j, "jsonwall") != "1.0") return Errorf("line 1: not a jsonwall 1.0 header");
      if (std::string s = Str(j, "schema"); s != "1.0")
        return Errorf("line 1: unknown manifest schema \"{}\"", s);
      continue;
    }
    std::string kind = Str(j, "kind");
    if (kind == "package") {
      dpkg::StatusEntry e;
      e.name = Str(j, "name");
      e.version = Str(j, "version");
      e.arch = Str(j, "arch");
      if (e.name.empty()) return Errorf("line {}: package without a name", n);
      e.meta.archive_sha256 = Str(j, "sha256");
      Package p = dpkg::NewPackage(std::move(e), distro, where);
      p.found_by = std::string(kCatalogerName);
      packages[p.name] = std::move(p);
    } else if (kind == "slice") {
      std::string name = Str(j, "name");
      size_t us = name.find('_');
      if (us == std::string::npos)
        return Errorf("line {}: slice \"{}\" is not <package>_<slice>", n, name);
      slices[name.substr(0, us)].push_back(name);
    } else if (kind == "path") {
      std::string path = Str(j, "path");
      if (path.empty() || path.back() == '/') continue;  // directories
      while (path.starts_with('/')) path.erase(0, 1);
      std::string digest = Str(j, "final_sha256");
      if (digest.empty()) digest = Str(j, "sha256");
      auto sl = j.find("slices");
      if (sl == j.end() || !sl->is_array()) continue;
      std::vector<std::string> owners;
      for (const auto& s : *sl) {
        if (!s.is_string()) continue;
        std::string pkg = s.get<std::string>().substr(0, s.get<std::string>().find('_'));
        if (std::find(owners.begin(), owners.end(), pkg) == owners.end()) owners.push_back(pkg);
      }
      for (const auto& pkg : owners)
        owned[pkg].push_back({path, digest.empty() ? "" : "sha256", digest});
    }
  }
  std::vector<Package> out;
  for (auto& [name, p] : packages) {
    p.files = std::move(owned[name]);
    std::sort(p.files.begin(), p.files.end(),
              [](const OwnedFile& a, const OwnedFile& b) { return a.path < b.path; });
    std::get<DpkgMetadata>(p.metadata).slices = std::move(slices[name]);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace distill::catalog::chisel
