// The SARIF 2.1.0 log that `scan -o sarif` and `audit -o sarif` write
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one run of the distill driver with its rules
// and results; each command builds its own rules (reportingDescriptor) and results.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace distill::sarif {

constexpr std::string_view kSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

// {"$schema", "version": "2.1.0", "runs": [{"tool": {"driver": {name, version, rules}},
// "results"}]}
nlohmann::ordered_json Log(nlohmann::ordered_json rules, nlohmann::ordered_json results);

// A result's location: an artifact URI (image-relative path, or the target), with an optional
// 1-based line and a message.
nlohmann::ordered_json Location(std::string_view uri, int line = 0, std::string_view message = "");

}  // namespace distill::sarif
