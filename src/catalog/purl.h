// Package URLs, https://github.com/package-url/purl-spec — built in the canonical form
// (lowercased type, percent-encoded parts, qualifiers sorted by key, empty qualifiers dropped).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::catalog {

struct Purl {
  std::string type;       // "deb", "apk", "rpm", "pypi", "npm", "maven", "golang", ...
  std::string namespace_; // "debian", "alpine", "@scope", "org.apache.commons", ...
  std::string name;
  std::string version;
  std::map<std::string, std::string> qualifiers;  // sorted by key, as the spec requires
  std::string subpath;

  // The canonical string form.
  std::string ToString() const;
};

Result<Purl> ParsePurl(std::string_view s);

// Percent-encodes everything outside the purl spec's unreserved set (and ':' where allowed).
std::string PurlEncode(std::string_view s, bool keep_colon = false);

}  // namespace distill::catalog
