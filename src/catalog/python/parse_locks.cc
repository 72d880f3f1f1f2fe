// Pipfile.lock (JSON) and the TOML lock files poetry.lock and uv.lock.
#include <map>
#include <nlohmann/json.hpp>

#include "catalog/language.h"
#include "catalog/python/cataloger.h"
#include "catalog/python/declared.h"
#include "catalog/python/parse_metadata.h"
#include "image/file_index.h"
#include "util/text.h"

namespace distill::catalog::python {

namespace {

Package Declared(const std::string& raw, const std::string& version, const image::Location& where) {
  return NewPythonPackage(raw, version, kDeclaredCataloger, where);
}

// The `key = value` lines of each [[package]] table (values raw, strings unquoted); the
// sub-tables ([package.dependencies], [[package.wheels]]) and multi-line arrays are skipped.
std::vector<std::map<std::string, std::string>> PackageTables(std::string_view text) {
  std::vector<std::map<std::string, std::string>> out;
  bool in_package = false;
  ForEachLine(text, [&](size_t, std::string_view line) {
    line = Trim(line);
    if (line.starts_with("[")) {
      in_package = line == "[[package]]";
      if (in_package) out.emplace_back();
      return true;
    }
    size_t eq = line.find('=');
    if (!in_package || eq == std::string_view::npos || line.starts_with("#")) return true;
    std::string_view key = Trim(line.substr(0, eq)), value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    out.back()[std::string(key)] = std::string(value);
    return true;
  });
  return out;
}

}  // namespace

Result<std::vector<Package>> ParsePipfileLock(std::string_view text, const image::Location& where) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return Errorf("Pipfile.lock: not a JSON object");
  std::vector<Package> out;
  for (const char* section : {"default", "develop"}) {
    if (!j.contains(section) || !j[section].is_object()) continue;
    for (const auto& [raw, entry] : j[section].items()) {
      if (!entry.is_object() || !entry.value("version", nlohmann::json()).is_string())
        continue;  // git/path entries
      std::string version = entry["version"];
      if (version.starts_with("==")) version.erase(0, 2);
      if (version.empty()) continue;
      out.push_back(Declared(raw, version, where));
    }
  }
  return out;
}

Result<std::vector<Package>> ParsePoetryLock(std::string_view text, const image::Location& where) {
  std::vector<Package> out;
  for (auto& t : PackageTables(text))
    if (!t["name"].empty() && !t["version"].empty())
      out.push_back(Declared(t["name"], t["version"], where));
  return out;
}

Result<std::vector<Package>> ParseUvLock(std::string_view text, const image::Location& where) {
  std::vector<Package> out;
  for (auto& t : PackageTables(text)) {
    const std::string& source = t["source"];
    if (source.find("editable") != std::string::npos || source.find("virtual") != std::string::npos)
      continue;
    if (!t["name"].empty() && !t["version"].empty())
      out.push_back(Declared(t["name"], t["version"], where));
  }
  return out;
}

std::vector<std::string> DeclaredGlobs() {
  return {"**/*requirements*.txt", "**/Pipfile.lock", "**/poetry.lock", "**/uv.lock",
          "**/pdm.lock"};
}

namespace {

Result<std::vector<Package>> ParseByName(std::string_view text, const image::Location& where) {
  std::string_view base = image::Basename(where.path);
  if (base == "Pipfile.lock") return ParsePipfileLock(text, where);
  if (base == "poetry.lock") return ParsePoetryLock(text, where);
  if (base == "uv.lock") return ParseUvLock(text, where);
  if (base == "pdm.lock") return ParsePdmLock(text, where);
  return ParseRequirements(text, where);
}

}  // namespace

Found CatalogDeclaredFiles(const image::FileIndex& files, const Distro&) {
  return CatalogDeclared(files, DeclaredGlobs(), &ParseByName);
}

}  // namespace distill::catalog::python
