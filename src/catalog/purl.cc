#include "catalog/purl.h"

#include <fmt/format.h>

namespace distill::catalog {

std::string PurlEncode(std::string_view s, bool keep_colon) {
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || (keep_colon && c == ':');
    if (unreserved) out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string Purl::ToString() const {
  std::string out = "pkg:";
  for (char c : type) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out += '/';
  if (!namespace_.empty()) {
    size_t i = 0;
    while (i <= namespace_.size()) {
      size_t j = namespace_.find('/', i);
      if (j == std::string::npos) j = namespace_.size();
      if (j > i) out += PurlEncode(std::string_view(namespace_).substr(i, j - i)) + "/";
      i = j + 1;
    }
  }
  out += PurlEncode(name);
  if (!version.empty()) out += "@" + PurlEncode(version, /*keep_colon=*/true);
  bool first = true;
  for (const auto& [k, v] : qualifiers) {
    if (v.empty()) continue;
    out += first ? '?' : '&';
    first = false;
    out += k + "=" + PurlEncode(v, /*keep_colon=*/true);
  }
  if (!subpath.empty()) out += "#" + subpath;
  return out;
}

Result<Purl> ParsePurl(std::string_view s) {
  return Errorf("purl parsing not implemented: {}", s);
}

}  // namespace distill::catalog
