// Whether this test binary was built with AddressSanitizer (the sanitizer builds replace malloc
// and keep libstdc++ shared, so footprint and heap tests skip or relax their checks).
#pragma once

namespace distill::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace distill::testing
