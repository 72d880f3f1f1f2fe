// Lookups in the SPDX License List (catalog/spdx_license_list.cc, generated).
#include "catalog/spdx_list.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "catalog/spdx_license_list.h"
#include "util/text.h"

namespace distill::catalog {
namespace {

int CompareIgnoreCase(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int x = static_cast<unsigned char>(AsciiLower(a[i])),
        y = static_cast<unsigned char>(AsciiLower(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// Every id of the list (licenses and exceptions), sorted case-insensitively, built on first use.
const std::vector<std::string_view>& SortedIds() {
  static const std::vector<std::string_view> ids = [] {
    std::vector<std::string_view> all(kSpdxLicenseIds, kSpdxLicenseIds + kSpdxLicenseIdCount);
    all.insert(all.end(), kSpdxExceptionIds, kSpdxExceptionIds + kSpdxExceptionIdCount);
    std::sort(all.begin(), all.end(),
              [](std::string_view a, std::string_view b) { return CompareIgnoreCase(a, b) < 0; });
    return all;
  }();
  return ids;
}

}  // namespace

std::string_view CanonicalSpdxId(std::string_view id) {
  const auto& ids = SortedIds();
  auto it = std::lower_bound(
      ids.begin(), ids.end(), id,
      [](std::string_view a, std::string_view b) { return CompareIgnoreCase(a, b) < 0; });
  if (it == ids.end() || CompareIgnoreCase(*it, id) != 0) return {};
  return *it;
}

bool IsSpdxException(std::string_view id) {
  std::string l(id);
  AsciiLowerInPlace(l);
  // The list mixes both kinds; exceptions are the "...exception..." and "...-note" ids, except
  // three deprecated or combined licenses named after one.
  if (l.starts_with("gpl-") || l.starts_with("cal-1.0") || l.starts_with("mpl-2.0")) return false;
  return l.find("exception") != std::string::npos || l.ends_with("-note");
}

std::vector<std::string_view> SpdxIdsWithPrefix(std::string_view prefix) {
  std::vector<std::string_view> out;
  for (std::string_view id : SortedIds())
    if (id.size() >= prefix.size() && CompareIgnoreCase(id.substr(0, prefix.size()), prefix) == 0)
      out.push_back(id);
  return out;
}

}  // namespace distill::catalog
