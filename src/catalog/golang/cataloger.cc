#include "catalog/golang/cataloger.h"

#include <algorithm>
#include <map>
#include <set>

#include "catalog/golang/main_version.h"
#include "catalog/golang/parse_buildinfo.h"
#include "catalog/language.h"

namespace distill::catalog::golang {

namespace {

// pkg:golang/<module path up to the last '/'>/<last element>@<version>; slashes stay separators.
Purl ModulePurl(std::string_view path, std::string_view version) {
  Purl p;
  p.type = "golang";
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) {
    p.namespace_ = std::string(path.substr(0, slash));
    p.name = std::string(path.substr(slash + 1));
  } else {
    p.name = std::string(path);
  }
  p.version = std::string(version);
  return p;
}

bool IsLocalPath(std::string_view path) {
  return path.starts_with("./") || path.starts_with("../") || path.starts_with("/");
}

Package ModulePackage(const Module& mod, const image::Location& where, const std::string& arch) {
  std::string path = mod.path, version = mod.version, sum = mod.sum;
  if (!mod.replace_path.empty()) {
    // A replacement by another module names what was built; a local directory replacement keeps
    // the required module's path (the directory name identifies nothing) with no version.
    if (!IsLocalPath(mod.replace_path)) path = mod.replace_path;
    version = mod.replace_version.empty() ? "(devel)" : mod.replace_version;
    sum = mod.replace_sum;
  }
  Package p = NewLanguagePackage(path, version, "go-module", kCatalogerName,
                                 ModulePurl(path, version), where, mod.path, sum);
  p.arch = arch;
  return p;
}

// The standard library as syft names it: version "go1.22.1" (the toolchain release, without the
// " X:experiments" the linker may append), purl and CPE without the "go"; a pre-release
// ("go1.21rc2") is the CPE's update field, as syft's generateStdlibCpe does.
Package StdlibPackage(const BuildInfo& bi, const image::Location& where, const std::string& arch) {
  std::string v(ToolchainVersion(bi.go_version));
  std::string bare = v.starts_with("go") ? v.substr(2) : v;
  Package std = NewLanguagePackage("stdlib", v, "go-module", kCatalogerName,
                                   Purl{"golang", "", "stdlib", bare, {}, ""}, where, "stdlib");
  size_t release = bare.find_first_not_of("0123456789.");
  std::string update = release == std::string::npos ? "-" : bare.substr(release);
  std.cpes.push_back("cpe:2.3:a:golang:go:" + bare.substr(0, release) + ":" + update +
                     ":*:*:*:*:*:*");
  std.arch = arch;
  return std;
}

}  // namespace

Result<std::vector<Package>> PackagesOfBinary(std::string_view binary,
                                              const image::Location& where) {
  DISTILL_TRY(BuildInfo bi, ReadBuildInfo(binary));
  std::vector<Package> out;
  if (bi.go_version.empty()) return out;
  std::string arch = bi.Setting("GOARCH");
  // A GOPATH-mode build (GO111MODULE=off) has a main package path but no main module: the package
  // path stands for it (as syft's createMainModuleFromPath), unless it names no package at all
  // (`go build main.go`).
  if (bi.main.path.empty() && !bi.path.empty() && bi.path != "command-line-arguments")
    bi.main = {bi.path, "(devel)", "", "", "", ""};
  if (!bi.main.path.empty()) {
    Module main = bi.main;
    if (main.replace_path.empty()) main.version = MainModuleVersion(bi);
    out.push_back(ModulePackage(main, where, arch));
  }
  for (const Module& m : bi.deps) out.push_back(ModulePackage(m, where, arch));
  out.push_back(StdlibPackage(bi, where, arch));
  return out;
}

namespace {

std::vector<std::string> Words(std::string_view line) {
  size_t c = line.find("//");
  if (c != std::string_view::npos) line = line.substr(0, c);
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) out.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

std::vector<std::string> GoModGlobs() { return {"**/go.mod"}; }

Result<std::vector<Package>> ParseGoMod(std::string_view text, const image::Location& where) {
  std::vector<std::pair<std::string, std::string>> require;
  std::map<std::string, std::pair<std::string, std::string>>
      replace;                    // path[@version] -> path, version
  std::set<std::string> exclude;  // path@version
  std::string block;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::vector<std::string> w = Words(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (w.empty()) continue;
    if (w.size() == 2 && w[1] == "(") {
      block = w[0];
      continue;
    }
    if (w[0] == ")") {
      block.clear();
      continue;
    }
    std::string verb = block;
    if (block.empty()) {
      verb = w[0];
      w.erase(w.begin());
    }
    if (verb == "require" && w.size() >= 2) {
      require.emplace_back(w[0], w[1]);
    } else if (verb == "exclude" && w.size() >= 2) {
      exclude.insert(w[0] + "@" + w[1]);
    } else if (verb == "replace") {
      auto arrow = std::find(w.begin(), w.end(), "=>");
      if (arrow == w.end() || arrow == w.begin() || arrow + 1 == w.end()) continue;
      std::string from = w[0] + (arrow - w.begin() == 2 ? "@" + w[1] : "");
      replace[from] = {*(arrow + 1), arrow + 2 != w.end() ? *(arrow + 2) : ""};
    }
  }
  std::vector<Package> out;
  for (auto [path, version] : require) {
    if (exclude.count(path + "@" + version)) continue;
    auto r = replace.find(path + "@" + version);
    if (r == replace.end()) r = replace.find(path);
    if (r != replace.end()) {
      if (!IsLocalPath(r->second.first)) path = r->second.first;
      version = r->second.second.empty() ? "(devel)" : r->second.second;
    }
    out.push_back(NewLanguagePackage(path, version, "go-module", "go-module-file-cataloger",
                                     ModulePurl(path, version), where, path));
  }
  return out;
}

Found CatalogGoMod(const image::FileIndex& files, const Distro&) {
  return CatalogDeclared(files, GoModGlobs(), &ParseGoMod);
}

}  // namespace distill::catalog::golang
