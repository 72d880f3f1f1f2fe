// var/lib/dpkg/info/<pkg>[:arch].list: every path the package installed, absolute, one per line,
// directories included ("/." first).
#include "catalog/dpkg/parse_status.h"
#include "util/text.h"

namespace distill::catalog::dpkg {
std::vector<std::string> ParseList(std::string_view text) {
  std::vector<std::string> out;
  ForEachLine(text, [&](int, std::string_view line) {
    while (line.starts_with('/')) line.remove_prefix(1);
    if (line == "." || line.empty()) return true;
    out.emplace_back(line);
    return true;
  });
  return out;
}

}  // namespace distill::catalog::dpkg
