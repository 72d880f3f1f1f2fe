#include "vuln/match/matcher.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "vuln/db/writer.h"
#include "vuln/importers/import.h"

namespace distill::vuln::match {
namespace {

namespace fs = std::filesystem;

const std::string kVuln = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/vuln/";

// One database built from the real fixture records, shared by every test of the suite.
class VulnMatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("distill-match-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string path = (dir_ / "vuln.db").string();
    auto w = Writer::Create(path, {true, 1700000000});
    ASSERT_TRUE(w.ok()) << w.error().message;
    for (std::string f :
         {kVuln + "osv/GHSA-m2qf-hxjv-5gpq.json", kVuln + "govulndb/GO-2023-2102.json",
          kVuln + "vunnel/debian/test-fixtures/input/debian.json",
          std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/scan/tracker-nodsa.json",
          kVuln + "alpine/secdb-2020/v3.8/main.yaml"}) {
      importers::ImportReport rep;
      auto st = importers::ImportPath(f, f, {}, **w, &rep);
      ASSERT_TRUE(st.ok()) << f << ": " << st.error().message;
    }
    importers::ImportReport rep;
    std::string wolfi = kVuln + "wolfi/advisories-apache2-244709c9";
    auto st = importers::ImportPath(wolfi, wolfi, {"", "wolfi"}, **w, &rep);
    ASSERT_TRUE(st.ok()) << st.error().message;
    // A synthetic record (not upstream data): an OSV advisory with a fixed range and an
    // open-ended one, to pin the state of a version above every fix.
    Advisory syn;
    syn.id = "SYNTH-0001", syn.source = "osv", syn.ecosystem = "pypi", syn.package = "synthpkg";
    syn.state = FixState::kFixed, syn.fixed_versions = {"1.0"};
    syn.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, "1.0"}}},
                  {"ECOSYSTEM", {{Event::kIntroduced, "2.0"}}}};
    auto src = (*w)->Source("osv", "synthetic");
    ASSERT_TRUE(src.ok());
    ASSERT_TRUE((*w)->Add(*src, syn).ok());
    // A Red Hat OSV record in the shape OSV publishes for RHSAs (synthetic content): the
    // BaseOS stream of RHEL 9.
    const char* kRhsa = R"({"id": "RHSA-2024:0001", "modified": "2024-01-01T00:00:00Z",
      "aliases": ["CVE-2023-5678"], "summary": "openssl: synthetic record",
      "affected": [{"package": {"ecosystem": "Red Hat:enterprise_linux:9::baseos", "name": "openssl"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:3.0.7-25.el9_3"}]}]}]})";
    auto rh = importers::ParseDocument("rhsa.json", kRhsa, {}, "osv",
                                       [&](Advisory&& a) { return (*w)->Add(*src, a); });
    ASSERT_TRUE(rh.ok()) << rh.error().message;
    // Synthetic records whose only severity is a CVSS v4.0 vector: scored at import, and
    // (as a database built before v4 scoring holds it) unscored.
    const char* kV4Only = R"({"id": "GHSA-synt-h4v4-0001", "modified": "2024-01-01T00:00:00Z",
      "severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"}],
      "affected": [{"package": {"ecosystem": "npm", "name": "synthv4"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.1"}]}]}]})";
    auto v4 = importers::ParseDocument("v4.json", kV4Only, {}, "osv",
                                       [&](Advisory&& a) { return (*w)->Add(*src, a); });
    ASSERT_TRUE(v4.ok()) << v4.error().message;
    // A synthetic Hex record (OSV's shape; Hex versions are SemVer 2.0.0).
    const char* kHex = R"({"id": "GHSA-synt-hhex-0001", "modified": "2024-01-01T00:00:00Z",
      "affected": [{"package": {"ecosystem": "Hex", "name": "plug"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.4.0"}, {"fixed": "1.4.6"}]}]}]})";
    auto hex = importers::ParseDocument("hex.json", kHex, {}, "osv",
                                        [&](Advisory&& a) { return (*w)->Add(*src, a); });
    ASSERT_TRUE(hex.ok()) << hex.error().message;
    Advisory old = syn;
    old.id = "SYNTH-0002", old.package = "synthv4old", old.ranges = {syn.ranges[0]};
    old.severities = {{"osv", "CVSS_V4",
                       "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", -1, ""}};
    ASSERT_TRUE((*w)->Add(*src, old).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
  }
  static void TearDownTestSuite() {
    db_.reset();
    fs::remove_all(dir_);
  }

  static catalog::Package Pkg(std::string type, std::string name, std::string version,
                              std::string src = "", std::string src_version = "",
                              std::string purl = "") {
    catalog::Package p;
    p.type = std::move(type), p.name = std::move(name), p.version = std::move(version);
    p.source_name = std::move(src), p.source_version = std::move(src_version),
    p.purl = std::move(purl);
    return p;
  }
  static std::vector<Finding> Run(catalog::Catalog c) {
    auto r = Match(c, *db_);
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (!r.ok()) return {};
    EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();
    return std::move(r->findings);
  }
  static catalog::Catalog Os(std::string id, std::string version_id,
                             std::vector<catalog::Package> ps) {
    catalog::Catalog c;
    c.distro.id = std::move(id), c.distro.version_id = std::move(version_id);
    c.packages = std::move(ps);
    return c;
  }

  static inline fs::path dir_;
  static inline std::unique_ptr<Database> db_;
};

TEST_F(VulnMatchTest, SeverityFromCvssV4WhenThatIsAllThereIs) {
  catalog::Catalog c;
  c.packages = {Pkg("npm", "synthv4", "1.0.0", "", "", "pkg:npm/synthv4@1.0.0"),
                Pkg("python", "synthv4old", "0.5", "", "", "pkg:pypi/synthv4old@0.5")};
  auto fs = Run(c);
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(fs[0].package, "synthv4");
  EXPECT_EQ(fs[0].severity, Level::kHigh);
  EXPECT_EQ(fs[0].severity_type, "CVSS_V4");
  EXPECT_EQ(fs[0].severity_source, "ghsa");
  EXPECT_DOUBLE_EQ(fs[0].score, 8.7);
  EXPECT_EQ(fs[1].package, "synthv4old");  // scored at match time
  EXPECT_EQ(fs[1].severity, Level::kMedium);
  EXPECT_DOUBLE_EQ(fs[1].score, 6.9);
  EXPECT_EQ(fs[1].cvss_vector, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N");
}

TEST_F(VulnMatchTest, FlaskGhsaAsTrivyReportsIt) {
  catalog::Catalog c;
  c.packages = {Pkg("python", "Flask", "2.1.2", "", "", "pkg:pypi/flask@2.1.2")};
  auto fs = Run(c);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].id, "CVE-2023-30861");
  EXPECT_EQ(fs[0].ids, (std::vector<std::string>{"CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"}));
  EXPECT_EQ(fs[0].severity, Level::kHigh);
  EXPECT_EQ(fs[0].severity_source, "ghsa");
  EXPECT_EQ(fs[0].score, 7.5);
  EXPECT_EQ(fs[0].state, FixState::kFixed);
  EXPECT_EQ(fs[0].fixed_versions, (std::vector<std::string>{"2.2.5", "2.3.2"}));
  EXPECT_EQ(fs[0].StatusText(), "fixed");
  EXPECT_EQ(fs[0].package, "Flask");
  // The same findings again; the lookups the result hands back hold Flask's records.
  auto again = Match(c, *db_);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->findings.size(), 1u);
  EXPECT_EQ(again->findings[0].ids, fs[0].ids);
  const LookedUp& kept = again->looked_up;
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept.begin()->first.second, "flask");
  EXPECT_FALSE(kept.begin()->second.empty());
}

TEST_F(VulnMatchTest, RhelAndCentosImagesMatchRedHatStreams) {
  auto one = [](std::string id, std::string release, std::string v) {
    return Run(Os(id, release, {Pkg("rpm", "openssl-libs", v, "openssl", v)}));
  };
  auto f = one("rhel", "9.3", "1:3.0.7-24.el9");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].id, "CVE-2023-5678");
  EXPECT_EQ(f[0].ecosystem, "redhat:9");
  EXPECT_EQ(f[0].via_source, "openssl");
  EXPECT_EQ(f[0].fixed_versions, std::vector<std::string>{"1:3.0.7-25.el9_3"});
  EXPECT_EQ(one("centos", "9", "1:3.0.7-24.el9").size(), 1u);
  EXPECT_TRUE(one("rhel", "9.3", "1:3.0.7-25.el9_3").empty());
  EXPECT_TRUE(one("rhel", "8.9", "1:3.0.7-24.el9").empty());  // another release
}

TEST_F(VulnMatchTest, FlaskRangesBoundaries) {
  auto one = [](std::string v) {
    catalog::Catalog c;
    c.packages = {Pkg("python", "flask", v, "", "", "pkg:pypi/flask@" + v)};
    return Run(c);
  };
  EXPECT_TRUE(one("2.2.5").empty());  // fixed: half-open
  EXPECT_TRUE(one("2.3.2").empty());
  EXPECT_TRUE(one("3.0.0").empty());
  auto f = one("2.3.1");  // second range; only the fix above it is offered
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].fixed_versions, std::vector<std::string>{"2.3.2"});
  EXPECT_EQ(one("2.3.0").size(), 1u);  // introduced is inclusive
  EXPECT_EQ(one("0.1").size(), 1u);
  EXPECT_EQ(one("2.2.5rc1").size(), 1u);  // PEP 440: a pre-release sorts before its release
}

