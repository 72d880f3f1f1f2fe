#include "vuln/scan/suppress.h"

#include <gtest/gtest.h>

namespace distill::vuln::scan {
namespace {

match::Finding F(std::string pkg, std::string version, std::string purl,
                 std::vector<std::string> ids) {
  match::Finding f;
  f.package = std::move(pkg), f.version = std::move(version), f.purl = std::move(purl);
  f.ids = std::move(ids);
  f.id = f.ids.front();
  return f;
}

std::vector<match::Finding> Sample() {
  return {F("Flask", "2.1.2", "pkg:pypi/flask@2.1.2", {"CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"}),
          F("putty", "0.74-1", "pkg:deb/debian/putty@0.74-1?arch=amd64&distro=debian-11",
            {"CVE-2021-36367"}),
          F("libsope1", "5.0.1-2+b1", "pkg:deb/debian/libsope1@5.0.1-2%2Bb1?arch=amd64",
            {"CVE-2025-53603"})};
}

TEST(VulnSuppress, IgnoreFileRules) {
  auto rules = ParseIgnoreFile(R"(ignore:
  - id: GHSA-m2qf-hxjv-5gpq     # an alias matches too
    reason: sessions are not permanent here
  - id: CVE-2021-36367
    package: PuTTY
    expires: 2020-01-31
  - id: CVE-2025-53603
    purl: pkg:deb/debian/libsope1
)",
                               ".distill-ignore.yaml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  ASSERT_EQ(rules->size(), 3u);
  EXPECT_EQ((*rules)[1].where, ".distill-ignore.yaml:4");
  auto r = Apply(Sample(), *rules, {}, "2026-11-23");
  ASSERT_EQ(r.suppressed.size(), 2u);
  EXPECT_EQ(r.suppressed[0].finding.package, "Flask");
  EXPECT_EQ(r.suppressed[0].by, "ignore-file");
  EXPECT_EQ(r.suppressed[0].reason, "sessions are not permanent here");
  EXPECT_EQ(r.suppressed[1].finding.package, "libsope1");
  ASSERT_EQ(r.kept.size(), 1u);  // the expired rule does not apply, and says so
  EXPECT_EQ(r.kept[0].package, "putty");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            ".distill-ignore.yaml:4: the ignore rule for CVE-2021-36367 expired on 2020-01-31; not "
            "applied");
  // Before its expiry day (inclusive) it applies.
  EXPECT_EQ(Apply(Sample(), *rules, {}, "2020-01-31").kept.size(), 0u);
}

TEST(VulnSuppress, IgnoreRuleNeedsEveryGivenField) {
  auto rules = ParseIgnoreFile(
      "ignore:\n  - id: CVE-2023-30861\n    package: django\n"
      "  - id: CVE-2025-53603\n    purl: pkg:deb/debian/libsope1@9.9\n",
      "f");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(Apply(Sample(), *rules, {}, "2026-01-01").kept.size(), 3u);
}

TEST(VulnSuppress, IgnoreFileErrorsNameTheLine) {
  auto e = ParseIgnoreFile("ignore:\n  - id: CVE-1\n    pakage: x\n", "ig.yaml");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            "ig.yaml:3: unknown key \"pakage\" (id, package, purl, expires, reason)");
  e = ParseIgnoreFile("ignore:\n  - package: x\n", "ig.yaml");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "ig.yaml:2: ignore entry without `id`");
  e = ParseIgnoreFile("ignore:\n  - id: CVE-1\n    expires: next week\n", "ig.yaml");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "ig.yaml:2: expires: \"next week\" is not a date (YYYY-MM-DD)");
  e = ParseIgnoreFile("vulnerabilities: []\n", "ig.yaml");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "ig.yaml:1: unknown key \"vulnerabilities\" (expected `ignore`)");
  e = ParseIgnoreFile("ignore: [\n", "ig.yaml");
  EXPECT_FALSE(e.ok());
  EXPECT_TRUE(ParseIgnoreFile("", "empty.yaml").ok());
}

