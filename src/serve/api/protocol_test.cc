#include "serve/api/protocol.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve/api/auth.h"
#include "serve/api/testing/schema_check.h"

namespace distill::serve {
namespace {

using J = nlohmann::json;

TEST(ServeProtocol, MediaTypesCompareByTypeAndVersion) {
  EXPECT_EQ(ParseMediaType(" Application/Foo+JSON ;charset=utf-8; Version=\"1.1\" "),
            (MediaType{"application/foo+json", "1.1"}));
  EXPECT_EQ(ParseMediaType("text/plain"), (MediaType{"text/plain", ""}));
  EXPECT_TRUE(SameMediaType("application/vnd.security.vulnerability.report;version=1.1",
                            "application/vnd.security.vulnerability.report; version=1.1"));
  EXPECT_FALSE(SameMediaType("application/vnd.security.vulnerability.report; version=1.0",
                             "application/vnd.security.vulnerability.report; version=1.1"));
}

struct NegotiationCase {
  const char* accept;
  std::optional<std::string_view> sbom_media_type;
  std::optional<ReportKind> kind;
  int status;  // when no kind
};

TEST(ServeProtocol, ReportNegotiation) {
  const std::string_view spdx = "application/spdx+json", cdx = "application/vnd.cyclonedx+json";
  const NegotiationCase cases[] = {
      {"application/vnd.security.vulnerability.report; version=1.1",
       {},
       ReportKind::kVulnerability,
       0},
      {"application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0",
       {},
       ReportKind::kVulnerabilityLegacy,
       0},
      {"application/vnd.security.sbom.report+json; version=1.0", spdx, ReportKind::kSbomSpdx, 0},
      {"application/vnd.security.sbom.report+json; version=1.0", cdx, ReportKind::kSbomCycloneDx,
       0},
      {"", {}, ReportKind::kVulnerability, 0},
      {"*/*", {}, ReportKind::kVulnerability, 0},
      // The first type distill produces wins.
      {"application/vnd.scanner.adapter.vuln.report.raw, "
       "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0",
       {},
       ReportKind::kVulnerabilityLegacy,
       0},
      // The query only matters for the SBOM.
      {"application/vnd.security.vulnerability.report; version=1.1", "x",
       ReportKind::kVulnerability, 0},
      {"application/vnd.security.sbom.report+json; version=1.0", {}, {}, 400},
      {"application/vnd.security.sbom.report+json; version=1.0", "application/xml", {}, 400},
      {"application/vnd.scanner.adapter.vuln.report.raw", {}, {}, 501},
      {"application/vnd.security.vulnerability.report; version=2.0", {}, {}, 501},
      {"application/json", {}, {}, 501},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.accept) + " ? " + std::string(c.sbom_media_type.value_or("-")));
    Negotiated n = NegotiateReport(c.accept, c.sbom_media_type);
    EXPECT_EQ(n.kind, c.kind);
    if (!c.kind) {
      EXPECT_EQ(n.refusal.status, c.status);
    }
  }
  EXPECT_EQ(
      NegotiateReport("application/vnd.security.sbom.report+json; version=1.0", {}).refusal.message,
      "the SBOM report needs the sbom_media_type query parameter (application/spdx+json or "
      "application/vnd.cyclonedx+json)");
  EXPECT_EQ(NegotiateReport("text/html", {}).refusal.message,
            "no report of the type 'text/html' (Accept); produced: "
            "application/vnd.security.vulnerability.report; version=1.1, "
            "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0, "
            "application/vnd.security.sbom.report+json; version=1.0");
}

