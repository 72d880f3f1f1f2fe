#include "catalog/dotnet/cataloger.h"

#include <map>

#include <nlohmann/json.hpp>

#include "catalog/language.h"

namespace distill::catalog::dotnet {

namespace {
constexpr std::string_view kName = "dotnet-deps-binary-cataloger";
}

std::vector<std::string> Globs() { return {"**/*.deps.json"}; }

Result<std::vector<Package>> ParseDepsJson(std::string_view text, const image::Location& where) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("libraries") || !j["libraries"].is_object())
    return Errorf("deps.json: no \"libraries\" object");
  // name -> dependency names, from the targets section (any target framework)
  std::map<std::string, std::vector<std::string>> deps;
  if (j.contains("targets") && j["targets"].is_object())
    for (const auto& [fw, libs] : j["targets"].items()) {
      if (!libs.is_object()) continue;
      for (const auto& [key, lib] : libs.items()) {
        if (!lib.is_object() || !lib.contains("dependencies") || !lib["dependencies"].is_object()) continue;
        auto& d = deps[key.substr(0, key.find('/'))];
        for (const auto& [dep, ver] : lib["dependencies"].items()) d.push_back(dep);
      }
    }
  std::vector<Package> out;
  for (const auto& [key, lib] : j["libraries"].items()) {
    if (!lib.is_object()) continue;
    std::string type = lib.value("type", "");
    if (type != "package" && type != "project") continue;  // "referenceassembly": framework facades
    size_t slash = key.find('/');
    if (slash == std::string::npos) continue;
    std::string name = key.substr(0, slash), version = key.substr(slash + 1);
    std::string sha = lib.value("sha512", "");
    Package p = NewLanguagePackage(name, version, "dotnet", kName, Purl{"nuget", "", name, version, {}, ""}, where, "", sha);
    p.depends_on = deps[name];
    out.push_back(std::move(p));
  }
  return out;
}

Found Catalog(const image::FileIndex& files, const Distro&) { return CatalogFiles(files, Globs(), &ParseDepsJson); }

}  // namespace distill::catalog::dotnet
