// The outputs of `distill scan`: a table per target (like trivy's: the OS packages, then each
// language ecosystem at each location), JSON, SARIF 2.1.0, and CycloneDX 1.6 JSON (the SBOM
// with a `vulnerabilities` section). Suppressed findings (ignore file, VEX) are counted in
// every format, listed in JSON, carried as suppressed results in SARIF and with an `analysis`
// in CycloneDX.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "catalog/package.h"
#include "util/result.h"
#include "vuln/match/matcher.h"
#include "vuln/scan/suppress.h"

namespace distill::vuln::scan {

struct Report {
  std::string target;  // as the user named it
  const catalog::Catalog* catalog = nullptr;
  std::vector<match::Finding> findings;  // reported, sorted by (package, version, type, id)
  std::vector<Suppressed> suppressed;
  std::vector<match::Unmatched>
      unmatched;        // packages not looked up: JSON lists them, the table counts them
  int64_t created = 0;  // CycloneDX timestamp (SOURCE_DATE_EPOCH), 0 = fixed
};

// Where a package is, for grouping: "debian 11 (deb)" for OS packages, else the ecosystem and
// the location root ("Python (pypi): usr/lib/python3/dist-packages").
struct TargetKey {
  int order;  // OS first
  std::string name;
  bool operator<(const TargetKey& other) const {
    return std::tie(order, name) < std::tie(other.order, other.name);
  }
  bool operator==(const TargetKey& other) const = default;
};
TargetKey TargetOf(const catalog::Distro& distro, std::string_view type, std::string_view purl,
                   std::string_view location);

void WriteTable(const Report& report, std::ostream& out);
void WriteJson(const Report& report, std::ostream& out);
void WriteSarif(const Report& report, std::ostream& out);
Status WriteCycloneDx(const Report& report, std::ostream& out);

}  // namespace distill::vuln::scan
