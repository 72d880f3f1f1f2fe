// Ownership: a language package or binary whose record (dist-info METADATA, package.json, jar,
// executable) an OS package installed belongs to that OS package — Debian's python3-flask *is*
// Flask, reported once as the deb. Vendored copies no OS package lists stay separate.
#pragma once

#include <vector>

#include "catalog/package.h"

namespace distill::catalog {

// For every non-OS package whose first location (its metadata file, package.json, jar or
// executable) is a file of an OS package (deb/apk/rpm Package::files, directories resolved through
// the image's symlinks), an "owns" relationship from the OS package. Sorted, deterministic.
std::vector<Relationship> OwnershipRelationships(const image::FileIndex& files,
                                                 const std::vector<Package>& packages);

bool IsOsPackage(const Package& package);

}  // namespace distill::catalog
