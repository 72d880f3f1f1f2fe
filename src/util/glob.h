// Path globs as catalogers and policies write them: "*" and "?" stay inside one path segment,
// "[a-z]" / "[!a-z]" are classes, and "**" matches any number of whole segments (including none),
// so "**/var/lib/dpkg/status" matches "var/lib/dpkg/status". Paths are image-relative
// ("usr/bin/x").
#pragma once

#include <string_view>

namespace distill {

bool GlobMatch(std::string_view pattern, std::string_view path);

}  // namespace distill
