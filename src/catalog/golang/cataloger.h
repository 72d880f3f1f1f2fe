// Go binaries: modules from the embedded build info (main module, dependencies with version and
// h1: hash, replacements applied) and the Go standard library as the package "stdlib".
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::golang {

inline constexpr std::string_view kCatalogerName = "go-module-binary-cataloger";
// Packages of one binary (Ok and empty when it is no Go binary).
Result<std::vector<Package>> PackagesOfBinary(std::string_view binary,
                                              const image::Location& where);

// go.mod (dir: sources): require lines, replace directives applied, exclude directives honoured.
Result<std::vector<Package>> ParseGoMod(std::string_view text, const image::Location& where);
Found CatalogGoMod(const image::FileIndex& files, const Distro& distro);
std::vector<std::string> GoModGlobs();

}  // namespace distill::catalog::golang
