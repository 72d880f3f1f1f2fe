// Chiselled Ubuntu images (https://documentation.ubuntu.com/chisel/en/latest/reference/manifest/):
// no dpkg database, only var/lib/chisel/manifest.wall — zstd-compressed "jsonwall", one JSON
// object per line after a {"jsonwall":"1.0","schema":"1.0","count":N} header: packages
// (name, version, sha256, arch), slices ("<pkg>_<slice>"), paths (with the slices that own them
// and sha256 / final_sha256) and contents.
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::chisel {

inline constexpr std::string_view kCatalogerName = "chisel-manifest-cataloger";

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);

// The decompressed jsonwall to packages (purl as dpkg's, without upstream: the manifest has no
// source names). Errors name the line.
Result<std::vector<Package>> ParseManifest(std::string_view jsonwall, const Distro& distro,
                                           const image::Location& where);

// zstd frames to bytes, refusing more than max_bytes of output.
Result<std::string> Zstd(std::string_view compressed, size_t max_bytes);

}  // namespace distill::catalog::chisel
