// .NET: *.deps.json (the runtime's dependency manifest next to an app): every "package" and
// "project" library, with its sha512; reference assemblies are not packages.
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::dotnet {

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);
Result<std::vector<Package>> ParseDepsJson(std::string_view text, const image::Location& where);

}  // namespace distill::catalog::dotnet
