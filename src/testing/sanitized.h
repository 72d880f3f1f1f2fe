// Whether this test binary was built with a sanitizer (the sanitizer builds replace malloc and keep
// libstdc++ shared, so footprint and heap tests skip or relax their checks).
#pragma once

#include "util/sanitizers.h"

namespace distill::testing {

inline constexpr bool kSanitized = kSanitizerBuild;

}  // namespace distill::testing
