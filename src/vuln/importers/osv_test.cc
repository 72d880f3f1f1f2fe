#include "vuln/importers/osv.h"

#include <gtest/gtest.h>

#include "util/file.h"

namespace distill::vuln::importers {
namespace {

std::string Fixture(const std::string& rel) {
  auto r = ReadFile(std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/vuln/" + rel);
  EXPECT_TRUE(r.ok()) << rel;
  return r.ok() ? *r : "";
}

std::vector<Advisory> Parse(std::string_view json) {
  std::vector<Advisory> out;
  auto st = ParseOsv(json, CollectInto(out));
  EXPECT_TRUE(st.ok()) << st.error().message;
  return out;
}

TEST(VulnOsv, FlaskGhsaMergesBothRangesOfOnePackage) {
  auto as = Parse(Fixture("osv/GHSA-m2qf-hxjv-5gpq.json"));
  ASSERT_EQ(as.size(), 1u);
  const Advisory& a = as[0];
  EXPECT_EQ(a.id, "GHSA-m2qf-hxjv-5gpq");
  EXPECT_EQ(a.aliases, std::vector<std::string>{"CVE-2023-30861"});
  EXPECT_EQ(a.ecosystem, "pypi");
  EXPECT_EQ(a.package, "flask");
  EXPECT_EQ(a.state, FixState::kFixed);
  EXPECT_EQ(a.fixed_versions, (std::vector<std::string>{"2.3.2", "2.2.5"}));
  ASSERT_EQ(a.ranges.size(), 2u);
  EXPECT_EQ(a.ranges[0],
            (Range{"ECOSYSTEM", {{Event::kIntroduced, "2.3.0"}, {Event::kFixed, "2.3.2"}}}));
  EXPECT_EQ(a.ranges[1],
            (Range{"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, "2.2.5"}}}));
  ASSERT_EQ(a.severities.size(), 2u);
  EXPECT_EQ(
      a.severities[0],
      (Severity{"ghsa", "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "high"}));
  EXPECT_EQ(a.severities[1], (Severity{"ghsa", "vendor", "", -1, "high"}));
  EXPECT_EQ(a.summary,
            "Flask vulnerable to possible disclosure of permanent session cookie due to missing "
            "Vary: Cookie header");
  EXPECT_EQ(a.references.size(), 7u);
  EXPECT_EQ(a.references[1].url, "https://nvd.nist.gov/vuln/detail/CVE-2023-30861");
  EXPECT_EQ(a.published, "2023-05-01T19:22:20Z");
}

TEST(VulnOsv, NpmSemverAndGoRecords) {
  auto semver = Parse(Fixture("osv/GHSA-c2qf-rxjj-qqgw.json"));
  ASSERT_EQ(semver.size(), 1u);
  EXPECT_EQ(semver[0].ecosystem, "npm");
  EXPECT_EQ(semver[0].package, "semver");
  EXPECT_EQ(semver[0].ranges.size(), 3u);
  EXPECT_EQ(semver[0].fixed_versions, (std::vector<std::string>{"7.5.2", "6.3.1", "5.7.2"}));
  auto go = Parse(Fixture("osv/GHSA-4374-p667-p6c8.json"));
  ASSERT_FALSE(go.empty());
  EXPECT_EQ(go[0].ecosystem, "golang");
  bool xnet = false;
  for (const auto& a : go) xnet |= a.package == "golang.org/x/net";
  EXPECT_TRUE(xnet);
}

TEST(VulnOsv, ChainguardRecordSplitsByEcosystemWithUpstreamAsAliases) {
  auto as = Parse(Fixture("vunnel/chainguard/test-fixtures/input/osv/CGA-224q-ccj5-2p53.json"));
  ASSERT_EQ(as.size(), 4u);
  EXPECT_EQ(as[0].ecosystem, "chainguard");
  EXPECT_EQ(as[0].package, "haproxy-2.2");
  EXPECT_EQ(as[0].fixed_versions, std::vector<std::string>{"2.2.34-r0"});
  EXPECT_EQ(as[2].ecosystem, "wolfi");
  EXPECT_EQ(as[2].package, "haproxy-3.0");
  EXPECT_EQ(as[0].aliases, (std::vector<std::string>{"CVE-2025-32464", "GHSA-frg5-h47x-75j9"}));
  EXPECT_EQ(as[0].severities[0].source, "chainguard");
  EXPECT_EQ(as[0].severities[0].score, 9.1);  // C:H/I:H/A:N
}

TEST(VulnOsv, LastAffectedOnlyIsNotFixedAndGitRangesAreDropped) {
  auto as = Parse(R"({"id": "OSV-1", "modified": "x", "affected": [
    {"package": {"ecosystem": "PyPI", "name": "Foo_Bar"},
     "ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "abc"}, {"fixed": "def"}]},
                {"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"last_affected": "1.4"}]}],
     "versions": ["1.0", "1.4"]},
    {"package": {"ecosystem": "npm", "name": "git-only"},
     "ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "0"}, {"fixed": "def"}]}]}]})");
  ASSERT_EQ(as.size(), 1u);
  EXPECT_EQ(as[0].package, "foo-bar");
  EXPECT_EQ(as[0].state, FixState::kNotFixed);
  EXPECT_TRUE(as[0].fixed_versions.empty());
  EXPECT_EQ(as[0].ranges,
            (std::vector<Range>{
                {"ECOSYSTEM", {{Event::kIntroduced, "1.0"}, {Event::kLastAffected, "1.4"}}}}));
  EXPECT_EQ(as[0].versions, (std::vector<std::string>{"1.0", "1.4"}));
}

TEST(VulnOsv, SeverityKinds) {
  auto as = Parse(R"({"id": "UBUNTU-CVE-2014-0160", "severity": [
      {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:N/A:N"},
      {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"},
      {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L"}],
    "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "openssl"},
      "severity": [{"type": "Ubuntu", "score": "high"}],
      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0.1-4ubuntu5.12"}]}]}]})");
  ASSERT_EQ(as.size(), 1u);
  EXPECT_EQ(as[0].ecosystem, "ubuntu:22.04");
  EXPECT_EQ(as[0].severities,
            (std::vector<Severity>{
                {"ubuntu", "CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:N/A:N", 5.0, "medium"},  // NVD: 5.0
                {"ubuntu", "CVSS_V4",
                 "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", 8.7, "high"},
                {"ubuntu", "CVSS_V3", "CVSS:3.1/AV:N/AC:L", -1, ""},  // unscorable: kept, unscored
                {"ubuntu", "vendor", "", -1, "high"}}));
}

TEST(VulnOsv, WithdrawnRecordsProduceNothing) {
  EXPECT_TRUE(Parse(R"({"id": "GHSA-x", "withdrawn": "2024-01-01T00:00:00Z", "affected": [
    {"package": {"ecosystem": "npm", "name": "a"}, "versions": ["1"]}]})")
                  .empty());
}

TEST(VulnOsv, ErrorsNameTheField) {
  std::vector<Advisory> out;
  auto msg = [&](std::string_view json) {
    auto st = ParseOsv(json, CollectInto(out));
    return st.ok() ? std::string("ok") : st.error().message;
  };
  EXPECT_EQ(msg("[1]"), "not an OSV record (expected a JSON object)");
  EXPECT_EQ(msg("{"), "not valid JSON");
  EXPECT_EQ(msg(R"({"id": "X-1", "affected": [{"package": {"ecosystem": "npm", "name": "a"},
      "ranges": [{"type": "SEMVER", "events": [{"fixed": 3}]}]}]})"),
            "X-1: affected[0].ranges[0].events[0].fixed: not a string");
  EXPECT_EQ(msg(R"({"id": "X-1", "affected": [{"package": {"ecosystem": "npm", "name": "a"},
      "ranges": [{"type": "SEMVER", "events": [{"bogus": "1"}]}]}]})"),
            "X-1: affected[0].ranges[0].events[0]: unknown event \"bogus\"");
  EXPECT_EQ(msg(R"({"id": "X-1", "aliases": "CVE-1"})"), "X-1: aliases: not an array");
  EXPECT_EQ(msg(R"({"affected": []})"), "id: missing");
}

// The parser fills one Advisory per thread record after record (osv.cc): nothing of a record
// may show in the next one, whatever the sink did with it.
TEST(VulnOsv, ConsecutiveRecordsShareNothing) {
  std::vector<Advisory> first = Parse(Fixture("osv/GHSA-m2qf-hxjv-5gpq.json"));
  std::vector<Advisory> kept;  // a sink that copies, leaving the parser's advisory as it was
  auto copy = [&](Advisory&& a) -> Status {
    kept.push_back(a);
    return {};
  };
  ASSERT_TRUE(ParseOsv(Fixture("osv/GHSA-m2qf-hxjv-5gpq.json"), copy).ok());
  ASSERT_TRUE(ParseOsv(R"({"id": "OSV-2", "details": "one\ntwo", "affected": [
    {"package": {"ecosystem": "npm", "name": "b"}, "versions": ["1.0"]}]})",
                       copy)
                  .ok());
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], first[0]);
  Advisory second;
  second.id = "OSV-2";
  second.source = "osv";
  second.ecosystem = "npm";
  second.package = "b";
  second.state = FixState::kNotFixed;
  second.versions = {"1.0"};
  second.summary = "one";
  EXPECT_EQ(kept[1], second);
}

TEST(VulnOsv, Detection) {
  EXPECT_TRUE(LooksLikeOsv(Fixture("osv/GHSA-m2qf-hxjv-5gpq.json")));
  EXPECT_FALSE(LooksLikeOsv(Fixture("vunnel/chainguard/test-fixtures/input/osv/all.json")));
  EXPECT_FALSE(LooksLikeOsv(Fixture("vunnel/debian/test-fixtures/input/debian.json")));
}

}  // namespace
}  // namespace distill::vuln::importers
