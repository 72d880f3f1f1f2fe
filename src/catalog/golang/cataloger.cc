#include "catalog/golang/cataloger.h"

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

bool IsLocalPath(std::string_view p) { return p.starts_with("./") || p.starts_with("../") || p.starts_with("/"); }

Package ModulePackage(const Module& m, const image::Location& where, const std::string& arch) {
  std::string path = m.path, version = m.version, sum = m.sum;
  if (!m.replace_path.empty()) {
    // A replacement by another module names what was built; a local directory replacement keeps
    // the required module's path (the directory name identifies nothing) with no version.
    if (!IsLocalPath(m.replace_path)) path = m.replace_path;
    version = m.replace_version.empty() ? "(devel)" : m.replace_version;
    sum = m.replace_sum;
  }
  Package p = NewLanguagePackage(path, version, "go-module", kCatalogerName, ModulePurl(path, version), where, m.path, sum);
  p.arch = arch;
  return p;
}

}  // namespace

Result<std::vector<Package>> PackagesOfBinary(std::string_view binary, const image::Location& where) {
  DISTILL_TRY(BuildInfo bi, ReadBuildInfo(binary));
  std::vector<Package> out;
  if (bi.go_version.empty()) return out;
  std::string arch = bi.Setting("GOARCH");
  if (!bi.main.path.empty()) out.push_back(ModulePackage(bi.main, where, arch));
  for (const Module& m : bi.deps) out.push_back(ModulePackage(m, where, arch));
  // The toolchain's standard library: version keeps "go", the purl drops it (as syft).
  std::string v = bi.go_version;
  std::string bare = v.starts_with("go") ? v.substr(2) : v;
  size_t space = bare.find(' ');  // "go1.22.0 X:boringcrypto"
  if (space != std::string::npos) bare.resize(space);
  Package std = NewLanguagePackage("stdlib", v, "go-module", kCatalogerName, Purl{"golang", "", "stdlib", bare, {}, ""}, where, "stdlib");
  std.cpes.push_back("cpe:2.3:a:golang:go:" + bare + ":-:*:*:*:*:*:*");
  std.arch = arch;
  out.push_back(std::move(std));
  return out;
}

}  // namespace distill::catalog::golang
