// Rust binaries built with cargo-auditable: the `.dep-v0` ELF section, zlib-compressed JSON
// ({"packages": [{"name", "version", "source", "dependencies", "root"}]}).
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::rust {

inline constexpr std::string_view kCatalogerName = "cargo-auditable-binary-cataloger";
// Packages of one binary (Ok and empty when it has no .dep-v0 section).
Result<std::vector<Package>> PackagesOfBinary(std::string_view binary, const image::Location& where);
// The decompressed JSON's packages.
Result<std::vector<Package>> ParseAuditJson(std::string_view json, const image::Location& where);

}  // namespace distill::catalog::rust
