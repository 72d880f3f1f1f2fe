// The SPDX license list (licenses and exceptions), for turning the names package databases write
// into SPDX identifiers. See spdx_list.cc for the list's version and source.
#pragma once

#include <string_view>
#include <vector>

namespace distill::catalog {

// The identifier as the SPDX list spells it ("bsd-3-clause" -> "BSD-3-Clause"), or "" if unknown.
std::string_view CanonicalSpdxId(std::string_view id);
// Whether an identifier of the list is an exception (the WITH operand) rather than a license.
bool IsSpdxException(std::string_view id);
// Identifiers starting with prefix, case-insensitively ("Bison-exception-" -> 1.24, 2.2).
std::vector<std::string_view> SpdxIdsWithPrefix(std::string_view prefix);

}  // namespace distill::catalog
