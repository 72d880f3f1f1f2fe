// Document ids derived from content: the same Sbom always gets the same SPDX documentNamespace and
// CycloneDX serialNumber, and any change to what the document says gives a different one.
#pragma once

#include <string>
#include <string_view>

#include "sbom/sbom.h"

namespace distill::sbom {

// UUIDv5 (in distill's namespace) of: the format id and version, the image's manifest digest, and
// the SHA-256 of the Sbom's distill-json encoding (lossless and deterministic, so it stands for
// the content).
std::string ContentUuid(const Sbom& sbom, std::string_view format, std::string_view version);

}  // namespace distill::sbom
