// RubyGems versions, as Gem::Version: valid strings match
//   \A\s*([0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z
// (blank means "0"); '-' reads as ".pre."; segments are runs of digits (numbers) or letters
// (strings). Ordering: trailing zero segments are dropped from the numeric head and from the
// rest; then segment by segment with a missing segment as 0, a string below a number, numbers
// by value, strings by bytes (case-sensitive, as Ruby's String#<=>).
#pragma once

#include <string_view>

#include "util/result.h"

namespace distill::vuln::version::rubygems {

Status Validate(std::string_view version);
int CompareUnchecked(std::string_view a, std::string_view b);  // valid inputs only
Result<int> Compare(std::string_view a, std::string_view b);

}  // namespace distill::vuln::version::rubygems
