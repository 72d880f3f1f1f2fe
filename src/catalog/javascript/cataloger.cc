#include "catalog/javascript/cataloger.h"

#include <set>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "catalog/language.h"
#include "util/text.h"

namespace distill::catalog::javascript {

namespace {

constexpr std::string_view kInstalled = "javascript-package-cataloger";
constexpr std::string_view kLock = "javascript-lock-cataloger";

const std::vector<std::string> kPackageJsonGlobs = {"**/node_modules/*/package.json",
                                                    "**/node_modules/@*/*/package.json"};
const std::vector<std::string> kLockGlobs = {"**/package-lock.json", "**/yarn.lock",
                                             "**/pnpm-lock.yaml"};

// pkg:npm/%40scope/name@version: the scope is the namespace.
Purl NpmPurl(std::string_view name, std::string_view version) {
  Purl p;
  p.type = "npm";
  if (name.starts_with('@') && name.find('/') != std::string_view::npos) {
    p.namespace_ = std::string(name.substr(0, name.find('/')));
    p.name = std::string(name.substr(name.find('/') + 1));
  } else {
    p.name = std::string(name);
  }
  p.version = std::string(version);
  return p;
}

Package NpmPackage(std::string name, std::string version, std::string_view found_by,
                   const image::Location& where, std::string integrity = "") {
  Purl purl = NpmPurl(name, version);
  return NewLanguagePackage(std::move(name), std::move(version), "npm", found_by, purl, where, "",
                            std::move(integrity));
}

std::string Str(const nlohmann::json& value, const char* key) {
  auto it = value.find(key);
  return it != value.end() && it->is_string() ? it->get<std::string>() : "";
}

// "npm:@scope/real@1.2.3" (an alias) -> {"@scope/real", "1.2.3"}.
bool SplitAlias(std::string_view spec, std::string* name, std::string* version) {
  if (!spec.starts_with("npm:")) return false;
  spec.remove_prefix(4);
  size_t at = spec.rfind('@');
  if (at == 0 || at == std::string_view::npos) return false;
  *name = std::string(spec.substr(0, at));
  *version = std::string(spec.substr(at + 1));
  return true;
}

// package-lock v1: "dependencies" nested maps of name -> {version, dependencies}.
void LockV1(const nlohmann::json& deps, const image::Location& where, std::vector<Package>* out) {
  if (!deps.is_object()) return;
  for (auto it = deps.begin(); it != deps.end(); ++it) {
    if (!it.value().is_object() || it.value().value("dev", false))
      continue;  // dev dependencies are not installed
    std::string name = it.key(), version = Str(it.value(), "version");
    SplitAlias(version, &name, &version);
    if (!version.empty())
      out->push_back(NpmPackage(name, version, kLock, where, Str(it.value(), "integrity")));
    if (it.value().contains("dependencies")) LockV1(it.value()["dependencies"], where, out);
  }
}

std::string_view Unquote(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == ':')) text.remove_suffix(1);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = text.substr(1, text.size() - 2);
  return text;
}

// The package name of a yarn descriptor: "@babel/code-frame@^7.0.0" -> "@babel/code-frame";
// "x@npm:1.0" -> "x".
std::string DescriptorName(std::string_view descriptor) {
  descriptor = Unquote(descriptor);
  size_t at = descriptor.find('@', descriptor.starts_with('@') ? 1 : 0);
  return std::string(descriptor.substr(0, at));
}

}  // namespace

std::vector<std::string> Globs() {
  std::vector<std::string> g = kPackageJsonGlobs;
  g.insert(g.end(), kLockGlobs.begin(), kLockGlobs.end());
  return g;
}

Result<Package> ParsePackageJson(std::string_view text, const image::Location& where) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return Errorf("package.json: not a JSON object");
  Package p = NpmPackage(Str(j, "name"), Str(j, "version"), kInstalled, where);
  if (j.contains("license")) {
    p.licenses = JsonLicenses(j["license"]);
  } else if (j.contains("licenses") && j["licenses"].is_array()) {
    // the deprecated "licenses" is a list of {type, url}; bare strings there are malformed
    for (const auto& l : j["licenses"])
      if (l.is_object())
        for (std::string& s : JsonLicenses(l)) p.licenses.push_back(std::move(s));
  }
  if (j.contains("dependencies") && j["dependencies"].is_object())
    for (auto it = j["dependencies"].begin(); it != j["dependencies"].end(); ++it)
      p.depends_on.push_back(it.key());
  return p;
}

Result<std::vector<Package>> ParsePackageLock(std::string_view text, const image::Location& where) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return Errorf("package-lock.json: not a JSON object");
  std::vector<Package> out;
  if (j.contains("packages") && j["packages"].is_object()) {  // lockfileVersion 2 and 3
    for (auto it = j["packages"].begin(); it != j["packages"].end(); ++it) {
      const auto& v = it.value();
      if (!v.is_object() || v.value("link", false) || v.value("dev", false)) continue;
      std::string name = Str(v, "name"), version = Str(v, "version");
      std::string key = it.key();
      if (key.empty()) {  // the root project
        if (name.empty()) name = Str(j, "name");
        if (version.empty()) version = Str(j, "version");
      } else if (name.empty()) {  // an alias entry carries the real name in "name"
        size_t nm = key.rfind("node_modules/");
        name = nm == std::string::npos ? key : key.substr(nm + 13);
      }
      if (name.empty()) continue;
      Package p = NpmPackage(name, version, kLock, where, Str(v, "integrity"));
      if (v.contains("license")) p.licenses = JsonLicenses(v["license"]);
      out.push_back(std::move(p));
    }
    return out;
  }
  LockV1(j.value("dependencies", nlohmann::json()), where, &out);
  std::set<std::pair<std::string, std::string>> seen;
  std::erase_if(out, [&](const Package& package) {
    return !seen.insert({package.name, package.version}).second;
  });
  return out;
}

