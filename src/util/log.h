// Diagnostics on stderr. Machine output goes to stdout only; everything here goes to stderr.
#pragma once

#include <fmt/format.h>
#include <cstdio>

namespace distill::log {

enum class Level { kQuiet = 0, kNormal = 1, kDebug = 2 };
Level level();
void set_level(Level l);

template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (level() >= Level::kDebug)
    fmt::print(stderr, "debug: {}\n", fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  if (level() >= Level::kNormal)
    fmt::print(stderr, "warning: {}\n", fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace distill::log
