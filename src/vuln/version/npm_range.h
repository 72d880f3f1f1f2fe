// npm version ranges, exactly as node-semver (7.x, the `semver` package npm uses) reads them:
// `||` alternatives of whitespace-separated comparators (<, <=, >, >=, =), hyphen ranges
// (`1.2 - 3`), x-ranges (`1.x`, `*`, `1.2`), tilde (`~1.2.3`, `~>1.2`), caret (`^0.2.3`), build
// metadata stripped, and the pre-release rule: a version with a pre-release only satisfies a
// comparator set that names a pre-release on the same major.minor.patch, unless
// include_prerelease.
//
// The desugaring is done on strings, step by step as node-semver does it (hyphen, operator
// whitespace, ~ and ^ whitespace, then per comparator: caret, tilde, x-range, star, >=0.0.0),
// because its quirks are observable (`~> 1` is `~1`; `<*` matches nothing; a set that is just
// `*` swallows the others). Limits: node's regexes cap digit runs at 256 characters and
// identifiers at 250; they are not reproduced (no real range comes near).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::vuln::version::npm {

struct RangeOptions {
  bool loose = false;
  bool include_prerelease = false;
};

struct Comparator {
  std::string op;       // "", "<", "<=", ">", ">="; "" with an empty version = any
  std::string version;  // canonical "1.2.3-pre" (node's semver.version), "" = any
};

struct Range {
  RangeOptions options;
  std::vector<std::vector<Comparator>> sets;  // OR of ANDs
  std::string ToString() const;               // node's range.range
};

// An invalid range is an error naming it (node throws "Invalid SemVer Range").
Result<Range> ParseRange(std::string_view range, RangeOptions options = {});
// Range.test: an invalid version never satisfies.
bool Test(const Range& range, std::string_view version);
// semver.satisfies(version, range, options): false for invalid ranges too.
bool Satisfies(std::string_view version, std::string_view range, RangeOptions options = {});

}  // namespace distill::vuln::version::npm
