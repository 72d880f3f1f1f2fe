// The vulnerability database's record: one advisory as it applies to one package in one
// ecosystem or distro release. Importers produce these; the DB stores them; Lookup returns them
// to the matcher. Field meanings follow OSV (https://ossf.github.io/osv-schema/), the format
// every source is mapped onto; doc/vuln-db.md has the mapping for each source.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::vuln {

// What the source says about the package. Debian's no-dsa is kNotFixed with note "minor issue"
// (the tracker will not issue a DSA, but a point release may fix it): never kWontFix.
enum class FixState {
  kFixed = 0,        // fixed in `fixed_versions` (and affected before, per `ranges`)
  kNotFixed = 1,     // affected, no fix available yet
  kWontFix = 2,      // affected, the distro says it will not fix it (Wolfi fix-not-planned)
  kNotAffected = 3,  // explicitly never affected (secdb version "0" NAK, tracker fixed_version "0")
};
std::string_view FixStateName(FixState s);  // "fixed", "not-fixed", "wont-fix", "not-affected"
std::optional<FixState> ParseFixState(std::string_view text);

// An OSV range event. `introduced`/`fixed` are half-open bounds, `last_affected` is inclusive,
// `limit` is an upper bound on the range search (OSV §affected[].ranges[].events).
struct Event {
  enum Kind { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind;
  std::string version;
  bool operator==(const Event&) const = default;
};
std::string_view EventKindName(Event::Kind k);
std::optional<Event::Kind> ParseEventKind(std::string_view text);

struct Range {
  std::string type;  // "ECOSYSTEM" or "SEMVER" (GIT ranges are not imported: we match versions)
  std::vector<Event> events;
  bool operator==(const Range&) const = default;
};

// One severity statement. For CVSS, `vector` is the vector string and `score` the base score
// computed from it (src/vuln/cvss.h); for vendor ratings (Debian urgency, GHSA severity, Ubuntu
// priority) `vector` is empty and `rating` is the vendor's word, lowercased.
struct Severity {
  std::string source;  // who says so: "ghsa", "debian", "nvd", "osv", ...
  std::string type;    // "CVSS_V2", "CVSS_V3", "CVSS_V4", "vendor"
  std::string vector;
  double score = -1;   // -1 = none
  std::string rating;  // "critical", "high", "medium", "low", "negligible", "unknown", ...
  bool operator==(const Severity&) const = default;
};

struct Reference {
  std::string type;  // OSV reference type: "ADVISORY", "WEB", "FIX", ...
  std::string url;
  bool operator==(const Reference&) const = default;
};

struct Advisory {
  std::string id;                    // "GHSA-m2qf-hxjv-5gpq", "CVE-2023-30861", "CGA-…"
  std::vector<std::string> aliases;  // other ids of the same vulnerability, sorted, no `id`
  std::string source;     // importer: "osv", "debian-tracker", "secdb", "wolfi-advisories"
  std::string ecosystem;  // normalized: "pypi", "npm", "debian:12", "alpine:3.18", "wolfi"
  std::string package;    // normalized name (PEP 503 for PyPI); source package for distros
  FixState state = FixState::kNotFixed;
  std::string state_note;                   // "minor issue" (Debian no-dsa), "end-of-life", ...
  std::vector<std::string> fixed_versions;  // every `fixed` event, in record order
  std::vector<Range> ranges;
  std::vector<std::string> versions;  // explicit affected versions (OSV `versions[]`)
  std::vector<Severity> severities;
  std::string summary;
  std::vector<Reference> references;
  std::string published, modified;  // RFC 3339 as the source wrote them, or empty
  bool operator==(const Advisory&) const = default;
};

}  // namespace distill::vuln
