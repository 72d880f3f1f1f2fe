// The output formats of `distill sbom`, in one table (formats.cc), and syft's `-o FORMAT[=FILE]`
// convention for choosing them: repeatable, FORMAT optionally with "@VERSION"
// ("cyclonedx-json@1.5"), FILE optional (stdout when absent or "-").
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/sbom.h"
#include "util/result.h"

namespace distill::sbom {

struct Encoder {
  std::string_view id;      // "spdx-json"
  std::string_view family;  // "SPDX": names the version in errors ("unsupported SPDX version")
  std::vector<std::string_view>
      versions;                  // supported versions, the default first; {} if unversioned
  std::string_view description;  // for --help
  Status (*encode)(const Sbom& sbom, std::string_view version, std::ostream& out);
};

// Every encoder, in the order --help lists them.
std::span<const Encoder> Encoders();
const Encoder* FindEncoder(std::string_view id);
// "spdx-json, spdx-tag-value, cyclonedx-json, ..." for help and error texts.
std::string EncoderIds();

struct OutputSpec {
  const Encoder* encoder = nullptr;
  std::string version;  // always set: the default when the spec named none
  std::string path;     // "" for stdout
};

// "FORMAT[@VERSION][=FILE]". Errors name the bad part: "unknown output format 'xml' (available:
// ...)", "unsupported SPDX version '2.1' (supported: 2.3)", "output format 'table' has no
// versions".
Result<OutputSpec> ParseOutputSpec(std::string_view spec);
// All -o values; at most one may write to stdout. An empty list gives {default_format}.
Result<std::vector<OutputSpec>> ParseOutputSpecs(const std::vector<std::string>& specs,
                                                 std::string_view default_format = "table");

// Encodes into a string (for files, tests and digests).
Result<std::string> EncodeToString(const Sbom& sbom, const OutputSpec& spec);
// Writes every output: files atomically (never half-written), the stdout one to `stdout_stream`.
Status WriteOutputs(const Sbom& sbom, const std::vector<OutputSpec>& specs,
                    std::ostream& stdout_stream);

}  // namespace distill::sbom
