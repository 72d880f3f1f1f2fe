#include "serve/api/scan_request.h"

#include <gtest/gtest.h>

#include "serve/api/testing/schema_check.h"

namespace distill::serve {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'c');

// What Harbor 2.11 sends for a scan of both kinds (registry.authorization from a robot account).
std::string HarborRequest() {
  return R"({"registry":{"url":"http://core:8080","authorization":"Basic cm9ib3Q6c2VjcmV0"},)"
         R"("artifact":{"repository":"library/mongo","digest":")" +
         kDigest +
         R"(","tag":"3.14-xenial","mime_type":"application/vnd.docker.distribution.manifest.v2+json"},)"
         R"("enabled_capabilities":[{"type":"vulnerability","produces_mime_types":)"
         R"(["application/vnd.security.vulnerability.report; version=1.1"]},)"
         R"({"type":"sbom","produces_mime_types":["application/vnd.security.sbom.report+json; version=1.0"],)"
         R"("parameters":{"sbom_media_types":["application/spdx+json"]}}]})";
}

TEST(ServeScanRequest, HarborsRequestParses) {
  ASSERT_EQ(testing::HarborSchemaErrors("ScanRequest", {HarborRequest()}), "");
  ScanRequest r;
  auto refusal = ParseScanRequest(HarborRequest(), &r);
  ASSERT_FALSE(refusal) << refusal->message;
  EXPECT_EQ(r.registry_url, "http://core:8080");
  EXPECT_EQ(r.authorization, "Basic cm9ib3Q6c2VjcmV0");
  EXPECT_EQ(r.artifact.repository, "library/mongo");
  EXPECT_EQ(r.artifact.digest, kDigest);
  EXPECT_EQ(r.artifact.tag, "3.14-xenial");
  EXPECT_EQ(r.artifact.mime_type, "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(r.reports,
            (std::vector<ReportKind>{ReportKind::kVulnerability, ReportKind::kSbomSpdx}));
}

TEST(ServeScanRequest, CapabilitiesSelectReports) {
  auto reports = [](const std::string& caps) {
    ScanRequest r;
    std::string body =
        R"({"registry":{"url":"https://h"},"artifact":{"repository":"a","digest":")" + kDigest +
        "\"}" + caps + "}";
    auto refusal = ParseScanRequest(body, &r);
    EXPECT_FALSE(refusal) << refusal->message;
    return r.reports;
  };
  using K = ReportKind;
  // Absent: everything (the spec's backward compatibility).
  EXPECT_EQ(reports(""), (std::vector<K>{K::kVulnerability, K::kVulnerabilityLegacy, K::kSbomSpdx,
                                         K::kSbomCycloneDx}));
  EXPECT_EQ(reports(R"(,"enabled_capabilities":null)").size(), 4u);
  EXPECT_EQ(reports(R"(,"enabled_capabilities":[{"type":"vulnerability"}])"),
            (std::vector<K>{K::kVulnerability, K::kVulnerabilityLegacy}));
  EXPECT_EQ(reports(R"(,"enabled_capabilities":[{"type":"sbom","parameters":null}])"),
            (std::vector<K>{K::kSbomSpdx, K::kSbomCycloneDx}));
  EXPECT_EQ(reports(R"(,"enabled_capabilities":[{"type":"vulnerability","produces_mime_types":)"
                    R"(["application/vnd.scanner.adapter.vuln.report.harbor+json;version=1.0"]}])"),
            (std::vector<K>{K::kVulnerabilityLegacy}));
  EXPECT_EQ(reports(R"(,"enabled_capabilities":[{"type":"sbom","parameters":{"sbom_media_types":)"
                    R"(["application/vnd.cyclonedx+json"]}}])"),
            (std::vector<K>{K::kSbomCycloneDx}));
}

struct Bad {
  std::string body;
  int status;
  std::string message;
};

