// distill-json: distill's own SBOM format, a lossless image of sbom::Sbom (every field of every
// package, typed metadata, relationships, unknowns). Documented in doc/formats/distill-json.md.
#pragma once

#include <ostream>
#include <string_view>

#include "sbom/sbom.h"
#include "util/result.h"

namespace distill::sbom::distill_json {

inline constexpr const char* kFormatVersion = "1";

// Writes the document (packages, relationships and unknowns sorted; two-space indented JSON).
Status Encode(const Sbom& sbom, std::ostream& out);
std::string EncodeString(const Sbom& sbom);
// "sha256:<hex>" of EncodeString(sbom), computed while streaming (the document is never held).
std::string Sha256Of(const Sbom& sbom);

// Reads a document Encode wrote; errors name the JSON path of the bad field.
Result<Sbom> Decode(std::string_view json_text);

}  // namespace distill::sbom::distill_json