TEST_F(VulnMatchTest, AboveEveryFixInAnOpenRangeIsNotFixed) {
  auto one = [](std::string v) {
    catalog::Catalog c;
    c.packages = {Pkg("python", "SynthPkg", v, "", "", "pkg:pypi/SynthPkg@" + v)};
    return Run(c);
  };
  auto low = one("0.5");
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0].state, FixState::kFixed);
  EXPECT_EQ(low[0].fixed_versions, std::vector<std::string>{"1.0"});
  EXPECT_TRUE(one("1.5").empty());
  auto high = one("2.5");
  ASSERT_EQ(high.size(), 1u);
  EXPECT_EQ(high[0].state, FixState::kNotFixed);
  EXPECT_TRUE(high[0].fixed_versions.empty());  // 1.0 is not a fix for 2.5
  EXPECT_EQ(high[0].StatusText(), "not fixed");
}

TEST_F(VulnMatchTest, OsvEventKinds) {
  Advisory a;
  a.state = FixState::kFixed;
  a.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "1.0"}, {Event::kLastAffected, "1.4"}}},
              {"ECOSYSTEM", {{Event::kIntroduced, "2.0"}, {Event::kLimit, "2.5"}}}};
  a.versions = {"0.9.1"};
  auto aff = [&](std::string v) {
    auto r = Affected(a, version::Ecosystem::kPep440, v);
    EXPECT_TRUE(r.ok());
    return r.ok() && *r;
  };
  EXPECT_FALSE(aff("0.9"));
  EXPECT_TRUE(aff("0.9.1"));  // explicit versions[]
  EXPECT_TRUE(aff("1.0"));
  EXPECT_TRUE(aff("1.4"));  // last_affected is inclusive
  EXPECT_FALSE(aff("1.4.1"));
  EXPECT_TRUE(aff("2.4.9"));
  EXPECT_FALSE(aff("2.5"));
  // Events in any order mean the same (OSV sorts them).
  a.ranges = {{"ECOSYSTEM",
               {{Event::kFixed, "3.0"},
                {Event::kIntroduced, "2.0"},
                {Event::kFixed, "1.5"},
                {Event::kIntroduced, "0"}}}};
  a.versions.clear();
  EXPECT_TRUE(aff("1.0"));
  EXPECT_FALSE(aff("1.7"));
  EXPECT_TRUE(aff("2.1"));
  EXPECT_FALSE(aff("3.0"));
}

