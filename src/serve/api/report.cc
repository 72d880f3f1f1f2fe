#include "serve/api/report.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sbom/formats.h"

namespace distill::serve {

namespace {

using J = nlohmann::ordered_json;
using vuln::match::Finding;
using Level = vuln::match::Level;

J ArtifactJson(const Artifact& a) {
  J j = {{"repository", a.repository}, {"digest", a.digest}};
  if (!a.tag.empty()) j["tag"] = a.tag;
  if (!a.mime_type.empty()) j["mime_type"] = a.mime_type;
  return j;
}

J Head(const ReportContext& context) {
  const ScannerInfo& s = context.scanner;
  return {{"generated_at", sbom::FormatTimestamp(context.generated_at)},
          {"artifact", ArtifactJson(context.artifact)},
          {"scanner", {{"name", s.name}, {"vendor", s.vendor}, {"version", s.version}}}};
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

// The advisories' URLs, and NVD's page for a CVE when no advisory is NVD's.
std::vector<std::string> Links(const Finding& f) {
  std::vector<std::string> links = f.advisories;
  if (f.id.starts_with("CVE-")) {
    std::string nvd = "https://nvd.nist.gov/vuln/detail/" + f.id;
    if (std::find(links.begin(), links.end(), nvd) == links.end()) links.push_back(nvd);
  }
  return links;
}

// CVSSDetails: v3 and v2 by the vector's form. A v4 score has no field there (vendor_attributes).
J PreferredCvss(const Finding& f) {
  J j = J::object();
  bool v3 = f.cvss_vector.starts_with("CVSS:3") ||
            (f.cvss_vector.empty() && f.severity_type == "CVSS_V3");
  bool v2 = !f.cvss_vector.empty() && !f.cvss_vector.starts_with("CVSS:");
  if (f.score >= 0 && v3) j["score_v3"] = f.score;
  if (v3 && !f.cvss_vector.empty()) j["vector_v3"] = f.cvss_vector;
  if (f.score >= 0 && v2) j["score_v2"] = f.score;
  if (v2) j["vector_v2"] = f.cvss_vector;
  return j;
}

// What distill knows beyond the spec's fields, under the names `distill scan -o json` uses.
J VendorAttributes(const Finding& f) {
  J j = {{"ids", f.ids},
         {"type", f.type},
         {"purl", f.purl},
         {"status", f.StatusText()},
         {"ecosystem", f.ecosystem},
         {"severitySource", f.severity_source},
         {"dataSources", f.sources}};
  if (!f.location.empty()) j["location"] = f.location;
  if (!f.via_source.empty()) j["source"] = f.via_source;
  if (f.cvss_vector.starts_with("CVSS:4"))
    j["cvssV4"] = {{"score", f.score}, {"vector", f.cvss_vector}};
  if (!f.vex_status.empty()) j["vexStatus"] = f.vex_status;
  return j;
}

J Item(const Finding& f, ReportKind kind) {
  J j = {{"id", f.id},
         {"package", f.package},
         {"version", f.version},
         {"fix_version", Join(f.fixed_versions, ", ")},
         {"severity", HarborSeverity(f.severity)},
         {"description", f.summary},
         {"links", Links(f)}};
  if (kind == ReportKind::kVulnerabilityLegacy) return j;
  j["preferred_cvss"] = PreferredCvss(f);
  j["cwe_ids"] = J::array();  // the advisory database records no CWE ids
  j["vendor_attributes"] = VendorAttributes(f);
  return j;
}

}  // namespace

std::string_view HarborSeverity(Level level) {
  switch (level) {
    case Level::kLow:
      return "Low";
    case Level::kMedium:
      return "Medium";
    case Level::kHigh:
      return "High";
    case Level::kCritical:
      return "Critical";
    case Level::kUnknown:
      break;
  }
  return "Unknown";
}

std::string RenderVulnerabilityReport(const ReportContext& context,
                                      const std::vector<Finding>& findings, ReportKind kind) {
  Level highest = Level::kUnknown;
  J items = J::array();
  for (const Finding& f : findings) {
    highest = std::max(highest, f.severity);
    items.push_back(Item(f, kind));
  }
  J doc = Head(context);
  doc["severity"] = HarborSeverity(highest);
  doc["vulnerabilities"] = std::move(items);
  return CompactJson(doc);
}

Result<std::string> RenderSbomReport(const ReportContext& context, const sbom::Sbom& sbom,
                                     ReportKind kind) {
  const ReportType& type = TypeOf(kind);
  if (type.capability != "sbom") return InternalErrorf("report kind {} is not an SBOM", type.name);
  std::string_view format = kind == ReportKind::kSbomSpdx ? "spdx-json@2.3" : "cyclonedx-json@1.6";
  DISTILL_TRY(auto spec, sbom::ParseOutputSpec(format));
  DISTILL_TRY(std::string document, sbom::EncodeToString(sbom, spec));
  J doc = Head(context);
  doc["vendor_attributes"] = {{"format", spec.encoder->id}, {"formatVersion", spec.version}};
  doc["media_type"] = type.sbom_media_type;
  doc["sbom"] = J::parse(document, nullptr, false);
  if (doc["sbom"].is_discarded())
    return InternalErrorf("{} encoder wrote JSON that does not parse", spec.encoder->id);
  return CompactJson(doc);
}

}  // namespace distill::serve
