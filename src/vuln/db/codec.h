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

std::string EncodeStrings(const std::vector<std::string>& v);
std::string EncodeRanges(const std::vector<Range>& v);
std::string EncodeSeverities(const std::vector<Severity>& v);
std::string EncodeReferences(const std::vector<Reference>& v);
// The same, appended to `out` (the writer encodes a batch of records into one buffer).
void AppendStrings(std::string& out, const std::vector<std::string>& v);
void AppendRanges(std::string& out, const std::vector<Range>& v);
void AppendSeverities(std::string& out, const std::vector<Severity>& v);
void AppendReferences(std::string& out, const std::vector<Reference>& v);

Result<std::vector<std::string>> DecodeStrings(std::string_view json);
Result<std::vector<Range>> DecodeRanges(std::string_view json);
Result<std::vector<Severity>> DecodeSeverities(std::string_view json);
// Only the references of `type` when it is not empty.
Result<std::vector<Reference>> DecodeReferences(std::string_view json, std::string_view type = "");

}  // namespace distill::vuln::codec
