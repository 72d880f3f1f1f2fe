#include "catalog/language.h"

#include <algorithm>
#include <set>

#include "util/glob.h"

#include <nlohmann/json.hpp>

namespace distill::catalog {

Package NewLanguagePackage(std::string name, std::string version, std::string type,
                           std::string_view found_by, const Purl& purl, image::Location where,
                           std::string ecosystem_id, std::string integrity) {
  Package p;
  p.name = std::move(name);
  p.version = std::move(version);
  p.type = std::move(type);
  p.found_by = std::string(found_by);
  if (auto made = MakePurl(purl); made.ok()) p.purl = made->ToString();
  p.locations.push_back(std::move(where));
  p.metadata = LanguageMetadata{std::move(ecosystem_id), std::move(integrity)};
  return p;
}

std::vector<std::string> JsonLicenses(const nlohmann::json& value) {
  std::vector<std::string> out;
  auto one = [&](const nlohmann::json& item) {
    if (item.is_string()) {
      if (!item.get_ref<const std::string&>().empty()) out.push_back(item.get<std::string>());
    } else if (item.is_object()) {
      auto t = item.find("type");
      if (t != item.end() && t->is_string() && !t->get_ref<const std::string&>().empty())
        out.push_back(t->get<std::string>());
    }
  };
  if (value.is_array()) {
    for (const auto& x : value) one(x);
  } else {
    one(value);
  }
  return out;
}

bool IsDirSource(const image::FileIndex& files) { return files.layer_digests().empty(); }

std::string JoinImagePath(std::string_view base, std::string_view rel) {
  std::vector<std::string> parts;
  auto push = [&](std::string_view path) -> bool {
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      std::string_view part = path.substr(start, end - start);
      if (part == "..") {
        if (!parts.empty()) parts.pop_back();  // "/.." is "/", as in symlink resolution
      } else if (!part.empty() && part != ".") {
        parts.emplace_back(part);
      }
      start = end + 1;
    }
    return true;
  };
  if (!rel.empty() && rel[0] == '/') base = "";
  if (!push(base) || !push(rel)) return "";
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

GlobSet::GlobSet(const std::vector<std::string>& globs) {
  for (const auto& g : globs) {
    size_t last = g.find_last_of("*?]}");
    std::string tail = last == std::string::npos ? g : g.substr(last + 1);
    // "**/Cargo.lock" matches "Cargo.lock" at the root too: "**/" may match no segment at all, so
    // the '/' it ends with is not part of every match's tail.
    if (tail.starts_with('/') && std::string_view(g).substr(0, last + 1).ends_with("**"))
      tail.erase(0, 1);
    globs_.push_back({g, std::move(tail)});
  }
}

bool GlobSet::Matches(std::string_view path) const {
  for (const One& g : globs_)
    if (path.ends_with(g.tail) && GlobMatch(g.glob, path)) return true;
  return false;
}

std::vector<const image::Entry*> GlobAll(const image::FileIndex& files,
                                         const std::vector<std::string>& globs) {
  GlobSet set(globs);
  std::vector<const image::Entry*> out;  // entries() is sorted by path, and each is visited once
  for (const image::Entry& e : files.entries())
    if (set.Matches(e.path)) out.push_back(&e);
  return out;
}

std::vector<std::pair<std::string, std::string>> TomlPackages(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  bool in_package = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.starts_with("[")) {
      in_package = line == "[[package]]";
      if (in_package) out.emplace_back();
      continue;
    }
    if (!in_package) continue;
    size_t eq = line.find(" = \"");
    if (eq == std::string_view::npos || !line.ends_with('"')) continue;
    std::string_view key = line.substr(0, eq);
    std::string value(line.substr(eq + 4, line.size() - eq - 5));
    if (key == "name")
      out.back().first = value;
    else if (key == "version")
      out.back().second = value;
  }
  std::erase_if(out, [](const auto& p) { return p.first.empty(); });
  return out;
}

Found CatalogDeclared(const image::FileIndex& files, const std::vector<std::string>& globs,
                      Result<std::vector<Package>> (*fn)(std::string_view text,
                                                         const image::Location& where)) {
  if (!IsDirSource(files)) return {};
  return CatalogFiles(files, globs, fn);
}

Found CatalogFiles(const image::FileIndex& files, const std::vector<std::string>& globs,
                   ParseFileFn fn) {
  Found out;
  for (const image::Entry* e : GlobAll(files, globs)) {
    if (!e->is_regular_like()) continue;
    auto text = files.Contents(e->path);
    auto pkgs =
        text.ok() ? fn(*text, files.LocationOf(*e)) : Result<std::vector<Package>>(text.error());
    if (!pkgs.ok()) {
      out.unknowns.push_back({files.LocationOf(*e), pkgs.error().message});
      continue;
    }
    for (Package& p : *pkgs) out.packages.push_back(std::move(p));
  }
  return out;
}

}  // namespace distill::catalog
