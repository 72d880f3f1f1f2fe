// PHP: vendor/composer/installed.json, what Composer installed (composer 1: a JSON array;
// composer 2: {"packages": [...]}). Versions are kept as written ("v1.8.1").
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::php {

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);
Result<std::vector<Package>> ParseInstalledJson(std::string_view text,
                                                const image::Location& where);

// composer.lock (dir: sources): "packages" (not packages-dev).
Result<std::vector<Package>> ParseComposerLock(std::string_view text, const image::Location& where);
Found CatalogComposerLock(const image::FileIndex& files, const Distro& distro);
std::vector<std::string> ComposerLockGlobs();

}  // namespace distill::catalog::php
