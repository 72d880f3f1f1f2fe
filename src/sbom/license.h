// Licenses as the SBOM formats need them: an SPDX license id (CycloneDX `license.id`), an SPDX
// license expression (CycloneDX `expression`, SPDX `licenseDeclared`), or a free-form name
// (CycloneDX `license.name`; in SPDX a `LicenseRef-` with the name as extracted text).
// Grammar: SPDX 2.3 Annex D (https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace distill::sbom {

struct License {
  enum class Kind { kId, kExpression, kName };
  Kind kind = Kind::kName;
  std::string value;  // the canonical id, the normalized expression, or the name as written
  bool operator==(const License&) const = default;
};

// The canonical spelling of an SPDX license / exception id, matched case-insensitively; "" if none.
std::string_view CanonicalLicenseId(std::string_view id);
std::string_view CanonicalExceptionId(std::string_view id);

// Classifies one license string as written by a package database. An expression is normalized:
// canonical id case, upper-case operators, single spaces, parentheses kept as written.
License ClassifyLicense(std::string_view raw);

// "LicenseRef-" + the name with every character outside [A-Za-z0-9.-] replaced by '-'.
std::string LicenseRefFor(std::string_view name);

// All of a package's licenses as one SPDX expression, "" when there are none: names become
// LicenseRef-s, several licenses are joined with AND (each applies to some part of the package),
// compound parts are parenthesized.
std::string JoinedExpression(const std::vector<License>& licenses);

}  // namespace distill::sbom
