// The apk database cataloger: lib/apk/db/installed (Alpine, Wolfi, Chainguard) and
// usr/lib/apk/db/installed (apk-tools 3 layout).
#pragma once

#include "catalog/apk/parse_installed.h"
#include "catalog/cataloger.h"

namespace distill::catalog::apk {

inline constexpr std::string_view kCatalogerName = "apk-db-cataloger";

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);

// pkg:apk/<distro id>/<name>@<version>?arch=&distro=<id>-<version_id>&upstream=<origin>; "" without
// a distro.
std::string PackageUrl(const Record& record, const Distro* distro);
Package NewPackage(Record r, const Distro& distro, const image::Location& where);

}  // namespace distill::catalog::apk
