// Alpine/Wolfi/Chainguard package versions, ordered as apk-tools 3 (src/version.c) does:
//   digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}
// A token stream (initial number, .numbers, one letter, _suffixes with optional numbers,
// ~commit-hash, -rREVISION) compared token by token: numbers numerically unless either side
// has a leading zero (then as strings, like Gentoo), suffixes by rank
// (_alpha < _beta < _pre < _rc < none < _cvs < _svn < _git < _hg < _p), a hash as a string.
// When one version runs out, the longer one is newer unless it continues with a
// pre-release suffix; versions that become invalid at the same point compare equal.
//
// One deliberate difference from apk-tools 3: digits may follow the letter ("6.6.2p1-r0",
// opensmtpd and openssh in Alpine's own packages and secdb), continuing the number part as
// apk-tools 2.x (what Alpine images run) and go-apk-version (trivy) read them. apk-tools 3
// calls such a version invalid and compares it only up to the letter, so 6.6.2p1-r0 and
// 6.6.2p2-r0 would be equal.
//
// Compare() is apk's total function (it also orders invalid strings, as `apk version -t`
// does); the dispatch table validates first. Numbers are compared by value at any length
// (apk wraps at 2^64; no real version comes near).
#pragma once

#include <string_view>

#include "util/result.h"

namespace distill::vuln::version::apk {

bool IsValid(std::string_view version);  // apk_version_validate
Status Validate(std::string_view version);

int Compare(std::string_view a, std::string_view b);  // total; no allocation
// apk's fuzzy compare (the `~` operators): b running out first counts as equal.
int CompareFuzzy(std::string_view a, std::string_view b);

// apk dependency operators: "<", "<=", "=", ">=", ">", "~", "<~", ">~"; a leading '!'
// negates. Unknown operators are an error naming them.
Result<bool> Match(std::string_view a, std::string_view op, std::string_view b);

Result<int> CompareValid(std::string_view a, std::string_view b);

}  // namespace distill::vuln::version::apk
