// Pieces the commands share: loading an image with the global flags, output selection.
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "cli/app.h"
#include "image/image.h"

namespace distill::cli {

// Loads the source with --platform applied; plan says which file contents to keep.
Result<image::LoadedImage> Load(const std::string& source, const Globals& globals,
                                image::LoadOptions opt = {});

// An image and its packages as `distill sbom` lists them: loaded once with the catalog's content
// plan, cataloged, each unknown (a corrupt database entry, an unreadable binary) warned about.
struct Cataloged {
  image::LoadedImage image;
  catalog::Catalog catalog;
};
Result<Cataloged> LoadAndCatalog(const std::string& source, const Globals& globals,
                                 const catalog::CatalogOptions& copts);

// The registry options the global flags ask for (--ca-cert, --insecure-registry, --blob-cache).
image::registry::Options RegistryOptions(const Globals& globals);

// "1.2 MB" style sizes for tables (decimal units, like docker/syft).
std::string HumanSize(uint64_t bytes);
// "2024-01-31 12:00" in UTC.
std::string FormatTime(int64_t unix_seconds);

}  // namespace distill::cli