TEST_F(VulnMatchTest, DebianTrackerFixedAndNotAffected) {
  // buster: CVE-2008-7220 fixed in 1.6.0.2-1; CVE-2007-2383 fixed_version "0" (never affected).
  auto fs = Run(Os("debian", "10", {Pkg("deb", "libjs-prototype", "1.6.0-1", "prototypejs")}));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].id, "CVE-2008-7220");
  EXPECT_EQ(fs[0].package, "libjs-prototype");
  EXPECT_EQ(fs[0].via_source, "prototypejs");
  EXPECT_EQ(fs[0].fixed_versions, std::vector<std::string>{"1.6.0.2-1"});
  EXPECT_EQ(fs[0].severity, Level::kHigh);  // Debian urgency "high**"
  EXPECT_EQ(fs[0].severity_source, "debian");
  EXPECT_TRUE(
      Run(Os("debian", "10", {Pkg("deb", "libjs-prototype", "1.7.1-3", "prototypejs")})).empty());
}

TEST_F(VulnMatchTest, DebianPointReleaseAndBinNmuUseMajorAndSourceVersion) {
  // bookworm: sope CVE-2025-53603 fixed in 5.8.0-1+deb12u1. The binNMU 5.8.0-1+deb12u1+b1 of
  // a vulnerable 5.8.0-1 source would sort above the fix; the source version decides.
  auto fs = Run(Os("debian", "12.5", {Pkg("deb", "libsope1", "5.8.0-1+b2", "sope", "5.8.0-1")}));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].ecosystem, "debian:12");
  EXPECT_EQ(fs[0].version, "5.8.0-1+b2");
  EXPECT_EQ(fs[0].matched_version, "5.8.0-1");
  EXPECT_EQ(fs[0].fixed_versions, std::vector<std::string>{"5.8.0-1+deb12u1"});
  EXPECT_EQ(fs[0].severity, Level::kUnknown);  // "not yet assigned", no CVSS in the tracker
  EXPECT_TRUE(Run(Os("debian", "12",
                     {Pkg("deb", "libsope1", "5.8.0-1+deb12u1+b1", "sope", "5.8.0-1+deb12u1")}))
                  .empty());
  // Binary name fallback when the source has no records.
  EXPECT_EQ(Run(Os("debian", "12", {Pkg("deb", "sope", "5.8.0-1", "sope-src")})).size(), 1u);
}

