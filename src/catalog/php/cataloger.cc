#include "catalog/php/cataloger.h"

#include <nlohmann/json.hpp>

#include "catalog/language.h"

namespace distill::catalog::php {

namespace {
constexpr std::string_view kName = "php-composer-installed-cataloger";
}

std::vector<std::string> Globs() { return {"**/vendor/composer/installed.json"}; }

Result<std::vector<Package>> ParseInstalledJson(std::string_view text,
                                                const image::Location& where) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  const nlohmann::json* list = &j;
  if (j.is_object() && j.contains("packages")) list = &j["packages"];
  if (!list->is_array())
    return Errorf("installed.json: expected an array of packages or {{\"packages\": [...]}}");
  std::vector<Package> out;
  for (const auto& p : *list) {
    if (!p.is_object() || !p.value("name", nlohmann::json()).is_string()) continue;
    std::string full = p["name"], version = p.value("version", "");
    size_t slash = full.find('/');
    Purl purl{"composer",
              slash == std::string::npos ? "" : full.substr(0, slash),
              full.substr(slash == std::string::npos ? 0 : slash + 1),
              version,
              {},
              ""};
    std::string sum;
    if (p.contains("dist") && p["dist"].is_object()) sum = p["dist"].value("shasum", "");
    Package pkg = NewLanguagePackage(full, version, "php-composer", kName, purl, where, "", sum);
    if (p.contains("license")) pkg.licenses = JsonLicenses(p["license"]);
    if (p.contains("require") && p["require"].is_object())
      for (const auto& [dep, ver] : p["require"].items()) pkg.depends_on.push_back(dep);
    out.push_back(std::move(pkg));
  }
  return out;
}

Found Catalog(const image::FileIndex& files, const Distro&) {
  return CatalogFiles(files, Globs(), &ParseInstalledJson);
}

std::vector<std::string> ComposerLockGlobs() { return {"**/composer.lock"}; }

Result<std::vector<Package>> ParseComposerLock(std::string_view text,
                                               const image::Location& where) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("packages")) return Errorf("composer.lock: no \"packages\"");
  auto pkgs = ParseInstalledJson(j["packages"].dump(), where);
  if (pkgs.ok())
    for (Package& p : *pkgs) p.found_by = "php-composer-lock-cataloger";
  return pkgs;
}

Found CatalogComposerLock(const image::FileIndex& files, const Distro&) {
  return CatalogDeclared(files, ComposerLockGlobs(), &ParseComposerLock);
}

}  // namespace distill::catalog::php
