// The dpkg database cataloger: var/lib/dpkg/status (installed packages only), the distroless
// status.d/ layout, per-package info/ files (md5sums, list), copyright licenses, and the .deb
// digests of var/lib/dpkg/available. Also reads opkg's status files (same format).
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::dpkg {

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);

}  // namespace distill::catalog::dpkg