TEST_F(VulnMatchTest, DebianUnfixedAndNoDsa) {
  auto eol = Run(Os("debian", "10", {Pkg("deb", "chromium", "89.0.4389.114-1~deb10u1")}));
  ASSERT_EQ(eol.size(), 1u);
  EXPECT_EQ(eol[0].state, FixState::kNotFixed);
  EXPECT_EQ(eol[0].StatusText(), "not fixed (end-of-life)");
  EXPECT_TRUE(eol[0].fixed_versions.empty());

  auto nodsa = Run(Os("debian", "11", {Pkg("deb", "putty", "0.74-1")}));
  ASSERT_EQ(nodsa.size(), 1u);
  EXPECT_EQ(nodsa[0].id, "CVE-2021-36367");
  EXPECT_EQ(nodsa[0].state, FixState::kNotFixed);  // never "won't fix"
  EXPECT_EQ(nodsa[0].StatusText(), "not fixed (minor issue)");
  EXPECT_EQ(nodsa[0].severity, Level::kLow);
  EXPECT_TRUE(
      Run(Os("debian", "", {Pkg("deb", "putty", "0.75-3")})).empty());  // no release: no key match
}

TEST_F(VulnMatchTest, AlpineSecdbNakNeverReported) {
  // v3.8 main: db has only "0" (NAK) entries; cyrus-sasl CVE-2013-4122 fixed in 2.1.26-r7.
  auto fs = Run(Os("alpine", "3.8.5",
                   {Pkg("apk", "db", "5.3.28-r0"), Pkg("apk", "db-c++", "5.3.28-r0", "db"),
                    Pkg("apk", "libsasl", "2.1.26-r6", "cyrus-sasl")}));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].package, "libsasl");
  EXPECT_EQ(fs[0].via_source, "cyrus-sasl");
  EXPECT_EQ(fs[0].id, "CVE-2013-4122");
  EXPECT_EQ(fs[0].fixed_versions, std::vector<std::string>{"2.1.26-r7"});
  EXPECT_TRUE(
      Run(Os("alpine", "3.8.5", {Pkg("apk", "libsasl", "2.1.26-r7", "cyrus-sasl")})).empty());
  EXPECT_TRUE(Run(Os("alpine", "3.9.0", {Pkg("apk", "libsasl", "2.1.26-r6", "cyrus-sasl")}))
                  .empty());  // not imported
}

