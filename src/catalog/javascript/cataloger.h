// JavaScript: installed packages (node_modules/**/package.json, nested and scoped, global
// installs under usr/lib/node_modules or usr/local/lib/node_modules) in every source, and, when
// scanning a dir: source, the lock files package-lock.json (v1-v3), yarn.lock (v1, berry) and
// pnpm-lock.yaml (what an unbuilt project will install).
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::javascript {

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);

// One package.json; nullopt-like empty name when it names no package (the caller drops it).
Result<Package> ParsePackageJson(std::string_view text, const image::Location& where);
Result<std::vector<Package>> ParsePackageLock(std::string_view text, const image::Location& where);
Result<std::vector<Package>> ParseYarnLock(std::string_view text, const image::Location& where);
Result<std::vector<Package>> ParsePnpmLock(std::string_view text, const image::Location& where);

}  // namespace distill::catalog::javascript
