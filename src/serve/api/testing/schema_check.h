// The validators of the serve tests, run as real programs: the Harbor spec's component schemas
// (src/testing/harbor_schema.py) and the official SBOM schemas
// (tests/fixtures/schemas/validate.py).
#pragma once

#include <string>
#include <vector>

namespace distill::serve::testing {

// Debian's python3 when present (python3-jsonschema, python3-yaml and python3-prometheus-client
// are installed for it), else the python3 on PATH.
std::string Python();

// "" when every document is valid against the spec's component schema; else the validator's
// report and exit code. Documents are written to temporary files.
std::string HarborSchemaErrors(const std::string& component,
                               const std::vector<std::string>& documents);
// The same against one of tests/fixtures/schemas/ ("spdx/spdx-schema-v2.3.json", ...).
std::string SbomSchemaErrors(const std::string& schema, const std::vector<std::string>& documents);

}  // namespace distill::serve::testing
