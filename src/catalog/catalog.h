// OS package cataloging: which distribution the image is, then every OS package database it
// carries, as one sorted Catalog with depends-on relationships. The image reader captures the
// contents of exactly the files CatalogGlobs() names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/binary/cataloger.h"
#include "catalog/cataloger.h"
#include "image/file_index.h"
#include "util/result.h"

namespace distill::catalog {

// The table of OS catalogers, in the order they run.
const std::vector<Cataloger>& OsCatalogers();

// The table of language-ecosystem and binary catalogers, in the order they run after the OS ones.
const std::vector<Cataloger>& LanguageCatalogers();

struct CatalogOptions {
  bool languages = true;    // run LanguageCatalogers() too
  bool keep_owned = false;  // keep language packages an OS package owns (with "owns" edges)
  // Binaries analysed while the layers stream (CatalogPlan wires it as the plan's visitor);
  // shared by the copies of these options, so plan and CatalogImage see the same one.
  std::shared_ptr<binary::Prescan> binaries = std::make_shared<binary::Prescan>();
};

// What the image reader must do for CatalogImage: keep every cataloger's globs and, with
// languages, stream the executables past o.binaries (kept: none of them).
image::ContentPlan CatalogPlan(const CatalogOptions& options = {});

// Release files and every OS cataloger's globs, deduplicated and sorted.
std::vector<std::string> CatalogGlobs();

// Distro + all OS packages, sorted by (type, name, version, arch, location); unknowns for
// every record that could not be read. Fails only on internal errors.
Result<Catalog> CatalogOs(const image::FileIndex& files);

// OS packages and (with o.languages) language packages and binaries, sorted the same way; language
// packages an OS package owns are dropped unless o.keep_owned (then linked with "owns").
Result<Catalog> CatalogImage(const image::FileIndex& files, const CatalogOptions& options = {});

// depends-on relationships: each package's depends_on names resolved against the names and
// provides of the packages of the same type (all providers of a virtual name get an edge).
std::vector<Relationship> DependencyRelationships(const std::vector<Package>& packages);

// The names a package answers to: its name plus what it provides (versions stripped).
std::vector<std::string> ProvidedNames(const Package& package);

}  // namespace distill::catalog