// An OpenVEX v0.2.0 document as vexctl writes it.
constexpr const char* kVex = R"({
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://openvex.dev/docs/public/vex-example",
  "author": "Example Security Team",
  "timestamp": "2024-01-01T00:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2023-30861", "aliases": ["GHSA-m2qf-hxjv-5gpq"]},
     "products": [{"@id": "pkg:oci/app@sha256%3Aabc", "subcomponents": [{"@id": "pkg:pypi/flask@2.1.2"}]}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
     "impact_statement": "sessions are never permanent"},
    {"vulnerability": {"name": "CVE-2021-36367"},
     "products": [{"@id": "pkg:oci/app@sha256%3Aabc"}],
     "status": "under_investigation"},
    {"vulnerability": {"name": "CVE-2025-53603"},
     "products": [{"@id": "pkg:deb/debian/libsope1"}],
     "status": "fixed", "timestamp": "2024-02-01T00:00:00Z"},
    {"vulnerability": {"name": "CVE-2025-53603"},
     "products": [{"@id": "pkg:deb/debian/libsope1"}],
     "status": "affected", "action_statement": "upgrade", "timestamp": "2024-01-15T00:00:00Z"}
  ]
})";

TEST(VulnSuppress, OpenVex) {
  auto vex = ParseOpenVex(kVex, "app.vex.json");
  ASSERT_TRUE(vex.ok()) << vex.error().message;
  ASSERT_EQ(vex->size(), 4u);
  EXPECT_TRUE((*vex)[1].any_package);
  auto r = Apply(Sample(), {}, *vex, "2026-01-01");
  ASSERT_EQ(r.suppressed.size(), 2u);
  EXPECT_EQ(r.suppressed[0].finding.package, "Flask");
  EXPECT_EQ(r.suppressed[0].by, "vex");
  EXPECT_EQ(r.suppressed[0].status, "not_affected");
  EXPECT_EQ(r.suppressed[0].reason,
            "vulnerable_code_not_in_execute_path: sessions are never permanent");
  EXPECT_EQ(r.suppressed[1].finding.package, "libsope1");  // the later statement (fixed) wins
  EXPECT_EQ(r.suppressed[1].status, "fixed");
  ASSERT_EQ(r.kept.size(), 1u);
  EXPECT_EQ(r.kept[0].package, "putty");  // under investigation: kept, and marked
  EXPECT_EQ(r.kept[0].vex_status, "under_investigation");
}

TEST(VulnSuppress, OpenVexOnlyMatchingPackages) {
  auto vex = ParseOpenVex(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-2023-30861"}, "products": [{"@id": "pkg:pypi/flask@3.0.0"}],
     "status": "not_affected", "justification": "component_not_present"},
    {"vulnerability": "CVE-2021-36367", "products": ["pkg:deb/debian/putty@0.74-1"], "status": "fixed"}]})",
                          "v");
  ASSERT_TRUE(vex.ok()) << vex.error().message;
  auto r = Apply(Sample(), {}, *vex, "2026-01-01");
  ASSERT_EQ(r.suppressed.size(), 1u);  // another flask version: no; v0.0.1 string forms: yes
  EXPECT_EQ(r.suppressed[0].finding.package, "putty");
}

TEST(VulnSuppress, OpenVexErrors) {
  EXPECT_EQ(ParseOpenVex("{}", "v.json").error().message,
            "v.json: not an OpenVEX document (@context is not https://openvex.dev/ns/...)");
  auto e = ParseOpenVex(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-1"}, "products": [], "status": "maybe"}]})",
                        "v.json");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            "v.json: statements[0]: status: \"maybe\" is not an OpenVEX status "
            "(not_affected, affected, fixed, under_investigation)");
}

TEST(VulnSuppress, PurlMatching) {
  EXPECT_TRUE(PurlMatches("pkg:pypi/flask", "pkg:pypi/flask@2.1.2"));
  EXPECT_TRUE(PurlMatches("pkg:pypi/Flask@2.1.2", "pkg:pypi/flask@2.1.2"));  // pypi names normalize
  EXPECT_FALSE(PurlMatches("pkg:pypi/flask@2.1.3", "pkg:pypi/flask@2.1.2"));
  EXPECT_TRUE(PurlMatches("pkg:deb/debian/putty", "pkg:deb/debian/putty@0.74-1?arch=amd64"));
  EXPECT_FALSE(
      PurlMatches("pkg:deb/debian/putty?arch=arm64", "pkg:deb/debian/putty@0.74-1?arch=amd64"));
  EXPECT_FALSE(PurlMatches("pkg:npm/flask", "pkg:pypi/flask@2.1.2"));
  EXPECT_FALSE(PurlMatches("pkg:pypi/flask", ""));
}

}  // namespace
}  // namespace distill::vuln::scan
