#include "serve/api/report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sbom/testing/sample_sbom.h"
#include "serve/api/testing/sample_findings.h"
#include "serve/api/testing/schema_check.h"

namespace distill::serve {
namespace {

using J = nlohmann::json;
using testing::SampleContext;
using testing::SampleFindings;

J Parse(const std::string& text) { return J::parse(text); }

TEST(ServeReport, VulnerabilityReportMapsEveryFinding) {
  J doc = Parse(
      RenderVulnerabilityReport(SampleContext(), SampleFindings(), ReportKind::kVulnerability));
  EXPECT_EQ(doc["generated_at"], "2024-12-08T00:00:00Z");
  EXPECT_EQ(doc["artifact"],
            J({{"repository", "library/app"},
               {"digest", "sha256:" + std::string(64, 'a')},
               {"tag", "1.0"},
               {"mime_type", "application/vnd.docker.distribution.manifest.v2+json"}}));
  EXPECT_EQ(doc["scanner"], J({{"name", "distill"}, {"vendor", "distill"}, {"version", "0.1.0"}}));
  EXPECT_EQ(doc["severity"], "Critical");  // the highest
  const J& v = doc["vulnerabilities"];
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[0]["id"], "CVE-2023-5678");
  EXPECT_EQ(v[0]["package"], "libssl3");
  EXPECT_EQ(v[0]["version"], "3.0.11-1~deb12u1");
  EXPECT_EQ(v[0]["fix_version"], "3.0.13-1~deb12u1");
  EXPECT_EQ(v[0]["severity"], "Medium");
  EXPECT_EQ(v[0]["links"], J({"https://security-tracker.debian.org/tracker/CVE-2023-5678",
                              "https://nvd.nist.gov/vuln/detail/CVE-2023-5678"}));
  EXPECT_EQ(v[0]["preferred_cvss"],
            J({{"score_v3", 5.3}, {"vector_v3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"}}));
  EXPECT_EQ(v[0]["cwe_ids"], J::array());
  EXPECT_EQ(v[0]["vendor_attributes"]["source"], "openssl");
  EXPECT_EQ(v[0]["vendor_attributes"]["status"], "fixed");
  EXPECT_EQ(v[1]["fix_version"], "");
  EXPECT_EQ(v[1]["vendor_attributes"]["status"], "won't fix");
  // Several fixes, as `distill scan` lists them; the NVD link is not repeated.
  EXPECT_EQ(v[2]["fix_version"], "2.2.5, 2.3.2");
  EXPECT_EQ(v[2]["links"].size(), 2u);
  // A v4 score has no field in CVSSDetails.
  EXPECT_EQ(v[2]["preferred_cvss"], J::object());
  EXPECT_EQ(v[2]["vendor_attributes"]["cvssV4"]["score"], 8.7);
  EXPECT_EQ(v[2]["vendor_attributes"]["vexStatus"], "affected");
  EXPECT_EQ(v[3]["preferred_cvss"],
            J({{"score_v2", 7.5}, {"vector_v2", "AV:N/AC:L/Au:N/C:P/I:P/A:P"}}));
  EXPECT_EQ(v[4]["severity"], "Unknown");
  EXPECT_EQ(v[4]["description"],
            "not UTF-8: \xef\xbf\xbd\xef\xbf\xbd and a quote \" and a newline\n");
}

TEST(ServeReport, LegacyReportHasOnlyTheOneZeroFields) {
  J doc = Parse(RenderVulnerabilityReport(SampleContext(), SampleFindings(),
                                          ReportKind::kVulnerabilityLegacy));
  for (const J& item : doc["vulnerabilities"]) {
    std::vector<std::string> keys;
    for (const auto& [k, _] : item.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"description", "fix_version", "id", "links",
                                              "package", "severity", "version"}));
  }
}

