// What every importer's parser produces: Advisory records, handed one at a time to a sink (the
// database writer, or a vector in tests), so a large source never sits in memory as records.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "vuln/db/advisory.h"

namespace distill::vuln::importers {

using Sink = std::function<Status(Advisory&&)>;

// Splits a secdb/advisory id entry ("CVE-2017-8904 XSA-214") into the id and its aliases,
// repairing the "CVE_2019-2426" / "CVE 2018-16859" typos real secdb files contain.
// Tokens that are not ids (no "PREFIX-" shape) are dropped.
std::vector<std::string> SplitIds(std::string_view entry);

// Sorts, dedups and drops `id` itself.
void NormalizeAliases(std::vector<std::string>& aliases, std::string_view id);

// A sink that appends to a vector (tests, fuzzers).
inline Sink CollectInto(std::vector<Advisory>& out) {
  return [&out](Advisory&& advisory) -> Status {
    out.push_back(std::move(advisory));
    return {};
  };
}

}  // namespace distill::vuln::importers