Result<std::vector<Package>> ParseYarnLock(std::string_view text, const image::Location& where) {
  // Blocks: an unindented "descriptor[, descriptor]:" line, then indented fields; v1 writes
  // `version "1.2.3"`, berry `version: 1.2.3`. Both give one package per block.
  std::vector<Package> out;
  std::set<std::pair<std::string, std::string>> seen;
  std::string name;
  ForEachLine(text, [&](int, std::string_view line) {
    if (line.empty() || line[0] == '#') return true;
    if (line[0] != ' ') {
      std::string_view first = line.substr(0, line.find(", "));
      name = first.starts_with("__metadata") ? "" : DescriptorName(first);
      return true;
    }
    std::string_view t = line;
    while (!t.empty() && t[0] == ' ') t.remove_prefix(1);
    if (!name.empty() && t.starts_with("resolved \"")) {
      // v1: the registry URL names the package fetched, whatever the descriptor calls it
      std::string_view url = Unquote(t.substr(9));
      size_t dash = url.find("/-/");
      size_t host = url.find("://");
      if (dash != std::string_view::npos && host != std::string_view::npos) {
        std::string_view path = url.substr(0, dash);
        size_t slash = path.find('/', host + 3);
        if (slash != std::string_view::npos) {
          std::string real(path.substr(slash + 1));
          size_t enc = real.find("%2f");
          if (enc != std::string::npos) real.replace(enc, 3, "/");
          if (!real.empty() && !out.empty() && out.back().name == name) {
            Package fixed = NpmPackage(real, out.back().version, kLock, where);
            seen.erase({name, out.back().version});
            if (seen.insert({real, fixed.version}).second)
              out.back() = std::move(fixed);
            else
              out.pop_back();
          }
        }
      }
      return true;
    }
    if (name.empty() || !t.starts_with("version")) return true;
    if (line.size() - t.size() != 2) return true;  // a nested "version" (dependencies meta)
    t.remove_prefix(7);
    if (!t.empty() && t[0] == ':') t.remove_prefix(1);
    while (!t.empty() && t[0] == ' ') t.remove_prefix(1);
    std::string version(Unquote(t));
    if (seen.insert({name, version}).second) out.push_back(NpmPackage(name, version, kLock, where));
    return true;
  });
  return out;
}

Result<std::vector<Package>> ParsePnpmLock(std::string_view text, const image::Location& where) {
  std::vector<Package> out;
  try {
    YAML::Node doc = YAML::Load(std::string(text));
    YAML::Node pkgs = doc["packages"];
    if (!pkgs || !pkgs.IsMap()) return out;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& kv : pkgs) {
      // "/name@1.2.3", "/@scope/name@1.2.3(peer@1)" (v6+), "/name/1.2.3" (v5).
      std::string key = kv.first.as<std::string>();
      if (key.starts_with('/')) key.erase(0, 1);
      key = key.substr(0, key.find('('));
      size_t at = key.find('@', key.starts_with('@') ? 1 : 0);
      std::string name, version;
      if (at != std::string::npos) {
        name = key.substr(0, at);
        version = key.substr(at + 1);
      } else {
        size_t slash = key.rfind('/');
        if (slash == std::string::npos) continue;
        name = key.substr(0, slash);
        version = key.substr(slash + 1);
      }
      if (!name.empty() && seen.insert({name, version}).second)
        out.push_back(NpmPackage(name, version, kLock, where));
    }
  } catch (const std::exception& e) {
    return Errorf("pnpm-lock.yaml: {}", e.what());
  }
  return out;
}

Found Catalog(const image::FileIndex& files, const Distro&) {
  Found out;
  for (const image::Entry* e : GlobAll(files, kPackageJsonGlobs)) {
    if (!e->is_regular_like()) continue;
    auto text = files.Contents(e->path);
    Result<Package> p =
        text.ok() ? ParsePackageJson(*text, files.LocationOf(*e)) : Result<Package>(text.error());
    if (!p.ok()) {
      out.unknowns.push_back({files.LocationOf(*e), p.error().message});
      continue;
    }
    if (p->name.empty() || p->version.empty()) continue;  // a package.json that names no package
    // The package owns its directory (for OS ownership: Debian's node-* packages).
    p->files.push_back({std::string(image::Dirname(e->path)), "", ""});
    out.packages.push_back(std::move(p).value());
  }
  if (!IsDirSource(files)) return out;
  for (const image::Entry* e : GlobAll(files, kLockGlobs)) {
    if (!e->is_regular_like() || e->path.find("node_modules/") != std::string::npos) continue;
    auto text = files.Contents(e->path);
    if (!text.ok()) {
      out.unknowns.push_back({files.LocationOf(*e), text.error().message});
      continue;
    }
    image::Location where = files.LocationOf(*e);
    std::string_view base = image::Basename(e->path);
    auto pkgs = base == "package-lock.json" ? ParsePackageLock(*text, where)
                : base == "yarn.lock"       ? ParseYarnLock(*text, where)
                                            : ParsePnpmLock(*text, where);
    if (!pkgs.ok()) {
      out.unknowns.push_back({where, pkgs.error().message});
      continue;
    }
    for (Package& p : *pkgs) out.packages.push_back(std::move(p));
  }
  return out;
}

}  // namespace distill::catalog::javascript
