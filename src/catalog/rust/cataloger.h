// Rust binaries built with cargo-auditable: the `.dep-v0` ELF section, zlib-compressed JSON
// ({"packages": [{"name", "version", "source", "dependencies", "root"}]}).
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::rust {

inline constexpr std::string_view kCatalogerName = "cargo-auditable-binary-cataloger";
// Packages of one binary (Ok and empty when it has no .dep-v0 section).
Result<std::vector<Package>> PackagesOfBinary(std::string_view binary,
                                              const image::Location& where);
// The ELF section cargo-auditable writes (zlib-compressed JSON), the only place PackagesOfBinary
// looks.
constexpr std::string_view kAuditSection = ".dep-v0";
// The decompressed JSON's packages.
Result<std::vector<Package>> ParseAuditJson(std::string_view json, const image::Location& where);

// Cargo.lock (dir: sources): every [[package]].
Result<std::vector<Package>> ParseCargoLock(std::string_view text, const image::Location& where);
Found CatalogCargoLock(const image::FileIndex& files, const Distro& distro);
std::vector<std::string> CargoLockGlobs();

}  // namespace distill::catalog::rust
