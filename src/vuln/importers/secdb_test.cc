#include "vuln/importers/secdb.h"

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "util/file.h"

namespace distill::vuln::importers {
namespace {

const std::string kDir = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/vuln/";

std::vector<Advisory> ParseFile(const std::string& rel, std::string_view eco = "") {
  auto text = ReadFile(kDir + rel);
  EXPECT_TRUE(text.ok()) << rel;
  std::vector<Advisory> out;
  auto st = ParseSecdb(*text, eco, CollectInto(out));
  EXPECT_TRUE(st.ok()) << rel << ": " << st.error().message;
  return out;
}

const Advisory* Find(const std::vector<Advisory>& as, std::string_view pkg, std::string_view id,
                     FixState state) {
  for (const auto& a : as)
    if (a.package == pkg && a.id == id && a.state == state) return &a;
  return nullptr;
}

TEST(VulnSecdb, AlpineV315Yaml) {
  auto as = ParseFile("vunnel/alpine/test-fixtures/input/secdb/v3.15/main.yaml");
  const Advisory* zlib = Find(as, "zlib", "CVE-2022-37434", FixState::kFixed);
  ASSERT_NE(zlib, nullptr);
  EXPECT_EQ(zlib->ecosystem, "alpine:3.15");
  EXPECT_EQ(zlib->source, "secdb");
  EXPECT_EQ(zlib->fixed_versions, std::vector<std::string>{"1.2.12-r2"});
  EXPECT_EQ(zlib->ranges,
            (std::vector<Range>{
                {"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, "1.2.12-r2"}}}}));
}

// The whole 2020 Alpine secdb: counts checked independently with PyYAML (one record per file ×
// origin package × id × NAK-or-not: 11,874 from 12,028 entries, of which 5 are NAKs).
TEST(VulnSecdb, CompleteAlpineSecdbWithNaks) {
  size_t total = 0;
  std::vector<Advisory> v38;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kDir + "alpine/secdb-2020")) {
    if (e.path().extension() != ".yaml") continue;
    auto as = ParseFile(std::filesystem::relative(e.path(), kDir).string());
    total += as.size();
    if (e.path().string().ends_with("v3.8/main.yaml")) v38 = std::move(as);
  }
  EXPECT_EQ(total, 11874u);
  size_t naks = 0;
  for (const auto& a : v38) {
    if (a.state != FixState::kNotAffected) continue;
    ++naks;
    EXPECT_EQ(a.package, "db");
    EXPECT_TRUE(a.ranges.empty());
    EXPECT_TRUE(a.fixed_versions.empty());
  }
  EXPECT_EQ(naks, 5u);
  EXPECT_NE(Find(v38, "db", "CVE-2016-0682", FixState::kNotAffected), nullptr);
  EXPECT_EQ(Find(v38, "db", "CVE-2016-0682", FixState::kFixed), nullptr);
}

TEST(VulnSecdb, XenEntriesCarryXsaAliases) {
  auto as = ParseFile("alpine/secdb-2020/v3.10/main.yaml");
  const Advisory* xen = Find(as, "xen", "CVE-2017-8904", FixState::kFixed);
  ASSERT_NE(xen, nullptr);
  EXPECT_EQ(xen->aliases, std::vector<std::string>{"XSA-214"});
}

TEST(VulnSecdb, RepairsIdTyposOfRealData) {
  // "CVE_2019-2426" (openjdk7) and "CVE 2018-16859" (ansible) as written upstream.
  EXPECT_NE(Find(ParseFile("alpine/secdb-2020/v3.10/community.yaml"), "openjdk7", "CVE-2019-2426",
                 FixState::kFixed),
            nullptr);
  EXPECT_NE(Find(ParseFile("alpine/secdb-2020/v3.9/main.yaml"), "ansible", "CVE-2018-16859",
                 FixState::kFixed),
            nullptr);
}

TEST(VulnSecdb, RepairApkVersionRules) {
  EXPECT_EQ(RepairApkVersion("4.8.0.-r1"), "4.8.0-r1");
  EXPECT_EQ(RepairApkVersion("1.18.-r2"), "1.18-r2");
  EXPECT_EQ(RepairApkVersion("10.2.22.r0"), "10.2.22-r0");
  EXPECT_EQ(RepairApkVersion("0.8.21.r2"), "0.8.21-r2");
  EXPECT_EQ(RepairApkVersion("1.2.3-r0"), "1.2.3-r0");      // valid: unchanged
  EXPECT_EQ(RepairApkVersion("6.6.2p1-r0"), "6.6.2p1-r0");  // valid (apk-tools 2.x form)
  // More than one reading: kept.
  for (std::string_view v : {"2.15.r-r1", "1.11-20-r0", "4.10-1-r1", "57-1-r2", "2.7.16-33",
                             "1.2.r", "1..2-r0", "1.2.-r", ".r1", ""})
    EXPECT_FALSE(RepairApkVersion(v).has_value()) << v;
}

// Every fixed version of the 2020 Alpine secdb that apk's grammar rejects (24 of 1,416 distinct
// keys' uses, checked with a Python port of apk-tools 2.x and 3 version.c): 14 repaired, 9 kept,
// and opensmtpd's 6.6.2p1-r0 valid as apk-tools 2.x reads it. Each class once by name.
TEST(VulnSecdb, MalformedFixedVersionsOfRealData) {
  std::vector<std::string> warnings;
  std::vector<Advisory> all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kDir + "alpine/secdb-2020")) {
    if (e.path().extension() != ".yaml") continue;
    auto text = ReadFile(e.path().string());
    ASSERT_TRUE(text.ok());
    ASSERT_TRUE(ParseSecdb(*text, "", CollectInto(all), &warnings).ok());
  }
  size_t repaired = 0, kept = 0;
  for (const auto& w : warnings) {
    repaired += w.find("; read as") != std::string::npos;
    kept += w.find("; kept as written") != std::string::npos;
  }
  EXPECT_EQ(warnings.size(), 23u);
  EXPECT_EQ(repaired, 14u);
  EXPECT_EQ(kept, 9u);
  auto fixed = [&](std::string_view eco, std::string_view pkg,
                   std::string_view id) -> std::vector<std::string> {
    for (const auto& a : all)
      if (a.ecosystem == eco && a.package == pkg && a.id == id && a.state == FixState::kFixed)
        return a.fixed_versions;
    return {};
  };
  EXPECT_EQ(fixed("alpine:3.8", "phpmyadmin", "CVE-2018-10188"),
            std::vector<std::string>{"4.8.0-r1"});
  EXPECT_EQ(fixed("alpine:3.8", "mariadb", "CVE-2019-2510"),
            std::vector<std::string>{"10.2.22-r0"});
  EXPECT_EQ(fixed("alpine:3.7", "git", "CVE-2018-19486"),
            std::vector<std::string>{"2.15.r-r1"});  // kept
  EXPECT_EQ(fixed("alpine:3.11", "opensmtpd", "CVE-2020-7247"),
            std::vector<std::string>{"6.6.2p1-r0"});
  for (const auto& w : warnings) EXPECT_EQ(w.find("opensmtpd"), std::string::npos) << w;
  EXPECT_NE(
      std::find(
          warnings.begin(), warnings.end(),
          "git: fixed version \"2.15.r-r1\" is not a valid apk version; kept as written (cannot be "
          "compared)"),
      warnings.end());
}

TEST(VulnSecdb, ChainguardJsonNaks) {
  auto as = ParseFile("vunnel/chainguard/test-fixtures/input/secdb/security.json");
  EXPECT_EQ(as.size(), 197u);  // PyYAML/json count of (package, id, NAK-or-not)
  size_t naks = 0;
  for (const auto& a : as) {
    EXPECT_EQ(a.ecosystem, "chainguard");
    naks += a.state == FixState::kNotAffected;
  }
  EXPECT_EQ(naks, 19u);
  EXPECT_NE(Find(as, "coreutils", "CVE-2016-2781", FixState::kNotAffected), nullptr);
  EXPECT_EQ(Find(as, "coreutils", "CVE-2016-2781", FixState::kFixed), nullptr);
  const Advisory* grafana = Find(as, "grafana", "CVE-2022-31130", FixState::kFixed);
  ASSERT_NE(grafana, nullptr);
  EXPECT_EQ(grafana->fixed_versions, std::vector<std::string>{"7.5.19-r0"});
}

TEST(VulnSecdb, EcosystemOverrideAndUnknownDistro) {
  std::vector<Advisory> out;
  const char* doc = R"({"packages": [{"pkg": {"name": "a", "secfixes": {"1-r0": ["CVE-1-2"]}}}]})";
  auto st = ParseSecdb(doc, "", CollectInto(out));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            "cannot tell which distribution this secdb is for (no distroversion, reponame \"\"); "
            "name it with --ecosystem");
  ASSERT_TRUE(ParseSecdb(doc, "wolfi", CollectInto(out)).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ecosystem, "wolfi");
}

TEST(VulnSecdb, ErrorsNameTheField) {
  std::vector<Advisory> out;
  auto msg = [&](std::string_view text) {
    auto st = ParseSecdb(text, "wolfi", CollectInto(out));
    return st.ok() ? std::string("ok") : st.error().message;
  };
  EXPECT_EQ(msg(R"({"packages": [{"pkg": {"name": "a", "secfixes": {"1": "CVE-1"}}}]})"),
            "packages[0].pkg.secfixes.\"1\": not a list");
  EXPECT_EQ(msg("packages:\n- pkg:\n    secfixes: {}\n"), "packages[0].pkg.name: missing");
  EXPECT_EQ(msg("packages: [\n"), "line 2: end of sequence flow not found");
  // JSON is streamed one package at a time; each piece is still fully validated.
  EXPECT_EQ(msg(R"({"reponame": "os"})"), "packages: missing");
  EXPECT_EQ(msg(R"({"reponame": "os", "packages": null})"), "ok");
  EXPECT_EQ(msg(R"({"packages": {}})"), "packages: not a list");
  EXPECT_EQ(msg(R"({"packages": [{"pkg": {"name": "a"}}, {"pkg": {"name": tru}}]})"),
            "packages[1]: not valid JSON");
  EXPECT_EQ(msg(R"({"packages": [{"pkg": {"name": "a"}} {"pkg": 1}]})"),
            "offset 37: expected ',' or ']'");
  EXPECT_EQ(msg(R"({"packages": [{"pkg": {"name": "a"}})"),
            "offset 36: unexpected end of document");
  EXPECT_EQ(msg("[]"), "not a secdb document (expected a map)");  // not '{': read as YAML
}

}  // namespace
}  // namespace distill::vuln::importers
