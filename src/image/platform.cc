#include "image/archive.h"

#include <sys/utsname.h>

namespace distill::image {

Result<Platform> Platform::Parse(std::string_view s) {
  Platform p;
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('/', i);
    if (j == std::string_view::npos) j = s.size();
    parts.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty())
    return Errorf("invalid platform '{}': want os/arch[/variant], e.g. linux/amd64", s);
  p.os = parts[0];
  p.arch = parts[1];
  if (parts.size() == 3) p.variant = parts[2];
  return p;
}

Platform Platform::Host() {
  struct utsname u;
  std::string m = ::uname(&u) == 0 ? u.machine : "x86_64";
  if (m == "x86_64") return {"linux", "amd64", ""};
  if (m == "aarch64" || m == "arm64") return {"linux", "arm64", ""};
  if (m == "armv7l") return {"linux", "arm", "v7"};
  if (m == "armv6l") return {"linux", "arm", "v6"};
  if (m == "i686" || m == "i386") return {"linux", "386", ""};
  return {"linux", m, ""};
}

std::string Platform::ToString() const {
  std::string s = (os.empty() ? "unknown" : os) + "/" + (arch.empty() ? "unknown" : arch);
  if (!variant.empty()) s += "/" + variant;
  return s;
}

bool Platform::Satisfies(const Platform& want) const {
  if (os != want.os || arch != want.arch) return false;
  if (want.variant.empty()) return true;
  if (arch == "arm64" && (variant.empty() || variant == "v8") && want.variant == "v8") return true;
  return variant == want.variant;
}

}  // namespace distill::image
