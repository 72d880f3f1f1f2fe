// Human-facing renderings shared by the commands: byte sizes and UTC times.
#pragma once

#include <cstdint>
#include <string>

namespace distill {

// "1.2 MB" style sizes (decimal units, like docker and syft); below 1000 bytes "999 B".
std::string HumanBytes(uint64_t bytes);
// unix_seconds in UTC with a strftime format; kRfc3339 gives "2024-01-31T12:00:00Z".
inline constexpr const char* kRfc3339 = "%Y-%m-%dT%H:%M:%SZ";
std::string UtcTime(int64_t unix_seconds, const char* strftime_format = kRfc3339);

}  // namespace distill
