// CVSS v3.0 / v3.1 base scores computed from the vector string, with the specification's
// formulas and its Roundup rule (https://www.first.org/cvss/v3.1/specification-document §7.1,
// Appendix A; v3.0: https://www.first.org/cvss/v3.0/specification-document §8.1).
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::vuln {

// A metric of a CVSS vector and the values it accepts, as "|"-separated words: "|N|A|L|P|" (the
// v2, v3 and v4 parsers' tables).
struct CvssMetric {
  std::string_view name;
  std::string_view values;
};

struct CvssScore {
  std::string version;  // "3.0" or "3.1"
  double base = 0;      // 0.0–10.0, one decimal
  std::string rating;   // "none", "low", "medium", "high", "critical"
};

// "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" → 7.5 high. All eight base metrics are
// required, each once, in any order; temporal and environmental metrics are accepted and do
// not change the base score. Errors name the offending part.
Result<CvssScore> CvssV3BaseScore(std::string_view vector);

// CVSS v2 base score (https://www.first.org/cvss/v2/guide §3.2.1), for the older records that
// carry only a v2 vector: "AV:N/AC:L/Au:N/C:P/I:P/A:P" → 7.5, optionally in parentheses or with
// a "CVSS:2.0/" prefix; temporal/environmental metrics are accepted and ignored. The rating is
// NVD's v2 scale: "low" 0.0–3.9, "medium" 4.0–6.9, "high" 7.0–10.0.
Result<CvssScore> CvssV2BaseScore(std::string_view vector);

// The qualitative rating of a score (spec §5): "none" 0.0, "low" 0.1–3.9, "medium" 4.0–6.9,
// "high" 7.0–8.9, "critical" 9.0–10.0.
std::string_view CvssRating(double score);

}  // namespace distill::vuln
