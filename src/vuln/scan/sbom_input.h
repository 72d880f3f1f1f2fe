// `distill scan sbom:FILE`: the packages of an SBOM another run (or tool) wrote, as a catalog the
// matcher can use. Formats, recognised from the content:
//   * distill-json (doc/formats/distill-json.md): everything round-trips.
//   * CycloneDX JSON (distill, syft, trivy): the operating-system component gives the distro,
//     every component with a purl a package; the source package from the purl's `upstream`
//     qualifier or the tools' properties (distill:package:sourceName, aquasecurity:trivy:SrcName).
//   * SPDX 2.3 JSON (distill, syft, trivy): packages with a purl in externalRefs
//     (referenceType purl); the distro from the OPERATING_SYSTEM package or the purls' `distro`
//     qualifier; the source package from `upstream` or sourceInfo ("built from source package
//     bash 5.2.15-2" — distill; "built package from: bash 5.2.15-2" — trivy).
// Package locations come from distill:location, syft:location:N:path and
// aquasecurity:trivy:FilePath properties, so findings can be grouped by target.
#pragma once

#include <string>
#include <string_view>

#include "catalog/package.h"
#include "util/result.h"

namespace distill::vuln::scan {

// `path` names the file in errors.
Result<catalog::Catalog> CatalogFromSbom(std::string_view text, const std::string& path);

}  // namespace distill::vuln::scan
