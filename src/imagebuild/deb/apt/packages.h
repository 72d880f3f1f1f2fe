// Packages indexes (one dpkg control paragraph per binary package, deb-control(5) syntax), read
// with string_views over the whole text: no per-field allocation for the fields we skip
// (Description alone is half of bookworm's 46 MB). catalog/dpkg's ParseControl copies every field
// into strings, which costs several times as much on a whole Packages index (doc/build-apt.md),
// hence this reader.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/deb/apt/apt.h"

namespace distill::imagebuild::apt {

// One paragraph as views into the text. Continuation lines stay in the value as written.
struct ParagraphView {
  int line = 0;  // 1-based line of the first field
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  std::string_view Get(std::string_view name) const;  // exact-case first, then case-insensitive
};

// Calls fn(const ParagraphView&) for each paragraph; returns the first syntax error
// ("line 7: expected 'Field: value'") and stops there.
Status ForEachParagraph(std::string_view text, const std::function<void(const ParagraphView&)>& fn);

// Where the packages of one Packages file come from: its base URI (".deb" URLs are
// base + "/" + Filename) and suite.
struct PackagesOrigin {
  std::string base_uri;
  std::string suite;
};

// Every package of a Packages index. A paragraph missing Package, Version, Architecture, Filename,
// Size or SHA256, or with a malformed one, is an error naming its line and field:
// "line 120: field \"SHA256\": expected 64 hex digits".
Result<std::vector<PackageInfo>> ParsePackages(std::string_view text, const PackagesOrigin& origin);

}  // namespace distill::imagebuild::apt
