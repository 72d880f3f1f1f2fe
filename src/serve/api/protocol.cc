#include "serve/api/protocol.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/text.h"

namespace distill::serve {

namespace {

using J = nlohmann::ordered_json;

constexpr std::string_view kVulnerabilityMime =
    "application/vnd.security.vulnerability.report; version=1.1";
constexpr std::string_view kVulnerabilityLegacyMime =
    "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
constexpr std::string_view kSbomMime = "application/vnd.security.sbom.report+json; version=1.0";

constexpr ReportType kReportTypes[] = {
    {ReportKind::kVulnerability, "vulnerability", kVulnerabilityMime, "", "vulnerability"},
    {ReportKind::kVulnerabilityLegacy, "vulnerability", kVulnerabilityLegacyMime, "",
     "vulnerability-1.0"},
    {ReportKind::kSbomSpdx, "sbom", kSbomMime, kSpdxJsonMime, "sbom-spdx"},
    {ReportKind::kSbomCycloneDx, "sbom", kSbomMime, kCycloneDxJsonMime, "sbom-cyclonedx"},
};

// Whether an Accept entry names `mime`: the same type, and the same version unless it names none.
bool Accepts(const MediaType& wanted, std::string_view mime) {
  MediaType have = ParseMediaType(mime);
  return wanted.type == have.type && (wanted.version.empty() || wanted.version == have.version);
}

// JSON text of user-influenced strings: invalid UTF-8 is replaced, never thrown about.

}  // namespace

std::span<const ReportType> ReportTypes() { return kReportTypes; }

const ReportType& TypeOf(ReportKind kind) {
  for (const ReportType& t : kReportTypes)
    if (t.kind == kind) return t;
  return kReportTypes[0];  // unreachable: every kind is in the table
}

MediaType ParseMediaType(std::string_view text) {
  MediaType out;
  auto parts = Split(text, ';');
  out.type = AsciiLower(Trim(parts[0]));
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view param = Trim(parts[i]);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos || !EqualsIgnoreCase(Trim(param.substr(0, eq)), "version"))
      continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    out.version = std::string(value);
  }
  return out;
}

bool SameMediaType(std::string_view a, std::string_view b) {
  return ParseMediaType(a) == ParseMediaType(b);
}

Negotiated NegotiateReport(std::string_view accept,
                           std::optional<std::string_view> sbom_media_type) {
  if (Trim(accept).empty()) return {ReportKind::kVulnerability, {}};
  for (std::string_view entry : Split(accept, ',')) {
    MediaType wanted = ParseMediaType(entry);
    if (wanted.type == "*/*" || wanted.type == "application/*")
      return {ReportKind::kVulnerability, {}};
    for (const ReportType& t : kReportTypes) {
      if (!Accepts(wanted, t.mime)) continue;
      if (t.sbom_media_type.empty()) return {t.kind, {}};
      if (!sbom_media_type)
        return {std::nullopt,
                {400, fmt::format("the SBOM report needs the sbom_media_type query parameter ({} "
                                  "or {})",
                                  kSpdxJsonMime, kCycloneDxJsonMime)}};
      for (const ReportType& s : kReportTypes)
        if (s.mime == t.mime && s.sbom_media_type == *sbom_media_type) return {s.kind, {}};
      return {std::nullopt,
              {400, fmt::format("sbom_media_type '{}' is not supported (supported: {}, {})",
                                *sbom_media_type, kSpdxJsonMime, kCycloneDxJsonMime)}};
    }
  }
  std::string produced;
  for (const ReportType& t : kReportTypes)
    if (produced.find(t.mime) == std::string::npos)
      produced += (produced.empty() ? "" : ", ") + std::string(t.mime);
  return {
      std::nullopt,
      {501, fmt::format("no report of the type '{}' (Accept); produced: {}", accept, produced)}};
}

std::string_view NegotiateMetadata(std::string_view accept) {
  bool v10 = false;
  for (std::string_view entry : Split(accept, ',')) {
    MediaType wanted = ParseMediaType(entry);
    if (Accepts(wanted, kMetadataMime11) && !wanted.version.empty()) return kMetadataMime11;
    if (wanted == ParseMediaType(kMetadataMime10)) v10 = true;
  }
  return v10 ? kMetadataMime10 : kMetadataMime11;
}

std::string MetadataJson(std::string_view mime, const ScannerInfo& scanner,
                         std::string_view database_updated_at) {
  const J consumes = {kOciManifestMime, kDockerManifestMime};
  J vulnerability = {{"type", "vulnerability"},
                     {"consumes_mime_types", consumes},
                     {"produces_mime_types", {kVulnerabilityMime, kVulnerabilityLegacyMime}}};
  J capabilities = J::array({vulnerability});
  if (SameMediaType(mime, kMetadataMime11))
    capabilities.push_back(
        {{"type", "sbom"},
         {"consumes_mime_types", consumes},
         {"produces_mime_types", {kSbomMime}},
         {"additional_attributes", {{"sbom_media_types", {kSpdxJsonMime, kCycloneDxJsonMime}}}}});
  J properties = {{"harbor.scanner-adapter/scanner-type", "os-package-vulnerability"}};
  if (!database_updated_at.empty())
    properties["harbor.scanner-adapter/vulnerability-database-updated-at"] = database_updated_at;
  J doc = {{"scanner",
            {{"name", scanner.name}, {"vendor", scanner.vendor}, {"version", scanner.version}}},
           {"capabilities", capabilities},
           {"properties", properties}};
  return CompactJson(doc);
}

std::string ErrorJson(std::string_view message) {
  return CompactJson(J{{"error", {{"message", message}}}});
}

int ClampRefreshAfter(int seconds) { return std::clamp(seconds, 1, 127); }

std::string CompactJson(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace distill::serve
