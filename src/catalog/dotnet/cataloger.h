// .NET: *.deps.json (the runtime's dependency manifest next to an app): the "package", "project"
// and "runtimepack" libraries that ship files — their targets entry names runtime, runtimeTargets,
// native, resources or compile assets, or a dependency's does (syft's default) — plus the app's
// own project, with their sha512. Reference assemblies and libraries with no file are not packages.
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::dotnet {

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);
Result<std::vector<Package>> ParseDepsJson(std::string_view text, const image::Location& where);

}  // namespace distill::catalog::dotnet