TEST(ServeScanRequest, RefusalsNameTheField) {
  const std::string ok_registry = R"("registry":{"url":"http://core:8080"})";
  const std::string artifact =
      R"("artifact":{"repository":"library/app","digest":")" + kDigest + "\"}";
  auto with_caps = [&](const std::string& caps) {
    return "{" + ok_registry + "," + artifact + ",\"enabled_capabilities\":" + caps + "}";
  };
  auto with_artifact = [&](const std::string& fields) {
    return "{" + ok_registry + ",\"artifact\":{" + fields + "}}";
  };
  const std::string d = "\"digest\":\"" + kDigest + "\"";
  const std::vector<Bad> cases = {
      {"", 400, "request body is empty"},
      {" \n", 400, "request body is empty"},
      {"{\"registry\":", 400,
       "request body is not JSON: [json.exception.parse_error.101] parse error at line 1, column "
       "13: syntax error while parsing value - unexpected end of input; expected '[', '{', or a "
       "literal"},
      {"[]", 400, "request body: want an object, got array"},
      {"{" + artifact + "}", 422, "registry: missing"},
      {"{\"registry\":[]," + artifact + "}", 400, "registry: want an object, got array"},
      {"{" + ok_registry + "}", 422, "artifact: missing"},
      {"{\"registry\":{}," + artifact + "}", 422, "registry.url: missing"},
      {"{\"registry\":{\"url\":5}," + artifact + "}", 400,
       "registry.url: want a string, got number"},
      {"{\"registry\":{\"url\":\"ftp://x\"}," + artifact + "}", 422,
       "registry.url: 'ftp://x' is not an http:// or https:// URL"},
      {"{\"registry\":{\"url\":\"http://\"}," + artifact + "}", 422,
       "registry.url: 'http://' is not an http:// or https:// URL"},
      {"{\"registry\":{\"url\":\"http://h\",\"authorization\":\"Basic x\\r\\nX-Evil: 1\"}," +
           artifact + "}",
       422, "registry.authorization: contains control characters"},
      {"{\"registry\":{\"url\":\"http://h\",\"authorization\":true}," + artifact + "}", 400,
       "registry.authorization: want a string, got boolean"},
      {with_artifact("\"repository\":\"library/app\""), 422, "artifact.digest: missing"},
      {with_artifact(d), 422, "artifact.repository: missing"},
      {with_artifact("\"repository\":\"Library/App\"," + d), 422,
       "artifact.repository: 'Library/App' is not a repository name (lowercase letters, digits and "
       ". _ - / only)"},
      {with_artifact("\"repository\":\"app:1\"," + d), 422,
       "artifact.repository: 'app:1' is not a repository name (lowercase letters, digits and . _ "
       "- / only)"},
      {with_artifact("\"repository\":\"app\",\"digest\":\"sha256:abc\""), 422,
       "artifact.digest: invalid digest 'sha256:abc': want 64 hex digits"},
      {with_artifact("\"repository\":\"app\",\"digest\":\"md5:abc\""), 422,
       "artifact.digest: unsupported digest algorithm 'md5' in 'md5:abc'"},
      {with_artifact("\"repository\":\"app\"," + d + ",\"tag\":\"-x\""), 422,
       "artifact.tag: '-x' is not a tag"},
      {with_artifact("\"repository\":\"app\"," + d +
                     ",\"mime_type\":\"application/vnd.oci.image.index.v1+json\""),
       501,
       "artifact.mime_type: 'application/vnd.oci.image.index.v1+json' is not scanned (scanned: "
       "application/vnd.oci.image.manifest.v1+json, "
       "application/vnd.docker.distribution.manifest.v2+json)"},
      {with_caps("{}"), 400, "enabled_capabilities: want an array, got object"},
      {with_caps("[]"), 422, "enabled_capabilities: empty"},
      {with_caps("[7]"), 400, "enabled_capabilities[0]: want an object, got number"},
      {with_caps("[{}]"), 422, "enabled_capabilities[0].type: missing"},
      {with_caps("[{\"type\":\"malware\"}]"), 501,
       "enabled_capabilities[0].type: capability 'malware' is not supported (supported: "
       "vulnerability, sbom)"},
      {with_caps("[{\"type\":\"vulnerability\",\"produces_mime_types\":"
                 "[\"application/vnd.scanner.adapter.vuln.report.raw\"]}]"),
       501,
       "enabled_capabilities[0].produces_mime_types: "
       "'application/vnd.scanner.adapter.vuln.report.raw' is not produced for vulnerability"},
      {with_caps("[{\"type\":\"vulnerability\",\"produces_mime_types\":"
                 "[\"application/vnd.security.sbom.report+json; version=1.0\"]}]"),
       501,
       "enabled_capabilities[0].produces_mime_types: "
       "'application/vnd.security.sbom.report+json; version=1.0' is not produced for "
       "vulnerability"},
      {with_caps("[{\"type\":\"sbom\",\"produces_mime_types\":[1]}]"), 400,
       "enabled_capabilities[0].produces_mime_types[0]: want a string, got number"},
      {with_caps("[{\"type\":\"sbom\",\"parameters\":{\"sbom_media_types\":[\"text/spdx\"]}}]"),
       501,
       "enabled_capabilities[0].parameters.sbom_media_types: 'text/spdx' is not produced "
       "(produced: application/spdx+json, application/vnd.cyclonedx+json)"},
      {with_caps("[{\"type\":\"sbom\",\"parameters\":[]}]"), 400,
       "enabled_capabilities[0].parameters: want an object, got array"},
  };
  for (const Bad& c : cases) {
    SCOPED_TRACE(c.body);
    ScanRequest r;
    auto refusal = ParseScanRequest(c.body, &r);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->status, c.status);
    EXPECT_EQ(refusal->message, c.message);
  }
}

