// What the audit reports: findings with a rule id, a severity and their evidence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::audit {

enum class Severity : uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };

std::string_view SeverityName(Severity s);  // "info", "low", "medium", "high", "critical"
Result<Severity> ParseSeverity(std::string_view text);  // case-insensitive

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kInfo;
  std::string path;          // image-relative; "" for findings about the image config
  int32_t layer = -1;        // index of the layer that wrote path; -1 when none (dir:, config)
  std::string layer_digest;  // "" when none
  std::string package;       // the package that owns path, "" when none does
  std::string message;       // what was found, one line
  std::string evidence;      // detail: a masked secret line, applet count, missing library, ...
  std::string fix;           // one-line hint
  std::string allowed_by;    // non-empty: a policy rule allowed it (reported, costs nothing)
};

// A rule's cost to the 0–100 score, by severity (counted once per rule).
int SeverityCost(Severity s);

}  // namespace distill::audit
