// OSV records (https://ossf.github.io/osv-schema/): one JSON document per vulnerability, as
// published by GHSA, the Go vulndb, PyPA, RustSec, Debian, Ubuntu, Alpine, Wolfi, Chainguard,
// AlmaLinux... One Advisory per (ecosystem, package) named in `affected`, with that package's
// ranges merged; GIT ranges are dropped (we match versions, not commits); withdrawn records and
// affected entries without version information produce nothing.
#pragma once

#include <string_view>

#include "vuln/importers/sink.h"

namespace distill::vuln::importers {

inline constexpr std::string_view kOsvKind = "osv";

// Parses one record. Errors name the JSON field ("affected[1].ranges[0].events: not an array").
// `padded`: at least simdjson::SIMDJSON_PADDING bytes after `json` are readable (no copy).
Status ParseOsv(std::string_view json, const Sink& sink, bool padded = false);

// True when `json` looks like an OSV record (an object with "id" and "affected"/"modified"),
// for format detection; cheap, no full parse.
bool LooksLikeOsv(std::string_view json);

}  // namespace distill::vuln::importers