TEST(ServeScanRequest, LongValuesAreCutInMessages) {
  ScanRequest r;
  std::string body = R"({"registry":{"url":"http://h"},"artifact":{"repository":"app","digest":")" +
                     std::string(5000, 'x') + "\"}}";
  auto refusal = ParseScanRequest(body, &r);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 422);
  EXPECT_EQ(refusal->message,
            "artifact.digest: '" + std::string(200, 'x') + "...' (5000 bytes) is not a digest");
}

TEST(ServeScanRequest, TheCredentialIsNeverInAMessage) {
  ScanRequest r;
  auto refusal = ParseScanRequest(
      R"({"registry":{"url":"gopher://h","authorization":"Bearer TOPSECRET"},"artifact":{}})", &r);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->message.find("TOPSECRET"), std::string::npos) << refusal->message;
}

TEST(ServeScanRequest, ContentTypes) {
  EXPECT_FALSE(
      CheckScanRequestType("application/vnd.scanner.adapter.scan.request+json; version=1.1"));
  EXPECT_FALSE(
      CheckScanRequestType("application/vnd.scanner.adapter.scan.request+json; version=1.0"));
  EXPECT_FALSE(CheckScanRequestType("application/vnd.scanner.adapter.scan.request+json"));
  EXPECT_FALSE(CheckScanRequestType("application/json; charset=utf-8"));
  auto v2 = CheckScanRequestType("application/vnd.scanner.adapter.scan.request+json; version=2.0");
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->status, 501);
  EXPECT_EQ(v2->message, "scan request version '2.0' is not supported (supported: 1.0, 1.1)");
  auto form = CheckScanRequestType("application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  EXPECT_EQ(form->message,
            "Content-Type 'application/x-www-form-urlencoded' is not a scan request (want "
            "application/vnd.scanner.adapter.scan.request+json; version=1.1)");
  EXPECT_EQ(CheckScanRequestType("")->status, 415);
}

}  // namespace
}  // namespace distill::serve
