// The string-rewriting steps of node-semver's range parser (see npm_range.h), one function
// per step, in the order Range.parseRange applies them. Internal to npm_range.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vuln/version/npm_range.h"

namespace distill::vuln::version::npm::desugar {

bool IsDigit(char c);
// Whitespace as JavaScript's \s sees it (ASCII and the Unicode spaces, in UTF-8).
std::string NormalizeSpace(std::string_view text);  // trim() + replace(/\s+/g, " ")
std::string_view TrimJs(std::string_view text);     // trim()
std::string_view Trim(std::string_view text);       // on normalized text: spaces only
std::vector<std::string> SplitSpaces(std::string_view text);
std::string Join(const std::vector<std::string>& parts);

std::string StripBuilds(std::string_view text, bool all);  // \+ident(.ident)*
std::optional<std::string> Hyphen(std::string_view text, const RangeOptions& options);  // "A - B"
std::string TrimOperatorSpace(std::string_view text);    // "> 1" -> ">1"
std::string TrimTildeCaretSpace(std::string_view text);  // "~> 1" -> "~1"
// One whitespace-free comparator: build, caret, tilde, x-range and star replacement.
std::string ParseComparatorText(const std::string& comp, const RangeOptions& options);

}  // namespace distill::vuln::version::npm::desugar
