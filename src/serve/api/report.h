// The reports Harbor reads, rendered from distill's own results: HarborVulnerabilityReport from
// the matcher's findings (what `distill scan` reports) and HarborSbomReport from an Sbom (what
// `distill sbom` encodes). Pure functions: a worker renders a report once and stores the bytes;
// the API hands them over unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/sbom.h"
#include "serve/api/protocol.h"
#include "util/result.h"
#include "vuln/match/matcher.h"

namespace distill::serve {

struct ReportContext {
  Artifact artifact;
  ScannerInfo scanner;
  int64_t generated_at = 0;  // seconds since the Unix epoch; 0 writes sbom::kFixedTimestamp
};

// Harbor's severity word for distill's level. distill's scale has no Negligible: the matcher
// counts Debian's "unimportant" and other negligible ratings as Low, as trivy does.
std::string_view HarborSeverity(vuln::match::Level level);

// HarborVulnerabilityReport for kVulnerability (spec 1.1: items with preferred_cvss, cwe_ids and
// vendor_attributes) or kVulnerabilityLegacy (the 1.0 item: id, package, version, fix_version,
// severity, description, links). `severity` is the highest of the findings ("Unknown" for none);
// items keep the findings' order.
std::string RenderVulnerabilityReport(const ReportContext& context,
                                      const std::vector<vuln::match::Finding>& findings,
                                      ReportKind kind);

// HarborSbomReport for kSbomSpdx (SPDX 2.3 JSON) or kSbomCycloneDx (CycloneDX 1.6 JSON): the
// document distill's encoder writes, embedded as the `sbom` object.
Result<std::string> RenderSbomReport(const ReportContext& context, const sbom::Sbom& sbom,
                                     ReportKind kind);

}  // namespace distill::serve
