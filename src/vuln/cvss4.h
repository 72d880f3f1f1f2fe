// CVSS v4.0 scores computed from the vector string, as the FIRST specification defines them
// (https://www.first.org/cvss/v4.0/specification-document §8): the vector's six equivalence
// classes (EQ1–EQ6) name a macrovector, whose score comes from the specification's table; the
// score is then lowered by the vector's mean severity distance from the highest-severity vectors
// of its macrovector, each EQ's distance scaled by the score gap to the next lower macrovector,
// and rounded to one decimal. Beside cvss.h (v2, v3.x).
#pragma once

#include <string_view>

#include "util/result.h"
#include "vuln/cvss.h"

namespace distill::vuln {

// "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" → 9.3 critical. The eleven
// base metrics are required, each once, in any order; threat (E), environmental (CR, IR, AR,
// MAV, ... MSA) and supplemental metrics are accepted, each at most once. The score is the one
// the vector's metrics define (CVSS-B for a base vector, CVSS-BT with E, CVSS-BTE with
// environmental metrics): absent threat/environmental metrics take the specification's
// defaults (E:X = A, CR/IR/AR:X = H, M*:X = the base value). Supplemental metrics never change
// it. `version` is "4.0"; errors name the offending part.
Result<CvssScore> CvssV4Score(std::string_view vector);

}  // namespace distill::vuln
