#include "util/units.h"

#include <ctime>

#include <fmt/format.h>

namespace distill {

std::string HumanBytes(uint64_t b) {
  if (b < 1000) return fmt::format("{} B", b);
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double v = static_cast<double>(b);
  int u = -1;
  while (v >= 1000 && u < 3) v /= 1000, ++u;
  return fmt::format("{:.1f} {}", v, units[u]);
}

std::string UtcTime(int64_t t, const char* strftime_format) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, strftime_format, &tm);
  return std::string(buf, n);
}

}  // namespace distill
