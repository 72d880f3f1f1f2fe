#include "vuln/importers/sink.h"

#include <algorithm>
#include <cctype>

namespace distill::vuln::importers {

namespace {
bool LooksLikeId(std::string_view text) {
  size_t dash = text.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash + 1 == text.size()) return false;
  for (size_t i = 0; i < dash; ++i)
    if (!std::isalpha(static_cast<unsigned char>(text[i]))) return false;
  return true;
}
}  // namespace

std::vector<std::string> SplitIds(std::string_view raw) {
  // Typos found in real secdb data: "CVE_2019-2426", "CVE 2018-16859".
  std::string entry(raw);
  for (size_t p = entry.find("CVE"); p != std::string::npos; p = entry.find("CVE", p + 3))
    if (p + 8 < entry.size() && (entry[p + 3] == '_' || entry[p + 3] == ' ') &&
        std::isdigit(static_cast<unsigned char>(entry[p + 4])))
      entry[p + 3] = '-';
  std::vector<std::string> out;
  size_t i = 0;
  while (i < entry.size()) {
    while (i < entry.size() && std::isspace(static_cast<unsigned char>(entry[i]))) ++i;
    size_t j = i;
    while (j < entry.size() && !std::isspace(static_cast<unsigned char>(entry[j]))) ++j;
    if (j > i && LooksLikeId(std::string_view(entry).substr(i, j - i)))
      out.emplace_back(entry.substr(i, j - i));
    i = j;
  }
  return out;
}

void NormalizeAliases(std::vector<std::string>& aliases, std::string_view id) {
  std::sort(aliases.begin(), aliases.end());
  aliases.erase(std::unique(aliases.begin(), aliases.end()), aliases.end());
  std::erase(aliases, id);
}

}  // namespace distill::vuln::importers