// apko images: os-release says 3.16, etc/apk/repositories another branch (Distro::apk_branch):
// the records of the branch the packages come from apply, as trivy matches them.
TEST_F(VulnMatchTest, AlpineBranchFromRepositories) {
  catalog::Catalog c = Os("alpine", "3.16.0", {Pkg("apk", "libsasl", "2.1.26-r6", "cyrus-sasl")});
  EXPECT_TRUE(Run(c).empty());  // no 3.16 records imported
  c.distro.apk_branch = "3.8";
  auto fs = Run(c);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].id, "CVE-2013-4122");
  EXPECT_EQ(fs[0].ecosystem, "alpine:3.8");
}

// Real v3.8 main fixed versions apk's grammar rejects: mariadb's "10.2.22.r0" is read as
// 10.2.22-r0 and compares; py-django's "1.11-20-r0" is kept and cannot be compared, which the
// match says instead of dropping it.
TEST_F(VulnMatchTest, AlpineMalformedFixedVersions) {
  auto fs = Run(Os("alpine", "3.8.5", {Pkg("apk", "mariadb", "10.2.19-r1")}));
  const Finding* f = nullptr;
  for (const auto& x : fs)
    if (x.id == "CVE-2019-2510") f = &x;
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->fixed_versions, std::vector<std::string>{"10.2.22-r0"});
  for (const auto& x : Run(Os("alpine", "3.8.5", {Pkg("apk", "mariadb", "10.2.22-r0")})))
    EXPECT_NE(x.id, "CVE-2019-2510");
  catalog::Catalog c = Os("alpine", "3.8.5", {Pkg("apk", "py-django", "1.11.19-r0")});
  auto r = Match(c, *db_);
  ASSERT_TRUE(r.ok());
  const std::vector<std::string>& warnings = r->warnings;
  EXPECT_NE(std::find(warnings.begin(), warnings.end(),
                      "py-django 1.11.19-r0: CVE-2019-6975: invalid apk version \"1.11-20-r0\""),
            warnings.end())
      << (warnings.empty() ? "" : warnings[0]);
}

TEST_F(VulnMatchTest, WolfiAdvisories) {
  // go-1.21: CGA-3vqc-vvrp-m34h (CVE-2023-39325) fixed in 1.21.3-r0; CGA-42fw-c8vq-58fc a
  // false-positive determination; CGA-466j-hmf8-m8wc (CVE-2024-34158) fix-not-planned.
  auto fs = Run(Os("wolfi", "20230201", {Pkg("apk", "go-1.21", "1.21.2-r0")}));
  auto find = [&](std::string_view id) -> const Finding* {
    for (const auto& f : fs)
      if (f.id == id) return &f;
    return nullptr;
  };
  const Finding* fixed = find("CVE-2023-39325");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->ids, (std::vector<std::string>{"CGA-3vqc-vvrp-m34h", "CVE-2023-39325",
                                                  "GHSA-4374-p667-p6c8"}));
  EXPECT_EQ(fixed->fixed_versions, std::vector<std::string>{"1.21.3-r0"});
  EXPECT_EQ(fixed->ecosystem, "wolfi");
  const Finding* wont = find("CVE-2024-34158");
  ASSERT_NE(wont, nullptr);
  EXPECT_EQ(wont->state, FixState::kWontFix);
  EXPECT_EQ(wont->StatusText(), "won't fix");
  EXPECT_EQ(find("CVE-2020-29509"), nullptr);  // false positive: never reported
  // CGA-wvwh-gjjr-vw5q (CVE-2023-29406): only a true-positive determination, no fix yet.
  fs = Run(Os("wolfi", "20230201", {Pkg("apk", "go-1.21", "1.21.99-r0")}));
  ASSERT_NE(find("CVE-2023-29406"), nullptr);
  EXPECT_EQ(find("CVE-2023-29406")->state, FixState::kNotFixed);
  for (const auto& f : fs) EXPECT_NE(f.state, FixState::kFixed) << f.id;  // above every fix
}

