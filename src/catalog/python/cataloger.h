// Installed Python packages: *.dist-info/METADATA (+ RECORD for the files it owns, direct_url.json
// for the vcs_url qualifier), *.egg-info/PKG-INFO (+ installed-files.txt) and single-file
// *.egg-info, in any site-packages, dist-packages or virtualenv.
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::python {

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);

// pdm.lock (dir: sources): every [[package]].
Result<std::vector<Package>> ParsePdmLock(std::string_view text, const image::Location& where);
Found CatalogPdmLock(const image::FileIndex& files, const Distro& distro);
std::vector<std::string> PdmLockGlobs();

}  // namespace distill::catalog::python
