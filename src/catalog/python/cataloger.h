// Installed Python packages: *.dist-info/METADATA (+ RECORD for the files it owns, direct_url.json
// for the vcs_url qualifier), *.egg-info/PKG-INFO (+ installed-files.txt) and single-file
// *.egg-info, in any site-packages, dist-packages or virtualenv.
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::python {

// A Python package named as its metadata or lock file declares it ("Flask-SQLAlchemy"); only the
// purl carries the PEP 503 form (pkg:pypi/flask-sqlalchemy), which is what advisories are matched
// by.
Package NewPythonPackage(const std::string& declared_name, std::string version,
                         std::string_view found_by, const image::Location& where);

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);

// pdm.lock (dir: sources): every [[package]].
Result<std::vector<Package>> ParsePdmLock(std::string_view text, const image::Location& where);
Found CatalogPdmLock(const image::FileIndex& files, const Distro& distro);
std::vector<std::string> PdmLockGlobs();

}  // namespace distill::catalog::python