// The Go standard library as syft and our cataloger name it (stdlib, version "go1.19.8", purl
// without the "go") against the Go vulndb's own record, whose stdlib versions are bare semver.
TEST_F(VulnMatchTest, GoStdlibToolchainVersionsMatchOsv) {
  auto one = [](std::string v, std::string purl_version) {
    catalog::Catalog c;
    c.packages = {Pkg("go-module", "stdlib", v, "", "", "pkg:golang/stdlib@" + purl_version)};
    return Run(c);
  };
  auto fs = one("go1.19.8", "1.19.8");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].id, "CVE-2023-39325");
  EXPECT_EQ(fs[0].ids, (std::vector<std::string>{"CVE-2023-39325", "CVE-2023-44487",
                                                 "GHSA-4374-p667-p6c8", "GO-2023-2102"}));
  EXPECT_EQ(fs[0].package, "stdlib");
  EXPECT_EQ(fs[0].version, "go1.19.8");
  EXPECT_EQ(fs[0].matched_version, "1.19.8");
  EXPECT_EQ(fs[0].ecosystem, "golang");
  EXPECT_EQ(fs[0].state, FixState::kFixed);
  EXPECT_EQ(fs[0].fixed_versions, (std::vector<std::string>{"1.20.10", "1.21.3"}));
  EXPECT_EQ(fs[0].summary, "HTTP/2 rapid reset can cause excessive work in net/http");
  // The range's edges, a release candidate (1.21.0-rc.2 is above "introduced 1.21.0-0"), and the
  // experiments suffix of a GOEXPERIMENT build.
  EXPECT_EQ(one("go1.21.2", "1.21.2").at(0).fixed_versions, std::vector<std::string>{"1.21.3"});
  EXPECT_EQ(one("go1.21rc2", "1.21rc2").size(), 1u);
  EXPECT_EQ(one("go1.20.9 X:boringcrypto", "1.20.9").size(), 1u);
  EXPECT_TRUE(one("go1.20.10", "1.20.10").empty());
  EXPECT_TRUE(one("go1.21.3", "1.21.3").empty());
  EXPECT_TRUE(one("go1.22.1 X:loopvar", "1.22.1").empty());
  // trivy's spelling (v1.19.8) and a bare version from a purl match the same way.
  EXPECT_EQ(one("v1.19.8", "v1.19.8").size(), 1u);
  EXPECT_EQ(one("", "1.19.8").size(), 1u);
}

TEST(VulnMatchGo, ToolchainVersionsAsOsvWritesThem) {
  // golang.org/x/vuln's GoTagToSemver cases, without the "v".
  EXPECT_EQ(GoToolchainSemver("go1.19.8"), "1.19.8");
  EXPECT_EQ(GoToolchainSemver("go1.20"), "1.20.0");
  EXPECT_EQ(GoToolchainSemver("go1.21rc2"), "1.21.0-rc.2");
  EXPECT_EQ(GoToolchainSemver("go1.14beta1"), "1.14.0-beta.1");
  EXPECT_EQ(GoToolchainSemver("go1.9.2-pre1"), "1.9.2-pre.1");
  EXPECT_EQ(GoToolchainSemver("go1"), "1.0.0");
  EXPECT_EQ(GoToolchainSemver("go1.22.1 X:loopvar"), "1.22.1");
  EXPECT_EQ(GoToolchainSemver("go1.19.8 X:fieldtrack,staticlockranking"), "1.19.8");
  // Not a toolchain version: unchanged (compared, or warned about, as before).
  for (std::string v :
       {"v1.2.3", "1.19.8", "(devel)", "go1.0", "go1.x", "go1.2.", "gopher", "go1.21alpha1", ""})
    EXPECT_EQ(GoToolchainSemver(v), v);
}