TEST(ServeProtocol, MetadataVersions) {
  EXPECT_EQ(NegotiateMetadata(""), kMetadataMime11);
  EXPECT_EQ(NegotiateMetadata("application/vnd.scanner.adapter.metadata+json; version=1.0"),
            kMetadataMime10);
  EXPECT_EQ(NegotiateMetadata("application/vnd.scanner.adapter.metadata+json; version=1.1"),
            kMetadataMime11);
  EXPECT_EQ(NegotiateMetadata("application/vnd.scanner.adapter.metadata+json; version=1.0, "
                              "application/vnd.scanner.adapter.metadata+json; version=1.1"),
            kMetadataMime11);

  ScannerInfo scanner{"distill", "distill", "0.1.0"};
  J v11 = J::parse(MetadataJson(kMetadataMime11, scanner, "2026-12-01T10:00:00Z"));
  ASSERT_EQ(v11["capabilities"].size(), 2u);
  EXPECT_EQ(v11["capabilities"][0]["type"], "vulnerability");
  EXPECT_EQ(v11["capabilities"][0]["produces_mime_types"],
            J({"application/vnd.security.vulnerability.report; version=1.1",
               "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"}));
  EXPECT_EQ(v11["capabilities"][1]["produces_mime_types"],
            J({"application/vnd.security.sbom.report+json; version=1.0"}));
  EXPECT_EQ(v11["capabilities"][1]["additional_attributes"]["sbom_media_types"],
            J({"application/spdx+json", "application/vnd.cyclonedx+json"}));
  EXPECT_EQ(v11["properties"]["harbor.scanner-adapter/vulnerability-database-updated-at"],
            "2026-12-01T10:00:00Z");
  std::string v10 = MetadataJson(kMetadataMime10, scanner, "");
  EXPECT_EQ(J::parse(v10)["capabilities"].size(), 1u);
  EXPECT_FALSE(J::parse(v10)["properties"].contains(
      "harbor.scanner-adapter/vulnerability-database-updated-at"));
  EXPECT_EQ(testing::HarborSchemaErrors("ScannerAdapterMetadata", {v11.dump(), v10}), "");
}

TEST(ServeProtocol, ErrorDocumentNeverThrows) {
  EXPECT_EQ(ErrorJson("bad \"x\"\n"), R"({"error":{"message":"bad \"x\"\n"}})");
  EXPECT_EQ(ErrorJson("\xff"), "{\"error\":{\"message\":\"\xef\xbf\xbd\"}}");
  EXPECT_EQ(testing::HarborSchemaErrors("ErrorResponse", {ErrorJson("x")}), "");
}

TEST(ServeProtocol, RefreshAfterFitsHarborsEightBitParse) {
  EXPECT_EQ(ClampRefreshAfter(-5), 1);
  EXPECT_EQ(ClampRefreshAfter(0), 1);
  EXPECT_EQ(ClampRefreshAfter(30), 30);
  EXPECT_EQ(ClampRefreshAfter(127), 127);
  EXPECT_EQ(ClampRefreshAfter(128), 127);
  EXPECT_EQ(ClampRefreshAfter(1 << 30), 127);
}

TEST(ServeAuth, OneSecretThreeWays) {
  // base64("harbor:s3cret") and base64("harbor:wrong").
  const std::string basic_ok = "Basic aGFyYm9yOnMzY3JldA==", basic_bad = "Basic aGFyYm9yOndyb25n";
  EXPECT_TRUE(Authorized("harbor:s3cret", basic_ok, ""));
  EXPECT_TRUE(Authorized("harbor:s3cret", "basic  aGFyYm9yOnMzY3JldA== ", ""));
  EXPECT_FALSE(Authorized("harbor:s3cret", basic_bad, ""));
  EXPECT_FALSE(Authorized("harbor:s3cret", "Basic !!notbase64", ""));
  EXPECT_TRUE(Authorized("harbor:s3cret", "Bearer harbor:s3cret", ""));
  EXPECT_FALSE(Authorized("harbor:s3cret", "Bearer harbor:s3cre", ""));
  EXPECT_FALSE(Authorized("harbor:s3cret", "Bearer harbor:s3cretX", ""));
  EXPECT_TRUE(Authorized("harbor:s3cret", "", "harbor:s3cret"));
  EXPECT_FALSE(Authorized("harbor:s3cret", "", "harbor"));
  EXPECT_FALSE(Authorized("harbor:s3cret", "Digest harbor:s3cret", ""));
  EXPECT_FALSE(Authorized("harbor:s3cret", "harbor:s3cret", ""));
  EXPECT_FALSE(Authorized("harbor:s3cret", "", ""));
  // No secret configured: no authentication.
  EXPECT_TRUE(Authorized("", "", ""));
}

}  // namespace
}  // namespace distill::serve
