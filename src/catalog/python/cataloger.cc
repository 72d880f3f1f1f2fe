#include "catalog/python/cataloger.h"

#include <nlohmann/json.hpp>

#include "catalog/language.h"
#include "catalog/python/parse_metadata.h"

namespace distill::catalog::python {

namespace {

constexpr std::string_view kInstalledCataloger = "python-installed-package-cataloger";

// note: the dist-info/egg-info directory names are matched case-insensitively by syft (some
// tools write EGG-INFO); the globs list both spellings instead of a case-folding matcher.
const std::vector<std::string> kMetadataGlobs = {"**/*dist-info/METADATA", "**/*DIST-INFO/METADATA",
                                                 "**/*egg-info/PKG-INFO", "**/*EGG-INFO/PKG-INFO",
                                                 "**/*.egg-info"};

std::string Sibling(std::string_view path, std::string_view name) {
  return std::string(image::Dirname(path)) + "/" + std::string(name);
}

// vcs_url from a PEP 610 direct_url.json: "git+https://host/repo.git@<commit>".
std::string VcsUrl(const image::FileIndex& files, const std::string& path) {
  if (!files.Find(path)) return "";
  auto text = files.Contents(path);
  if (!text.ok()) return "";
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("vcs_info") || !j["url"].is_string()) return "";
  const auto& vcs = j["vcs_info"];
  if (!vcs.is_object() || !vcs.value("vcs", nlohmann::json()).is_string()) return "";
  std::string out = vcs["vcs"].get<std::string>() + "+" + j["url"].get<std::string>();
  if (vcs.contains("commit_id") && vcs["commit_id"].is_string())
    out += "@" + vcs["commit_id"].get<std::string>();
  return out;
}

// The files a package owns: RECORD (dist-info, relative to site-packages) or
// installed-files.txt (egg-info, relative to the egg-info directory).
std::vector<OwnedFile> OwnedFiles(const image::FileIndex& files, std::string_view meta_path,
                                  bool single_file) {
  if (single_file) return {{std::string(meta_path), "", ""}};
  std::string dir(image::Dirname(meta_path));
  std::string record = dir + "/RECORD";
  if (files.Find(record)) {
    if (auto text = files.Contents(record); text.ok())
      return ParseRecord(*text, image::Dirname(dir));
  }
  std::string installed = dir + "/installed-files.txt";
  std::vector<OwnedFile> out;
  if (files.Find(installed)) {
    if (auto text = files.Contents(installed); text.ok()) {
      for (OwnedFile& f : ParseRecord(*text, dir)) out.push_back(std::move(f));
    }
  }
  // The metadata directory itself belongs to the package even when no file list says so.
  for (const image::Entry* e : files.Under(dir)) out.push_back({e->path, "", ""});
  return out;
}

}  // namespace

Package NewPythonPackage(const std::string& declared_name, std::string version,
                         std::string_view found_by, const image::Location& where) {
  Purl purl{"pypi", "", NormalizeName(declared_name), version, {}, ""};
  return NewLanguagePackage(declared_name, std::move(version), "python", found_by, purl, where,
                            declared_name);
}

std::vector<std::string> Globs() {
  std::vector<std::string> g = kMetadataGlobs;
  for (const char* f : {"RECORD", "direct_url.json", "installed-files.txt"}) {
    g.push_back(std::string("**/*dist-info/") + f);
    g.push_back(std::string("**/*DIST-INFO/") + f);
    g.push_back(std::string("**/*egg-info/") + f);
    g.push_back(std::string("**/*EGG-INFO/") + f);
  }
  return g;
}

Found Catalog(const image::FileIndex& files, const Distro&) {
  Found out;
  for (const image::Entry* e : GlobAll(files, kMetadataGlobs)) {
    if (!e->is_regular_like()) continue;
    bool single_file = !e->path.ends_with("/METADATA") && !e->path.ends_with("/PKG-INFO");
    auto text = files.Contents(e->path);
    if (!text.ok()) {
      out.unknowns.push_back({files.LocationOf(*e), text.error().message});
      continue;
    }
    auto meta = ParseCoreMetadata(*text);
    if (!meta.ok()) {
      out.unknowns.push_back({files.LocationOf(*e), meta.error().message});
      continue;
    }
    // The interpreter's own egg-info (Debian's python2.7 ships Python-2.7.egg-info) is not a
    // package.
    if (meta->name.empty() || meta->name == "Python") continue;
    Purl purl{"pypi", "", NormalizeName(meta->name), meta->version, {}, ""};
    std::string vcs = single_file ? "" : VcsUrl(files, Sibling(e->path, "direct_url.json"));
    if (!vcs.empty()) purl.qualifiers["vcs_url"] = vcs;
    Package p = NewLanguagePackage(meta->name, meta->version, "python", kInstalledCataloger, purl,
                                   files.LocationOf(*e), meta->name);
    p.licenses = Licenses(*meta);
    p.files = OwnedFiles(files, e->path, single_file);
    if (!single_file) {
      std::string record = Sibling(e->path, "RECORD");
      if (const image::Entry* r = files.Find(record)) p.locations.push_back(files.LocationOf(*r));
    }
    for (const std::string& req : meta->requires_dist) {
      if (req.find("extra ==") != std::string::npos) continue;  // optional dependencies
      size_t end = req.find_first_of(" ;(<>=!~[");
      p.depends_on.push_back(NormalizeName(req.substr(0, end)));
    }
    out.packages.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> PdmLockGlobs() { return {"**/pdm.lock"}; }

Result<std::vector<Package>> ParsePdmLock(std::string_view text, const image::Location& where) {
  std::vector<Package> out;
  for (auto& [raw, version] : TomlPackages(text))
    out.push_back(NewPythonPackage(raw, version, "python-package-cataloger", where));
  return out;
}

Found CatalogPdmLock(const image::FileIndex& files, const Distro&) {
  return CatalogDeclared(files, PdmLockGlobs(), &ParsePdmLock);
}

}  // namespace distill::catalog::python
