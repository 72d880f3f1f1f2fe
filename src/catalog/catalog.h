// OS package cataloging: which distribution the image is, then every OS package database it
// carries, as one sorted Catalog with depends-on relationships. The image reader captures the
// contents of exactly the files CatalogGlobs() names.
#pragma once

#include <string>
#include <vector>

#include "catalog/cataloger.h"
#include "image/file_index.h"
#include "util/result.h"

namespace distill::catalog {

// The table of OS catalogers, in the order they run.
const std::vector<Cataloger>& OsCatalogers();

// Release files and every OS cataloger's globs, deduplicated and sorted.
std::vector<std::string> CatalogGlobs();

// Distro + all OS packages, sorted by (type, name, version, arch, location); unknowns for
// every record that could not be read. Fails only on internal errors.
Result<Catalog> CatalogOs(const image::FileIndex& files);

// depends-on relationships: each package's depends_on names resolved against the names and
// provides of the packages of the same type (all providers of a virtual name get an edge).
std::vector<Relationship> DependencyRelationships(const std::vector<Package>& packages);

// The names a package answers to: its name plus what it provides (versions stripped).
std::vector<std::string> ProvidedNames(const Package& p);

}  // namespace distill::catalog
