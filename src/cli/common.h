// Pieces the commands share: loading an image with the global flags, output selection.
#pragma once

#include <string>

#include "cli/app.h"
#include "image/image.h"

namespace distill::cli {

// Loads the source with --platform applied; plan says which file contents to keep.
Result<image::LoadedImage> Load(const std::string& source, const Globals& g, image::LoadOptions opt = {});

// The registry options the global flags ask for (--ca-cert, --insecure-registry, --blob-cache).
image::registry::Options RegistryOptions(const Globals& g);

// "1.2 MB" style sizes for tables (decimal units, like docker/syft).
std::string HumanSize(uint64_t bytes);
// "2024-01-31 12:00" in UTC.
std::string FormatTime(int64_t unix_seconds);

}  // namespace distill::cli
