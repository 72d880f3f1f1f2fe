// Matching a catalog against the vulnerability database: which advisories apply to which
// installed package, with what fix state and severity.
//
// * Distro packages (deb, apk, rpm) are looked up by (distro ID:release, SOURCE package name,
//   falling back to the binary name) and compared with the distro's version order, using the
//   source version (Debian binNMU "5.2.15-2+b8" built from "bash (5.2.15-2)" compares as
//   5.2.15-2). The finding names the binary package and records the source it came through.
//   The release is os-release's, except for Alpine images whose etc/apk/repositories names
//   another branch (Distro::apk_branch, e.g. "edge"): that branch's records are used.
// * Language packages by (purl type, normalized name) with OSV range semantics: introduced,
//   fixed, inclusive last_affected, limit, explicit versions[]; several ranges are a union.
//   Go: module versions get their "v"; the standard library's toolchain version ("go1.19.8",
//   "go1.22.1 X:loopvar", as syft writes it) is compared as OSV writes it ("1.19.8").
// * not-affected records (secdb NAK, tracker fixed_version "0") are never reported, and they
//   silence the same vulnerability from other records for that package.
// * Aliases are merged: one finding per vulnerability per package, listing every id.
// * Severity: the vendor's rating first, else the CVSS v3 base score, else UNKNOWN.
// * No CPE matching.
// * Nothing is skipped silently: a package with no ecosystem to look it up in, a version that is
//   not valid in its ecosystem, or an ecosystem the database has no record for is returned in
//   MatchResult::unmatched with the reason (`scan` lists them).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/package.h"
#include "util/result.h"
#include "vuln/db/advisory.h"
#include "vuln/db/database.h"
#include "vuln/version/version.h"

namespace distill::vuln::match {

// trivy's scale, in increasing order.
enum class Level { kUnknown = 0, kLow, kMedium, kHigh, kCritical };
std::string_view LevelName(Level l);           // "UNKNOWN", "LOW", ...
Result<Level> ParseLevel(std::string_view s);  // case-insensitive

struct Finding {
  // The installed package, as catalogued.
  std::string package, version, type, purl;
  std::string location;    // the package record's path in the image (first location), or ""
  std::string via_source;  // source package name the record was found under, "" if the binary name
  std::string matched_version;  // the version compared (the source version for binNMUs)
  std::string ecosystem;        // the database key looked up: "debian:12", "pypi", ...
  // The vulnerability.
  std::string id;                        // primary id: the first CVE id, else the smallest id
  std::vector<std::string> ids;          // every id of the vulnerability (id and aliases), sorted
  FixState state = FixState::kNotFixed;  // kFixed, kNotFixed or kWontFix (never kNotAffected)
  std::string state_note;                // "minor issue" (Debian no-dsa), "end-of-life", ...
  std::vector<std::string>
      fixed_versions;  // versions above the installed one that fix it, in version order
  Level severity = Level::kUnknown;
  std::string severity_source;          // "debian", "ghsa", "nvd", ... ("" when unknown)
  std::string severity_type;            // "vendor", "CVSS_V3" or "CVSS_V4"
  double score = -1;                    // CVSS v3 base score when one is known, else the v4 score
  std::string cvss_vector;              // the vector of `score`
  std::string cvss_source;              // who gave that vector
  std::vector<std::string> advisories;  // ADVISORY reference URLs of the records, sorted
  std::string summary;
  std::vector<std::string>
      sources;             // importer kinds of the records merged ("osv", "debian-tracker")
  std::string vex_status;  // a VEX statement that keeps it: "affected", "under_investigation"

  // "fixed", "not fixed", "not fixed (minor issue)", "won't fix".
  std::string StatusText() const;
};

// A package that was not looked up, or whose version could not be compared: `scan` lists these
// (never skipped silently). A package may have findings and still be here (a record without
// ranges matches whatever the version).
struct Unmatched {
  std::string package, version, type, purl;
  std::string location;  // first location, or ""
  std::string reason;    // "unknown-ecosystem", "unparsable-version" or "no-data"
  std::string detail;    // why, e.g. the version's error or the purl type that has no data
};

// The advisories one Match looked up, by (ecosystem, package name).
using LookedUp = std::map<std::pair<std::string, std::string>, std::vector<Advisory>>;

// What one Match found.
struct MatchResult {
  std::vector<Finding> findings;      // sorted by (package, version, type, id)
  std::vector<Unmatched> unmatched;   // packages not looked up, in catalog order
  std::vector<std::string> warnings;  // advisory versions that could not be compared
  // Every advisory looked up; the findings hold copies of what they need. A command about to exit
  // may hand these to KeepUntilExit (util/keep.h) instead of freeing them: freeing thousands of
  // advisories was a tenth of matching.
  LookedUp looked_up;
};

Result<MatchResult> Match(const catalog::Catalog& cat, Database& db);

// The pieces, exposed for tests.
// A Go toolchain version as the Go ecosystem of OSV writes it (golang.org/x/vuln's GoTagToSemver,
// a copy of pkgsite's stdlib.VersionForTag, without its "v"): "go1.19.8" → "1.19.8", "go1.20" →
// "1.20.0", "go1.21rc2" → "1.21.0-rc.2", "go1.22.1 X:loopvar" → "1.22.1"; "go1" → "1.0.0". syft
// names the standard library "stdlib" at version "go1.19.8"; module versions ("v1.2.3") and
// anything else are returned unchanged.
std::string GoToolchainSemver(std::string_view v);
// Whether `installed` is affected by `a` (ranges, versions[], or the bare fix state).
Result<bool> Affected(const Advisory& a, version::Ecosystem scheme, std::string_view installed);

}  // namespace distill::vuln::match
