// Harbor's pluggable scanner API, v1.2 (goharbor/pluggable-scanner-spec; the spec and its
// errata are in tests/fixtures/harbor-scanner-api/): its MIME types, in one table, and the pure
// pieces of the protocol the server is made of: content negotiation, the metadata document and
// the error document. No transport here (server.cc), no scanning (the ScanService).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace distill::serve {

// Media types of the API, as the spec spells them.
inline constexpr std::string_view kMetadataMime10 =
    "application/vnd.scanner.adapter.metadata+json; version=1.0";
inline constexpr std::string_view kMetadataMime11 =
    "application/vnd.scanner.adapter.metadata+json; version=1.1";
inline constexpr std::string_view kScanRequestMime10 =
    "application/vnd.scanner.adapter.scan.request+json; version=1.0";
inline constexpr std::string_view kScanRequestMime11 =
    "application/vnd.scanner.adapter.scan.request+json; version=1.1";
inline constexpr std::string_view kScanResponseMime =
    "application/vnd.scanner.adapter.scan.response+json; version=1.0";
inline constexpr std::string_view kErrorMime =
    "application/vnd.scanner.adapter.error+json; version=1.0";
// The artifacts distill scans: single-platform image manifests (an index is scanned by Harbor
// one platform manifest at a time).
inline constexpr std::string_view kOciManifestMime = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kDockerManifestMime =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kSpdxJsonMime = "application/spdx+json";
inline constexpr std::string_view kCycloneDxJsonMime = "application/vnd.cyclonedx+json";

// The reports distill produces.
enum class ReportKind {
  kVulnerability,        // HarborVulnerabilityReport as application/vnd.security.vulnerability
                         // .report; version=1.1 (preferred_cvss, cwe_ids, vendor_attributes)
  kVulnerabilityLegacy,  // the same report as the 1.0 harbor+json type (without those fields)
  kSbomSpdx,             // HarborSbomReport with an SPDX 2.3 JSON document
  kSbomCycloneDx,        // HarborSbomReport with a CycloneDX 1.6 JSON document
};

struct ReportType {
  ReportKind kind;
  std::string_view capability;       // "vulnerability" or "sbom"
  std::string_view mime;             // what Accept names and Content-Type answers
  std::string_view sbom_media_type;  // sbom: the sbom_media_type query value; else ""
  std::string_view name;             // for logs and metrics: "vulnerability", "sbom-spdx", ...
};

// THE table of reports, in the order metadata lists them.
std::span<const ReportType> ReportTypes();
const ReportType& TypeOf(ReportKind kind);

// A media type split into its lowercase type/subtype and its version parameter:
// "Application/Foo+JSON ; version=1.1" → {"application/foo+json", "1.1"}. Other parameters are
// ignored; quotes around the version are removed.
struct MediaType {
  std::string type;
  std::string version;
  bool operator==(const MediaType&) const = default;
};
MediaType ParseMediaType(std::string_view text);
bool SameMediaType(std::string_view a, std::string_view b);

// A request the API refuses: the HTTP status and the error document's message.
struct Refusal {
  int status = 0;
  std::string message;
};

// The report an Accept header and the sbom_media_type query ask for. Accept may list several
// types (the first distill produces wins); absent, empty or */* means the 1.1 vulnerability
// report. 501: no type distill produces; 400: an SBOM without sbom_media_type, or with one
// distill does not write.
struct Negotiated {
  std::optional<ReportKind> kind;
  Refusal refusal;
};
Negotiated NegotiateReport(std::string_view accept,
                           std::optional<std::string_view> sbom_media_type);

// The metadata MIME type to answer with: 1.0 when Accept names only 1.0, else 1.1.
std::string_view NegotiateMetadata(std::string_view accept);

// The artifact a scan is about (Artifact in the spec).
struct Artifact {
  std::string repository;  // "library/mongo"
  std::string digest;      // "sha256:…": the manifest
  std::string tag;         // "" when Harbor sent none
  std::string mime_type;   // one of the two manifest types, or "" when Harbor sent none
};

// Scanner in the spec.
struct ScannerInfo {
  std::string name = "distill";
  std::string vendor = "distill";
  std::string version;
};

// The ScannerAdapterMetadata document for `mime` (one of the metadata types): the capabilities
// (1.1: vulnerability and sbom; 1.0: vulnerability only, as Harbor before 2.11 knows it) and the
// properties, with harbor.scanner-adapter/vulnerability-database-updated-at when known.
std::string MetadataJson(std::string_view mime, const ScannerInfo& scanner,
                         std::string_view database_updated_at);

// One line of JSON, invalid UTF-8 replaced (what every document of the API is written as).
std::string CompactJson(const nlohmann::ordered_json& j);

// {"error":{"message":...}} (ErrorResponse).
std::string ErrorJson(std::string_view message);

// Refresh-After in seconds as Harbor reads it (strconv.ParseInt(v, 10, 8): 1..127).
int ClampRefreshAfter(int seconds);

}  // namespace distill::serve
