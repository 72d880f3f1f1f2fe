// var/lib/dpkg/info/<pkg>[:arch].list: every path the package installed, absolute, one per line,
// directories included ("/." first).
#include "catalog/dpkg/parse_status.h"

namespace distill::catalog::dpkg {
namespace {

// Iterates the lines of text with 1-based numbers ("\r\n" tolerated) until fn returns false.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  size_t pos = 0;
  int n = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    if (!fn(++n, line)) return;
  }
}

}  // namespace

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
