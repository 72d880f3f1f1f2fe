// Semantic Versioning 2.0.0 (https://semver.org) and its dialects:
//   kStrict  SemVer 2.0.0 exactly (crates.io, the "semver" ecosystem): no prefix, no leading
//            zeros, build metadata allowed and ignored for precedence.
//   kNode    node-semver's SemVer (npm): surrounding whitespace trimmed, one optional leading
//            'v', at most 256 characters, major/minor/patch <= 2^53-1.
//   kLoose   node-semver with {loose: true}: any run of 'v', '=' and whitespace first, leading
//            zeros allowed, the '-' before the pre-release optional.
//   kGo      golang.org/x/mod/semver: the canonical 'v' optional (OSV's Go ranges omit it),
//            "v1" and "v1.2" are shorthands for v1.0.0 and v1.2.0, "+incompatible" and any
//            build metadata ignored. Pseudo-versions are ordinary pre-releases and sort by
//            their timestamp, exactly as the go command does.
//   kCargo   the Rust semver crate (crates.io): kStrict with major/minor/patch <= 2^64-1.
// Precedence is SemVer §11: numbers numerically, then a pre-release below its release,
// identifiers numeric-below-alphanumeric, alphanumerics in ASCII order. Numeric identifiers
// compare by value at any length (node-semver goes through doubles above 2^53).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::vuln::version::semver {

enum class Dialect { kStrict, kNode, kLoose, kGo, kCargo };

// Views into the parsed string: no allocation.
struct Version {
  std::string_view major, minor, patch;  // digits, leading zeros stripped ("" is 0)
  std::string_view prerelease;           // without the '-', "" if none
  std::string_view build;                // without the '+', "" if none
};

Result<Version> Parse(std::string_view version, Dialect d);
int CompareParsed(const Version& a, const Version& b);
// Pre-release identifier lists ("alpha.1" vs "alpha.beta"), SemVer §11.4; "" means none.
int ComparePrerelease(std::string_view a, std::string_view b);
std::string Format(const Version& version);  // "1.2.3-pre+build", canonical numbers

Status ValidateStrict(std::string_view version);
Status ValidateNode(std::string_view version);
Status ValidateGo(std::string_view version);
Status ValidateCargo(std::string_view version);
Result<int> CompareStrict(std::string_view a, std::string_view b);
Result<int> CompareNode(std::string_view a, std::string_view b);
Result<int> CompareGo(std::string_view a, std::string_view b);
Result<int> CompareCargo(std::string_view a, std::string_view b);

}  // namespace distill::vuln::version::semver
