// Findings the user has decided about, taken out of the report before --fail-on (and counted):
//   * an ignore file (`.distill-ignore.yaml`, like grype's ignore rules / trivy's
//     .trivyignore.yaml):
//         ignore:
//           - id: CVE-2023-30861          # any id of the finding (CVE, GHSA, ...); required
//             package: flask              # optional: installed package name (case-insensitive)
//             purl: pkg:pypi/flask        # optional: purl; version and qualifiers only if given
//             expires: 2026-12-31         # optional: the rule stops applying after this day
//             reason: not reachable       # optional, shown in the output
//     An expired rule is reported (a warning) and not applied.
//   * OpenVEX documents (https://github.com/openvex/spec, v0.2.0 and the older v0.0.x string
//     `vulnerability`): a statement applies to a finding when its vulnerability name or
//     aliases is one of the finding's ids and one of its products or subcomponents is the
//     finding's package (purl match as above); a product that is not a package purl (the image,
//     pkg:oci/...) with no subcomponents applies to every package. The latest applicable
//     statement (statement timestamp, else the document's; then document order) decides:
//     not_affected and fixed suppress, affected and under_investigation keep the finding
//     (its vex_status says so).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "vuln/match/matcher.h"

namespace distill::vuln::scan {

struct IgnoreRule {
  std::string id, package, purl, expires, reason;
  std::string where;  // "FILE:LINE" for messages
};

// Errors name the file and line.
Result<std::vector<IgnoreRule>> ParseIgnoreFile(std::string_view text, const std::string& path);

struct VexStatement {
  std::vector<std::string> ids;          // vulnerability name and aliases
  std::vector<std::string> products;     // product @ids and subcomponent @ids (purls, usually)
  bool any_package = false;              // a product that is not a package, without subcomponents
  std::string status;                    // not_affected, affected, fixed, under_investigation
  std::string justification, statement;  // justification; impact_statement / action_statement
  std::string timestamp;                 // RFC 3339 (statement's, else the document's)
  std::string where;                     // "FILE: statements[i]"
};

Result<std::vector<VexStatement>> ParseOpenVex(std::string_view text, const std::string& path);

struct Suppressed {
  match::Finding finding;
  std::string by;      // "ignore-file" or "vex"
  std::string status;  // "ignored", or the VEX status
  std::string reason;  // the rule's reason, or the VEX justification / statement
};

struct Filtered {
  std::vector<match::Finding> kept;
  std::vector<Suppressed> suppressed;
  std::vector<std::string> warnings;  // expired rules
};

// `today` is "YYYY-MM-DD" (UTC).
Filtered Apply(std::vector<match::Finding> findings, const std::vector<IgnoreRule>& rules,
               const std::vector<VexStatement>& vex, std::string_view today);

// Whether `pattern` (a purl; version and qualifiers compared only when it has them) names the
// package `purl`.
bool PurlMatches(std::string_view pattern, std::string_view purl);

}  // namespace distill::vuln::scan