TEST(VulnMatchLevel, Parse) {
  EXPECT_EQ(*ParseLevel("high"), Level::kHigh);
  EXPECT_EQ(*ParseLevel("CRITICAL"), Level::kCritical);
  EXPECT_FALSE(ParseLevel("severe").ok());
  EXPECT_EQ(LevelName(Level::kUnknown), "UNKNOWN");
}

}  // namespace
}  // namespace distill::vuln::match

namespace distill::vuln::match {
namespace {

// Hex and Pub packages are matched with SemVer 2.0.0 order (their OSV feeds are built-in sources).
TEST_F(VulnMatchTest, HexPackagesAreMatchedAsSemver) {
  catalog::Catalog c;
  c.packages = {Pkg("hex", "plug", "1.4.5", "", "", "pkg:hex/plug@1.4.5"),
                Pkg("hex", "plug", "1.4.10", "", "", "pkg:hex/plug@1.4.10")};
  auto fs = Run(c);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].version, "1.4.5");
  EXPECT_EQ(fs[0].fixed_versions, (std::vector<std::string>{"1.4.6"}));
}

// Every package that was not looked up, or whose version could not be compared, is listed with
// the reason; none is skipped silently. A bad version still meets records that need no
// comparison (the tracker's open issues), and is not warned about once per advisory.
TEST_F(VulnMatchTest, PackagesNotLookedUpAreListedWithTheReason) {
  catalog::Catalog c =
      Os("debian", "11",
         {
             Pkg("deb", "putty", "not a version!"),                            // unparsable-version
             Pkg("python", "Flask", "2.1.2", "", "", "pkg:pypi/flask@2.1.2"),  // matched
             Pkg("python", "flask2", "2.x", "", "", "pkg:pypi/flask2@2.x"),    // unparsable-version
             Pkg("binary", "openssl", "3.0.11", "", "",
                 "pkg:generic/openssl@3.0.11"),    // unknown-ecosystem
             Pkg("java-archive", "thing", "1.0"),  // unknown-ecosystem: no purl
             Pkg("rust-crate", "smallvec", "1.6.0", "", "",
                 "pkg:cargo/smallvec@1.6.0"),  // no-data: no crates.io records here
         });
  auto r = Match(c, *db_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();
  std::vector<std::string> got;
  for (const auto& u : r->unmatched) got.push_back(u.package + " " + u.reason + ": " + u.detail);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "putty unparsable-version: invalid dpkg version \"not a version!\": version "
                     "string has embedded spaces",
                     "flask2 unparsable-version: invalid PEP 440 version \"2.x\"",
                     "openssl unknown-ecosystem: no advisory data for purl type \"generic\"",
                     "thing unknown-ecosystem: no purl",
                     "smallvec no-data: the database has no advisories for \"cargo\"",
                 }));
  bool putty_found = false, flask_found = false;
  for (const auto& f : r->findings) {
    putty_found |= f.package == "putty";  // the tracker's open no-dsa issue needs no comparison
    flask_found |= f.package == "Flask";
  }
  EXPECT_TRUE(putty_found);
  EXPECT_TRUE(flask_found);

  // No distro: OS packages cannot be looked up anywhere.
  c.distro = {};
  r = Match(c, *db_);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->unmatched.empty());
  EXPECT_EQ(r->unmatched[0].detail,
            "an OS package, but no distro (os-release) to look it up under");
  c.distro.id = "opensuse-leap";
  r = Match(c, *db_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unmatched[0].detail, "no advisory data for distro \"opensuse-leap\"");
}

}  // namespace
}  // namespace distill::vuln::match
