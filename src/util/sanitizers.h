// Whether this binary was built with a sanitizer that watches memory (ASan; TSan and MSan too):
// such builds replace malloc, keep libstdc++ shared and run a leak check at exit, so code that
// relies on the release build's allocator or on skipping the exit handlers asks first.
#pragma once

namespace distill {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
inline constexpr bool kSanitizerBuild = true;
#else
inline constexpr bool kSanitizerBuild = false;
#endif
#else
inline constexpr bool kSanitizerBuild = false;
#endif

}  // namespace distill
