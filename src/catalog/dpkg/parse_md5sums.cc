// var/lib/dpkg/info/<pkg>.md5sums (and status.d/<pkg>.md5sums): "<md5>  <path>" per line, the
// format md5sum(1) writes, paths relative to the root.
#include <cctype>

#include "catalog/dpkg/parse_status.h"
#include "util/text.h"

namespace distill::catalog::dpkg {
Result<std::vector<OwnedFile>> ParseMd5sums(std::string_view text) {
  std::vector<OwnedFile> out;
  std::string err;
  ForEachLine(text, [&](int n, std::string_view line) {
    if (Trim(line).empty()) return true;
    size_t sp = line.find(' ');
    std::string_view digest = line.substr(0, sp);
    if (sp == std::string_view::npos || digest.size() != 32 ||
        digest.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
      err = fmt::format("line {}: expected '<md5>  <path>'", n);
      return false;
    }
    std::string_view path = line.substr(sp);
    while (!path.empty() && (path.front() == ' ' || path.front() == '*')) path.remove_prefix(1);
    while (path.starts_with('/')) path.remove_prefix(1);
    if (path.empty()) {
      err = fmt::format("line {}: missing path", n);
      return false;
    }
    std::string d(digest);
    AsciiLowerInPlace(d);
    out.push_back({std::string(path), "md5", std::move(d)});
    return true;
  });
  if (!err.empty()) return Errorf("{}", err);
  return out;
}

}  // namespace distill::catalog::dpkg