TEST(ServeReport, NoFindingsIsAnEmptyListOfUnknownSeverity) {
  ReportContext c = SampleContext();
  c.artifact.tag = c.artifact.mime_type = "";
  c.generated_at = 0;
  EXPECT_EQ(RenderVulnerabilityReport(c, {}, ReportKind::kVulnerability),
            R"({"generated_at":"1970-01-01T00:00:00Z","artifact":{"repository":"library/app",)"
            R"("digest":"sha256:)" +
                std::string(64, 'a') +
                R"("},"scanner":{"name":"distill","vendor":"distill","version":"0.1.0"},)"
                R"("severity":"Unknown","vulnerabilities":[]})");
}

TEST(ServeReport, SbomReportEmbedsTheEncodersDocument) {
  auto spdx = RenderSbomReport(SampleContext(), sbom::testing::SampleSbom(), ReportKind::kSbomSpdx);
  ASSERT_TRUE(spdx.ok()) << spdx.error().message;
  J s = Parse(*spdx);
  EXPECT_EQ(s["media_type"], "application/spdx+json");
  EXPECT_EQ(s["sbom"]["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(s["vendor_attributes"], J({{"format", "spdx-json"}, {"formatVersion", "2.3"}}));
  auto cdx =
      RenderSbomReport(SampleContext(), sbom::testing::SampleSbom(), ReportKind::kSbomCycloneDx);
  ASSERT_TRUE(cdx.ok()) << cdx.error().message;
  J c = Parse(*cdx);
  EXPECT_EQ(c["media_type"], "application/vnd.cyclonedx+json");
  EXPECT_EQ(c["sbom"]["bomFormat"], "CycloneDX");
  EXPECT_EQ(c["sbom"]["specVersion"], "1.6");
  auto wrong =
      RenderSbomReport(SampleContext(), sbom::testing::SampleSbom(), ReportKind::kVulnerability);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "report kind vulnerability is not an SBOM");
}

// Every report validates against the spec's component schema, and the SBOM inside against the
// official SPDX 2.3 and CycloneDX 1.6 schemas.
TEST(ServeReport, ReportsValidateAgainstTheSpecAndTheSbomSchemas) {
  std::vector<std::string> vulnerability;
  for (ReportKind kind : {ReportKind::kVulnerability, ReportKind::kVulnerabilityLegacy}) {
    vulnerability.push_back(RenderVulnerabilityReport(SampleContext(), SampleFindings(), kind));
    vulnerability.push_back(RenderVulnerabilityReport(SampleContext(), {}, kind));
  }
  EXPECT_EQ(testing::HarborSchemaErrors("HarborVulnerabilityReport", vulnerability), "");
  std::vector<std::string> reports;
  for (ReportKind kind : {ReportKind::kSbomSpdx, ReportKind::kSbomCycloneDx}) {
    auto r = RenderSbomReport(SampleContext(), sbom::testing::SampleSbom(), kind);
    ASSERT_TRUE(r.ok()) << r.error().message;
    reports.push_back(*r);
  }
  EXPECT_EQ(testing::HarborSchemaErrors("HarborSbomReport", reports), "");
  EXPECT_EQ(
      testing::SbomSchemaErrors("spdx/spdx-schema-v2.3.json", {Parse(reports[0])["sbom"].dump()}),
      "");
  EXPECT_EQ(testing::SbomSchemaErrors("cyclonedx/bom-1.6.schema.json",
                                      {Parse(reports[1])["sbom"].dump()}),
            "");
}

// The validator can fail: a severity outside the spec's enum, a misspelt field, a date that is not
// RFC 3339.
TEST(ServeReport, TheValidatorRejectsWhatTheSpecForbids) {
  J doc = Parse(
      RenderVulnerabilityReport(SampleContext(), SampleFindings(), ReportKind::kVulnerability));
  J severe = doc, misspelt = doc, date = doc;
  severe["vulnerabilities"][0]["severity"] = "Severe";
  misspelt["vulnerabilities"][0]["fix_versoin"] = "1";
  date["generated_at"] = "2024-12-08 00:00:00";
  for (const J& bad : {severe, misspelt, date})
    EXPECT_NE(testing::HarborSchemaErrors("HarborVulnerabilityReport", {bad.dump()}), "")
        << bad.dump();
}

}  // namespace
}  // namespace distill::serve
