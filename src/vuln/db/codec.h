// The JSON columns of the database (doc/vuln-db.md): ranges in OSV's own shape, and string
// lists, severities and references as small arrays. Encoding is hand-rolled (it runs once per
// imported row); decoding uses simdjson (it runs for every row the matcher looks up) and reports
// malformed columns as errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "vuln/db/advisory.h"

namespace distill::vuln::codec {

std::string EncodeStrings(const std::vector<std::string>& strings);
std::string EncodeRanges(const std::vector<Range>& ranges);
std::string EncodeSeverities(const std::vector<Severity>& severities);
std::string EncodeReferences(const std::vector<Reference>& references);
// The same, appended to `out` (the writer encodes a batch of records into one buffer).
void AppendStrings(std::string& out, const std::vector<std::string>& strings);
void AppendRanges(std::string& out, const std::vector<Range>& ranges);
void AppendSeverities(std::string& out, const std::vector<Severity>& severities);
void AppendReferences(std::string& out, const std::vector<Reference>& references);

Result<std::vector<std::string>> DecodeStrings(std::string_view json);
Result<std::vector<Range>> DecodeRanges(std::string_view json);
Result<std::vector<Severity>> DecodeSeverities(std::string_view json);
// Only the references of `type` when it is not empty.
Result<std::vector<Reference>> DecodeReferences(std::string_view json, std::string_view type = "");

}  // namespace distill::vuln::codec
