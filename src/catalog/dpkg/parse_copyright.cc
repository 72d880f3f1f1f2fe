// usr/share/doc/<pkg>/copyright. Machine-readable files (DEP-5,
// https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/) declare each license in a
// License: field, with Debian's short names (§ "License short name"); those we translate to SPDX.
// Free-form files only point at /usr/share/common-licenses/<NAME>: we take those references, and
// the "-or-later" form only when the file says "any later version".
#include <algorithm>
#include <cctype>
#include <unordered_set>

#include <fmt/ranges.h>

#include "catalog/dpkg/parse_status.h"
#include "catalog/spdx_list.h"
#include "util/text.h"

namespace distill::catalog::dpkg {
namespace {

// Appends s unless empty or already present (seen keeps the check linear in the file's size).
void AddUnique(std::vector<std::string>* out, std::unordered_set<std::string>* seen,
               std::string s) {
  if (!s.empty() && seen->insert(s).second) out->push_back(std::move(s));
}

// Debian short names that are not SPDX ids as written (DEP-5 § License short name, and names
// common in Debian's archive). Everything else is looked up in the SPDX list, ignoring case.
struct NameMap {
  std::string_view debian;  // lowercase
  std::string_view spdx;
};
const NameMap kNames[] = {
    {"expat", "MIT"},                   // DEP-5: the MIT/Expat license
    {"artistic", "Artistic-1.0-Perl"},  // /usr/share/common-licenses/Artistic is Perl's
    {"artistic-2", "Artistic-2.0"},
    {"apache-2", "Apache-2.0"},
    {"psf-2", "PSF-2.0"},
    {"cc0", "CC0-1.0"},
    {"mpl-2", "MPL-2.0"},
    {"zope-2.1", "ZPL-2.1"},
};

// GNU licenses: "GPL-2" / "GPLv2" is version 2 only, "+" or later; "GFDL-NIV-1.3" has no
// invariant sections.
struct GnuFamily {
  std::string_view debian;  // lowercase prefix
  std::string_view spdx;
};
const GnuFamily kGnu[] = {
    {"gfdl-niv", "GFDL"}, {"lgpl", "LGPL"}, {"agpl", "AGPL"}, {"gfdl", "GFDL"}, {"gpl", "GPL"}};

// "2" -> "2.0", "2.1" stays; SPDX writes GNU versions with a minor number.
std::string GnuVersion(std::string_view version) {
  if (version.empty() || version.find_first_not_of("0123456789.") != std::string_view::npos ||
      version.front() == '.')
    return "";
  return version.find('.') == std::string_view::npos ? std::string(version) + ".0"
                                                     : std::string(version);
}

std::string GnuId(std::string_view name, bool later) {
  for (const auto& g : kGnu) {
    if (!name.starts_with(g.debian)) continue;
    std::string_view rest = name.substr(g.debian.size());
    if (rest.starts_with('-') || rest.starts_with('v')) rest.remove_prefix(1);
    std::string v = GnuVersion(rest);
    if (v.empty()) return "";
    std::string id =
        fmt::format("{}-{}{}-{}", g.spdx, v, g.debian == "gfdl-niv" ? "-no-invariants" : "",
                    later ? "or-later" : "only");
    return std::string(CanonicalSpdxId(id));
  }
  return "";
}

// "Bison" with GPL-3 -> "Bison-exception-2.2": the exception ids SPDX lists for that name, the
// one matching the GPL version when there are several.
std::string ExceptionId(std::string_view name, std::string_view license) {
  std::string n(Trim(name));
  if (n.empty()) return "";
  if (auto exact = CanonicalSpdxId(n); !exact.empty() && IsSpdxException(exact))
    return std::string(exact);
  std::vector<std::string_view> found;
  for (std::string_view id : SpdxIdsWithPrefix(n + "-"))
    if (IsSpdxException(id)) found.push_back(id);
  if (found.size() == 1) return std::string(found[0]);
  // Several versions (Bison 1.24/2.2, Autoconf 2.0/3.0, GCC 2.0/3.1): the GPL version decides.
  bool gpl3 = license.find("-3.0-") != std::string_view::npos;
  static const std::pair<std::string_view, std::pair<std::string_view, std::string_view>>
      kVersioned[] = {
          {"bison", {"Bison-exception-1.24", "Bison-exception-2.2"}},
          {"autoconf", {"Autoconf-exception-2.0", "Autoconf-exception-3.0"}},
          {"gcc", {"GCC-exception-2.0", "GCC-exception-3.1"}},
      };
  for (const auto& [word, ids] : kVersioned)
    if (AsciiLower(n) == word) return std::string(gpl3 ? ids.second : ids.first);
  return "";
}

// One license name ("GPL-2+", "Expat", "BSD-3-clause", "GPL-3+ with Bison exception") as SPDX,
// or "" when there is no justified id.
std::string OneName(std::string_view name, bool or_later_hint) {
  std::string n = AsciiLower(Trim(name));
  if (n.empty()) return "";
  if (size_t with = n.find(" with "); with != std::string::npos) {
    std::string base = OneName(std::string_view(name).substr(0, with), or_later_hint);
    std::string_view exc = Trim(std::string_view(name).substr(with + 6));
    if (AsciiLower(exc).ends_with(" exception")) exc.remove_suffix(10);
    std::string e = base.empty() ? "" : ExceptionId(exc, base);
    return e.empty() ? "" : base + " WITH " + e;
  }
  bool plus = n.ends_with('+');
  if (plus) n.pop_back();
  if (std::string gnu = GnuId(n, plus || or_later_hint); !gnu.empty()) return gnu;
  std::string id;
  for (const auto& m : kNames)
    if (n == m.debian) id = m.spdx;
  if (id.empty()) id = std::string(CanonicalSpdxId(n));
  if (id.empty()) return "";
  return plus ? id + "+" : id;  // SPDX "+": this version or later
}

// Splits on a separator outside nothing fancy: DEP-5 expressions have no parentheses.
std::vector<std::string_view> SplitOn(std::string_view text, std::string_view sep) {
  std::vector<std::string_view> out;
  std::string lower = AsciiLower(text);
  size_t i = 0;
  while (true) {
    size_t j = lower.find(sep, i);
    out.push_back(text.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j + sep.size();
  }
  return out;
}

// DEP-5: "and" binds tighter than "or" (as in SPDX); a comma binds loosest:
// "GPL-1+ or Artistic, and BSD-3-clause" is "(GPL-1.0-or-later OR Artistic-1.0-Perl) AND
// BSD-3-Clause".
// "" if any part has no SPDX id.
std::string ExpressionToSpdx(std::string_view expr) {
  std::vector<std::string_view> commas = SplitOn(Trim(expr), ",");
  std::vector<std::string> parts;
  for (std::string_view c : commas) {
    std::string_view part = Trim(c);
    if (AsciiLower(part).starts_with("and ")) part = Trim(part.substr(4));
    std::vector<std::string> alternatives;
    for (std::string_view alt : SplitOn(part, " or ")) {
      std::vector<std::string> all;
      for (std::string_view one : SplitOn(alt, " and ")) {
        std::string id = OneName(one, false);
        if (id.empty()) return "";
        all.push_back(id);
      }
      alternatives.push_back(fmt::format("{}", fmt::join(all, " AND ")));
    }
    std::string p = fmt::format("{}", fmt::join(alternatives, " OR "));
    parts.push_back(commas.size() > 1 && alternatives.size() > 1 ? "(" + p + ")" : p);
  }
  return fmt::format("{}", fmt::join(parts, " AND "));
}

bool IsMachineReadable(std::string_view text) {
  std::string_view first = text.substr(0, text.find('\n'));
  std::string f = AsciiLower(first);
  return (f.starts_with("format:") || f.starts_with("format-specification:")) &&
         (f.find("copyright-format") != std::string::npos || f.find("dep5") != std::string::npos ||
          f.find("dep-5") != std::string::npos);
}

}  // namespace

std::string DebianNameToSpdx(std::string_view name) { return ExpressionToSpdx(name); }

Copyright ParseCopyright(std::string_view text) {
  Copyright c;
  std::unordered_set<std::string> seen_names, seen_spdx;
  if (IsMachineReadable(text)) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view line = text.substr(pos, nl - pos);
      pos = nl + 1;
      if (line.size() < 8 || !EqualsIgnoreCase(line.substr(0, 8), "license:")) continue;
      std::string_view name = Trim(line.substr(8));
      if (name.empty()) continue;
      if (!seen_names.count(std::string(name)))  // translate each distinct name once
        AddUnique(&c.spdx, &seen_spdx, ExpressionToSpdx(name));
      AddUnique(&c.names, &seen_names, std::string(name));
    }
    return c;
  }
  // Free-form: references to the common license texts. "-or-later" when the file says "any later
  // version"; an unversioned GPL/LGPL reference takes the version the text names ("either
  // version 2 of the License"), when it names exactly one.
  std::string lower = AsciiLower(text);
  bool or_later = lower.find("any later version") != std::string::npos;
  std::string named_version;
  for (std::string_view phrase : {"either version ", "under version "}) {
    for (size_t at = lower.find(phrase); at != std::string::npos; at = lower.find(phrase, at + 1)) {
      size_t i = at + phrase.size(), j = i;
      while (j < lower.size() &&
             (std::isdigit(static_cast<unsigned char>(lower[j])) || lower[j] == '.'))
        ++j;
      std::string v = lower.substr(i, j - i);
      while (v.ends_with('.')) v.pop_back();
      if (v.empty()) continue;
      if (named_version.empty())
        named_version = v;
      else if (named_version != v)
        named_version = "?";
    }
  }
  std::string_view kRef = "/usr/share/common-licenses/";
  for (size_t at = text.find(kRef); at != std::string_view::npos; at = text.find(kRef, at + 1)) {
    size_t i = at + kRef.size(), j = i;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) ||
                               text[j] == '-' || text[j] == '.' || text[j] == '_'))
      ++j;
    std::string_view name = text.substr(i, j - i);
    while (name.ends_with('.')) name.remove_suffix(1);  // end of sentence
    if (name.empty()) continue;
    AddUnique(&c.names, &seen_names, std::string(name));
    std::string n = AsciiLower(name);
    if ((n == "gpl" || n == "lgpl") && !named_version.empty() && named_version != "?")
      AddUnique(&c.spdx, &seen_spdx, OneName(std::string(name) + "-" + named_version, or_later));
    else
      AddUnique(&c.spdx, &seen_spdx, OneName(name, or_later));
  }
  return c;
}

}  // namespace distill::catalog::dpkg
