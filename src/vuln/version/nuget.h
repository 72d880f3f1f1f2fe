// NuGet package versions, as NuGet.Versioning's NuGetVersion parses and VersionComparer.Default
// orders them: 1 to 4 numeric parts (System.Version: each 0..2^31-1, leading zeros allowed;
// missing parts are 0, so 1.0 == 1.0.0 == 1.0.0.0), dot-separated release labels after '-'
// ([0-9A-Za-z-]+, numeric labels without leading zeros), build metadata after '+' (ignored).
// A release is above its pre-releases; labels compare numerically when both parse as int32,
// numeric below alphanumeric, else ordinal case-insensitively; fewer labels sort first.
// Surrounding whitespace is trimmed, as NuGetVersion.TryParse does.
#pragma once

#include <string_view>

#include "util/result.h"

namespace distill::vuln::version::nuget {

struct Version {
  std::string_view parts[4];  // digits, leading zeros stripped ("" is 0)
  std::string_view labels;    // "" when none
  std::string_view metadata;
};

Result<Version> Parse(std::string_view version);
Status Validate(std::string_view version);
int CompareParsed(const Version& a, const Version& b);
Result<int> Compare(std::string_view a, std::string_view b);

}  // namespace distill::vuln::version::nuget
