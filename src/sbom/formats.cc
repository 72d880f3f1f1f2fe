#include "sbom/formats.h"

#include <sstream>

#include <fmt/format.h>

#include "sbom/cyclonedx/model.h"
#include "sbom/distill_json.h"
#include "sbom/spdx/model.h"
#include "sbom/table.h"
#include "util/file.h"

namespace distill::sbom {

namespace {

Status EncodeSpdxJson(const Sbom& sbom, std::string_view version, std::ostream& out) {
  DISTILL_TRY(auto doc, spdx::ToDocument(sbom, version));
  return spdx::WriteJson(doc, out);
}
Status EncodeSpdxTagValue(const Sbom& sbom, std::string_view version, std::ostream& out) {
  DISTILL_TRY(auto doc, spdx::ToDocument(sbom, version));
  return spdx::WriteTagValue(doc, out);
}
Status EncodeCycloneDxJson(const Sbom& sbom, std::string_view version, std::ostream& out) {
  DISTILL_TRY(auto doc, cyclonedx::ToDocument(sbom, version));
  return cyclonedx::WriteJson(doc, out);
}
Status EncodeCycloneDxXml(const Sbom& sbom, std::string_view version, std::ostream& out) {
  DISTILL_TRY(auto doc, cyclonedx::ToDocument(sbom, version));
  return cyclonedx::WriteXml(doc, out);
}
Status EncodeDistillJson(const Sbom& sbom, std::string_view, std::ostream& out) {
  return distill_json::Encode(sbom, out);
}
Status EncodeTable(const Sbom& sbom, std::string_view, std::ostream& out) {
  return table::Encode(sbom, out);
}

// Every output format, in the order --help lists them.
const Encoder kEncoders[] = {
    {"table", "table", {}, "NAME VERSION TYPE, for people (the default)", &EncodeTable},
    {"spdx-json", "SPDX", {"2.3"}, "SPDX 2.3 JSON", &EncodeSpdxJson},
    {"spdx-tag-value", "SPDX", {"2.3"}, "SPDX 2.3 tag-value", &EncodeSpdxTagValue},
    {"cyclonedx-json",
     "CycloneDX",
     {"1.6", "1.5"},
     "CycloneDX JSON (1.6; 1.5 with cyclonedx-json@1.5)",
     &EncodeCycloneDxJson},
    {"cyclonedx-xml",
     "CycloneDX",
     {"1.6", "1.5"},
     "CycloneDX XML (1.6; 1.5 with cyclonedx-xml@1.5)",
     &EncodeCycloneDxXml},
    {"distill-json",
     "distill-json",
     {distill_json::kFormatVersion},
     "distill's own lossless JSON (doc/formats/distill-json.md)",
     &EncodeDistillJson},
};

// syft's -o names that are not ours: its aliases for formats we write are accepted as the same
// format; its own formats are answered with the nearest equivalent (syft's `format.Encoders`
// names).
struct SyftName {
  const char* name;
  const char* same_as;  // our id, when the output is the same format
  const char* answer;   // otherwise: what to use instead
};
const SyftName kSyftNames[] = {
    {"spdx", "spdx-tag-value", nullptr},
    {"spdx-tv", "spdx-tag-value", nullptr},
    {"cyclonedx", "cyclonedx-xml", nullptr},
    {"cyclone-dx", "cyclonedx-xml", nullptr},
    {"syft-table", "table", nullptr},
    {"json", nullptr,
     "syft's own JSON schema; distill's lossless JSON is distill-json (or use spdx-json / "
     "cyclonedx-json)"},
    {"syft-json", nullptr,
     "syft's own JSON schema; distill's lossless JSON is distill-json (or use spdx-json / "
     "cyclonedx-json)"},
    {"text", nullptr, "syft's text listing; use table"},
    {"syft-text", nullptr, "syft's text listing; use table"},
    {"github", nullptr,
     "GitHub's dependency snapshot; not written by distill (use spdx-json, which GitHub imports)"},
    {"github-json", nullptr,
     "GitHub's dependency snapshot; not written by distill (use spdx-json, which GitHub imports)"},
};

}  // namespace

std::span<const Encoder> Encoders() { return kEncoders; }

const Encoder* FindEncoder(std::string_view id) {
  for (const Encoder& e : kEncoders) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::string EncoderIds() {
  std::string out;
  for (const Encoder& e : kEncoders) out += (out.empty() ? "" : ", ") + std::string(e.id);
  return out;
}

Result<OutputSpec> ParseOutputSpec(std::string_view spec) {
  OutputSpec out;
  std::string_view format = spec;
  if (size_t eq = spec.find('='); eq != std::string_view::npos) {
    format = spec.substr(0, eq);
    out.path = std::string(spec.substr(eq + 1));
    if (out.path.empty()) return Errorf("output '{}': empty file name after '='", spec);
    if (out.path == "-") out.path.clear();
  }
  std::string_view version;
  bool has_version = false;
  if (size_t at = format.find('@'); at != std::string_view::npos) {
    version = format.substr(at + 1);
    format = format.substr(0, at);
    has_version = true;
  }
  out.encoder = FindEncoder(format);
  for (const SyftName& syft : kSyftNames) {
    if (out.encoder || format != syft.name) continue;
    if (!syft.same_as)
      return Errorf("output format '{}' is {} (available: {})", format, syft.answer, EncoderIds());
    out.encoder = FindEncoder(syft.same_as);
  }
  if (!out.encoder)
    return Errorf("unknown output format '{}' (available: {})", format, EncoderIds());
  const auto& versions = out.encoder->versions;
  if (versions.empty()) {
    if (has_version)
      return Errorf("output format '{}' has no versions (got '@{}')", format, version);
    return out;
  }
  if (!has_version) {
    out.version = std::string(versions.front());
    return out;
  }
  for (std::string_view v : versions) {
    if (v == version) {
      out.version = std::string(v);
      return out;
    }
  }
  return Errorf("unsupported {} version '{}' (supported: {})", out.encoder->family, version,
                fmt::join(versions, ", "));
}

Result<std::vector<OutputSpec>> ParseOutputSpecs(const std::vector<std::string>& specs,
                                                 std::string_view default_format) {
  std::vector<OutputSpec> out;
  if (specs.empty()) {
    DISTILL_TRY(auto spec, ParseOutputSpec(default_format));
    out.push_back(std::move(spec));
    return out;
  }
  int to_stdout = 0;
  for (const auto& s : specs) {
    DISTILL_TRY(auto spec, ParseOutputSpec(s));
    if (spec.path.empty() && ++to_stdout > 1) {
      return Errorf("only one output may go to stdout; give the others a file: -o FORMAT=FILE");
    }
    out.push_back(std::move(spec));
  }
  return out;
}

Result<std::string> EncodeToString(const Sbom& sbom, const OutputSpec& spec) {
  std::ostringstream out;
  DISTILL_TRY_VOID(spec.encoder->encode(sbom, spec.version, out));
  return out.str();
}

Status WriteOutputs(const Sbom& sbom, const std::vector<OutputSpec>& specs,
                    std::ostream& stdout_stream) {
  for (const auto& spec : specs) {
    if (spec.path.empty()) {
      DISTILL_TRY_VOID(spec.encoder->encode(sbom, spec.version, stdout_stream));
      continue;
    }
    // Streamed into a temporary file next to the output (flat memory for any document size).
    auto ctx = fmt::format("writing {} output", spec.encoder->id);
    auto file = AtomicFile::Create(spec.path);
    if (!file.ok()) return std::move(file).error().wrap(ctx);
    DISTILL_TRY_VOID(spec.encoder->encode(sbom, spec.version, (*file)->stream()));
    auto st = (*file)->Commit();
    if (!st.ok()) return std::move(st).error().wrap(ctx);
  }
  return {};
}

}  // namespace distill::sbom
