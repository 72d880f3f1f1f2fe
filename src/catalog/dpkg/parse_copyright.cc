// usr/share/doc/<pkg>/copyright. Machine-readable files (DEP-5,
// https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/) declare each license in a
// License: field, with Debian's short names (§ "License short name"); those we translate to SPDX.
// Free-form files only point at /usr/share/common-licenses/<NAME>: we take those references, and
// the "-or-later" form only when the file says "any later version".
#include <algorithm>
#include <cctype>

#include "catalog/dpkg/parse_status.h"

namespace distill::catalog::dpkg {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

void AddUnique(std::vector<std::string>* v, std::string s) {
  if (!s.empty() && std::find(v->begin(), v->end(), s) == v->end()) v->push_back(std::move(s));
}

// Debian short names whose SPDX id is not the name itself (DEP-5 § License short name).
// Versioned GNU names take "-only" / "-or-later" from the trailing "+".
struct NameMap {
  std::string_view debian;  // lowercase
  std::string_view spdx;
};
const NameMap kNames[] = {
    {"apache-1.0", "Apache-1.0"},     {"apache-1.1", "Apache-1.1"},       {"apache-2.0", "Apache-2.0"},
    {"artistic", "Artistic-1.0-Perl"}, {"artistic-1.0", "Artistic-1.0"},  {"artistic-2.0", "Artistic-2.0"},
    {"bsd-2-clause", "BSD-2-Clause"}, {"bsd-3-clause", "BSD-3-Clause"},   {"bsd-4-clause", "BSD-4-Clause"},
    {"cc0-1.0", "CC0-1.0"},           {"cc-by-3.0", "CC-BY-3.0"},         {"cc-by-4.0", "CC-BY-4.0"},
    {"cc-by-sa-3.0", "CC-BY-SA-3.0"}, {"cc-by-sa-4.0", "CC-BY-SA-4.0"},   {"cddl-1.0", "CDDL-1.0"},
    {"epl-1.0", "EPL-1.0"},           {"epl-2.0", "EPL-2.0"},             {"expat", "MIT"},
    {"mit", "MIT"},                   {"isc", "ISC"},                     {"zlib", "Zlib"},
    {"mpl-1.1", "MPL-1.1"},           {"mpl-2.0", "MPL-2.0"},             {"openssl", "OpenSSL"},
    {"psf-2", "PSF-2.0"},             {"python-2.0", "Python-2.0"},       {"ftl", "FTL"},
    {"bsl-1.0", "BSL-1.0"},           {"unicode-dfs-2016", "Unicode-DFS-2016"}, {"curl", "curl"},
    {"libpng", "Libpng"},             {"libpng-2.0", "libpng-2.0"},       {"x11", "X11"},
    {"ofl-1.1", "OFL-1.1"},           {"wtfpl", "WTFPL"},                 {"unlicense", "Unlicense"},
    {"0bsd", "0BSD"},                 {"bzip2-1.0.6", "bzip2-1.0.6"},     {"ijg", "IJG"},
};

struct GnuFamily {
  std::string_view debian;  // lowercase prefix before "-<version>"
  std::string_view spdx;
};
const GnuFamily kGnu[] = {{"gpl", "GPL"}, {"lgpl", "LGPL"}, {"agpl", "AGPL"}, {"gfdl", "GFDL"}};

// "2" -> "2.0", "2.1" stays; SPDX writes GNU versions with a minor number.
std::string GnuVersion(std::string_view v) {
  if (v.empty() || v.find_first_not_of("0123456789.") != std::string_view::npos) return "";
  return v.find('.') == std::string_view::npos ? std::string(v) + ".0" : std::string(v);
}

// One license name, without "with ... exception" (those we cannot express exactly: "").
std::string OneName(std::string_view name, bool or_later_hint, bool hint_known) {
  std::string n = Lower(Trim(name));
  if (n.empty() || n.find(" with ") != std::string::npos) return "";
  bool plus = n.ends_with('+');
  if (plus) n.pop_back();
  for (const auto& g : kGnu) {
    if (!n.starts_with(g.debian) || n.size() <= g.debian.size() + 1 || n[g.debian.size()] != '-') continue;
    std::string v = GnuVersion(std::string_view(n).substr(g.debian.size() + 1));
    if (v.empty()) return "";
    bool later = plus || (hint_known && or_later_hint);
    return fmt::format("{}-{}-{}", g.spdx, v, later ? "or-later" : "only");
  }
  if (plus) return "";
  for (const auto& m : kNames)
    if (n == m.debian) return std::string(m.spdx);
  return "";
}

// "GPL-2+ or Artistic" -> "GPL-2.0-or-later OR Artistic-1.0-Perl"; "" if any part is unknown.
std::string ExpressionToSpdx(std::string_view expr) {
  expr = Trim(expr);
  std::string e = Lower(expr);
  std::string out;
  size_t i = 0;
  while (i <= e.size()) {
    size_t or_at = e.find(" or ", i), and_at = e.find(" and ", i), comma = e.find(", ", i);
    size_t j = std::min({or_at, and_at, comma});
    std::string_view part = std::string_view(expr).substr(i, (j == std::string::npos ? e.size() : j) - i);
    std::string id = OneName(part, false, false);
    if (id.empty()) return "";
    out += id;
    if (j == std::string::npos) break;
    out += j == or_at ? " OR " : " AND ";
    i = j + (j == or_at ? 4 : j == and_at ? 5 : 2);
  }
  return out;
}

bool IsMachineReadable(std::string_view text) {
  std::string_view first = text.substr(0, text.find('\n'));
  std::string f = Lower(first);
  return (f.starts_with("format:") || f.starts_with("format-specification:")) &&
         (f.find("copyright-format") != std::string::npos || f.find("dep5") != std::string::npos ||
          f.find("dep-5") != std::string::npos);
}

}  // namespace

std::string DebianNameToSpdx(std::string_view name) { return ExpressionToSpdx(name); }

Copyright ParseCopyright(std::string_view text) {
  Copyright c;
  if (IsMachineReadable(text)) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view line = text.substr(pos, nl - pos);
      pos = nl + 1;
      if (line.size() < 8 || Lower(line.substr(0, 8)) != "license:") continue;
      std::string_view name = Trim(line.substr(8));
      if (name.empty()) continue;
      AddUnique(&c.names, std::string(name));
      AddUnique(&c.spdx, ExpressionToSpdx(name));
    }
    return c;
  }
  // Free-form: references to the common license texts.
  std::string lower = Lower(text);
  bool or_later = lower.find("any later version") != std::string::npos;
  std::string_view kRef = "/usr/share/common-licenses/";
  for (size_t at = text.find(kRef); at != std::string_view::npos; at = text.find(kRef, at + 1)) {
    size_t i = at + kRef.size(), j = i;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '-' ||
                               text[j] == '.' || text[j] == '_'))
      ++j;
    std::string_view name = text.substr(i, j - i);
    while (name.ends_with('.')) name.remove_suffix(1);  // end of sentence
    if (name.empty()) continue;
    AddUnique(&c.names, std::string(name));
    AddUnique(&c.spdx, OneName(name, or_later, true));
  }
  return c;
}

}  // namespace distill::catalog::dpkg
