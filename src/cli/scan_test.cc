// `distill scan` end to end, through the real binary: a database imported from the real
// fixture records (`distill db import`), a distill-json SBOM of a Debian 11 image.
#include <unistd.h>

#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sbom/distill_json.h"
#include "sbom/formats.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::cli {
namespace {

namespace fs = std::filesystem;
const std::string kSrc = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/";

using testing::Ran;

class ScanCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("distill-scancli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "vuln.db").string();
    Ran r = Distill("db import --db " + db_ + " " + kSrc + "vuln/osv/GHSA-m2qf-hxjv-5gpq.json " +
                    kSrc + "vuln/vunnel/debian/test-fixtures/input/debian.json " + kSrc +
                    "scan/tracker-nodsa.json");
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Ran Distill(const std::string& args, const std::string& env = "") {
    return testing::Run("env XDG_CACHE_HOME=" + (dir_ / "cache").string() + " " + env + " " +
                        DISTILL_BINARY + " " + args);
  }
  Ran Scan(const std::string& flags) {
    return Distill("scan --db " + db_ + " sbom:" + kSrc + "scan/debian11.distill.json " + flags);
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(ScanCliTest, Table) {
  Ran r = Scan("");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");
  // One table per target: the OS packages, then the Python packages of one site directory.
  EXPECT_EQ(r.out,
            "debian 11 (OS packages)\n"
            "=======================\n"
            "Total: 3 (UNKNOWN: 2, LOW: 1, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n"
            "\n"
            "Package                 Installed        Fixed in                Vulnerability   "
            "Severity  Status\n"
            "chromium                90.0.4430.212-1  98.0.4758.80-1~deb11u1  CVE-2022-0456   "
            "UNKNOWN   fixed\n"
            "libsope1 (source sope)  5.0.1-2+b1       5.0.1-2+deb11u1         CVE-2025-53603  "
            "UNKNOWN   fixed\n"
            "putty                   0.74-1                                   CVE-2021-36367  LOW  "
            "     not fixed (minor issue)\n"
            "\n"
            "Python (pypi): usr/lib/python3/dist-packages\n"
            "============================================\n"
            "Total: 1 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 0)\n"
            "\n"
            "Package  Installed  Fixed in      Vulnerability   Severity  Status\n"
            "Flask    2.1.2      2.2.5, 2.3.2  CVE-2023-30861  HIGH      fixed\n"
            "\n"
            "Total: 4 (UNKNOWN: 2, LOW: 1, MEDIUM: 0, HIGH: 1, CRITICAL: 0)\n");
}

// The same SBOM as CycloneDX JSON (distill's encoder: purls with `upstream`, the OS component)
// gives the same findings.
TEST_F(ScanCliTest, CycloneDxInputSameFindings) {
  auto sb = sbom::distill_json::Decode(ReadFile(kSrc + "scan/debian11.distill.json").value());
  ASSERT_TRUE(sb.ok()) << sb.error().message;
  auto spec = sbom::ParseOutputSpec("cyclonedx-json");
  ASSERT_TRUE(spec.ok());
  auto cdx = sbom::EncodeToString(*sb, *spec);
  ASSERT_TRUE(cdx.ok()) << cdx.error().message;
  std::string path = (dir_ / "bom.cdx.json").string();
  ASSERT_TRUE(WriteFileAtomic(path, *cdx).ok());
  Ran a = Scan(""), b = Distill("scan --db " + db_ + " sbom:" + path);
  ASSERT_EQ(b.rc, 0) << b.err;
  EXPECT_EQ(b.out, a.out);
  EXPECT_NE(b.out.find("Total: 4 "), std::string::npos) << b.out;

  ASSERT_TRUE(
      WriteFileAtomic(path, "{\"bomFormat\": \"CycloneDX\", \"components\": [{\"purl\": 7}, 1]}")
          .ok());
  b = Distill("scan --db " + db_ + " sbom:" + path);
  EXPECT_EQ(b.rc, 2);
  EXPECT_NE(b.err.find("components[1]: not an object"), std::string::npos) << b.err;
}

TEST_F(ScanCliTest, JsonAndFilters) {
  Ran r = Scan("-o json --only-fixed");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["matches"].size(), 3u);
  const auto& flask = j["matches"][0];
  EXPECT_EQ(flask["package"]["name"], "Flask");
  EXPECT_EQ(flask["vulnerability"]["ids"],
            nlohmann::json({"CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"}));
  EXPECT_EQ(flask["vulnerability"]["severity"], "HIGH");
  EXPECT_EQ(flask["vulnerability"]["severitySource"], "ghsa");
  EXPECT_EQ(flask["fixedIn"], nlohmann::json({"2.2.5", "2.3.2"}));
  const auto& sope = j["matches"][2];
  EXPECT_EQ(sope["package"]["source"], "sope");
  EXPECT_EQ(sope["matchedVersion"], "5.0.1-2");
  EXPECT_EQ(sope["ecosystem"], "debian:11");
  EXPECT_EQ(j["total"]["all"], 3);

  r = Scan("--severity high,low");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("Total: 2 (UNKNOWN: 0, LOW: 1, MEDIUM: 0, HIGH: 1, CRITICAL: 0)\n"),
            std::string::npos)
      << r.out;
}

// SPDX 2.3 JSON input (distill's encoder) gives the same findings.
TEST_F(ScanCliTest, SpdxInputSameFindings) {
  auto sb = sbom::distill_json::Decode(ReadFile(kSrc + "scan/debian11.distill.json").value());
  ASSERT_TRUE(sb.ok()) << sb.error().message;
  auto spec = sbom::ParseOutputSpec("spdx-json");
  ASSERT_TRUE(spec.ok());
  auto spdx = sbom::EncodeToString(*sb, *spec);
  ASSERT_TRUE(spdx.ok()) << spdx.error().message;
  std::string path = (dir_ / "bom.spdx.json").string();
  ASSERT_TRUE(WriteFileAtomic(path, *spdx).ok());
  Ran a = Scan(""), b = Distill("scan --db " + db_ + " sbom:" + path);
  ASSERT_EQ(b.rc, 0) << b.err;
  EXPECT_EQ(b.out, a.out);
}

// Ignore rules and VEX statements come before --fail-on, and are counted.
TEST_F(ScanCliTest, IgnoreFileAndVex) {
  std::string ignore = (dir_ / "ignore.yaml").string(), vex = (dir_ / "app.vex.json").string();
  ASSERT_TRUE(WriteFileAtomic(ignore,
                              "ignore:\n  - id: GHSA-m2qf-hxjv-5gpq\n    package: flask\n"
                              "    reason: no permanent sessions\n")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(vex, R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-2021-36367"}, "products": [{"@id": "pkg:deb/debian/putty"}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
    {"vulnerability": {"name": "CVE-2022-0456"}, "products": [{"@id": "pkg:oci/scan-fixture"}],
     "status": "under_investigation"}]})")
                  .ok());
  EXPECT_EQ(Scan("--fail-on high").rc, 1);
  Ran r = Scan("--fail-on high --ignore-file " + ignore + " --vex " + vex);
  ASSERT_EQ(r.rc, 0) << r.err;  // Flask (HIGH) is ignored
  EXPECT_NE(r.out.find("Total: 2 (UNKNOWN: 2, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n"
                       "Suppressed: 2 (ignore file: 1, VEX: 1)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("fixed [VEX: under_investigation]"), std::string::npos) << r.out;
  r = Scan("-o json --ignore-file " + ignore + " --vex " + vex);
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["suppressed"].size(), 2u);
  EXPECT_EQ(j["suppressed"][0]["package"]["name"], "Flask");
  EXPECT_EQ(j["suppressed"][0]["suppression"]["reason"], "no permanent sessions");
  EXPECT_EQ(j["total"]["suppressed"]["all"], 2);
  // --vex takes one file each time, so the target may follow it.
  r = Distill("scan --vex " + vex + " --vex " + vex + " --db " + db_ + " sbom:" + kSrc +
              "scan/debian11.distill.json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("Suppressed: 1 (ignore file: 0, VEX: 1)\n"), std::string::npos) << r.out;
  // ./.distill-ignore.yaml is read by default.
  ASSERT_TRUE(
      WriteFileAtomic((dir_ / ".distill-ignore.yaml").string(), ReadFile(ignore).value()).ok());
  std::string cmd = "cd " + dir_.string() + " && " + DISTILL_BINARY +
                    " scan -q --fail-on high --db " + db_ + " sbom:" + kSrc +
                    "scan/debian11.distill.json >/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  // A bad ignore file is bad input, named.
  ASSERT_TRUE(WriteFileAtomic(ignore, "ignore:\n  - idd: CVE-1\n").ok());
  r = Scan("--ignore-file " + ignore);
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find(ignore + ":2: unknown key \"idd\""), std::string::npos) << r.err;
}

TEST_F(ScanCliTest, CycloneDxOutput) {
  Ran r = Scan("-o cyclonedx-json");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["bomFormat"], "CycloneDX");
  std::map<std::string, std::string> name_of;
  for (const auto& c : j["components"]) name_of[c["bom-ref"]] = c["name"];
  ASSERT_EQ(j["vulnerabilities"].size(), 4u);  // by id
  const auto& flask = j["vulnerabilities"][2];
  EXPECT_EQ(flask["id"], "CVE-2023-30861");
  EXPECT_EQ(flask["references"][0]["id"], "GHSA-m2qf-hxjv-5gpq");
  EXPECT_EQ(flask["ratings"][0],
            nlohmann::json::parse(
                R"({"source": {"name": "ghsa"}, "severity": "high", "method": "other"})"));
  EXPECT_EQ(flask["ratings"][1]["score"], 7.5);
  EXPECT_EQ(flask["ratings"][1]["method"], "CVSSv31");
  EXPECT_EQ(flask["ratings"][1]["vector"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N");
  EXPECT_EQ(name_of[flask["affects"][0]["ref"]], "Flask");
}

TEST_F(ScanCliTest, FailOn) {
  EXPECT_EQ(Scan("--fail-on high").rc, 1);
  EXPECT_EQ(Scan("--fail-on CRITICAL").rc, 0);
  EXPECT_EQ(Scan("--fail-on low --severity UNKNOWN").rc, 0);  // filtered out first
  EXPECT_EQ(Scan("--fail-on unknown --severity UNKNOWN").rc, 1);
  Ran r = Scan("--fail-on severe");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--fail-on: unknown severity \"severe\""), std::string::npos) << r.err;
  r = Distill("scan --db " + (dir_ / "missing.db").string() + " sbom:" + kSrc +
              "scan/debian11.distill.json");
  EXPECT_EQ(r.rc, 2);
}

}  // namespace
}  // namespace distill::cli

namespace distill::cli {
namespace {

TEST_F(ScanCliTest, Sarif) {
  Ran r = Scan("-o sarif --fail-on high");
  ASSERT_EQ(r.rc, 1) << r.err;  // the policy exit code does not depend on the format
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "distill");
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 4u);
  ASSERT_EQ(run["results"].size(), 4u);
  const auto& flask = run["results"][0];
  EXPECT_EQ(flask["ruleId"], "CVE-2023-30861");
  EXPECT_EQ(flask["ruleIndex"], 0);
  EXPECT_EQ(flask["level"], "error");
  EXPECT_EQ(flask["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "usr/lib/python3/dist-packages/flask-2.1.2.dist-info/METADATA");
  const auto& rule = run["tool"]["driver"]["rules"][0];
  EXPECT_EQ(rule["properties"]["security-severity"], "7.5");
  EXPECT_EQ(rule["name"], "LanguageSpecificPackageVulnerability");
  EXPECT_EQ(run["tool"]["driver"]["rules"][1]["name"], "OsPackageVulnerability");
  EXPECT_EQ(rule["properties"]["aliases"],
            nlohmann::json({"CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"}));
  EXPECT_EQ(run["results"][3]["level"], "note");  // putty, LOW
}

// An image (a root filesystem directory): os-release and the dpkg status give the distro and the
// binNMU's source, exactly as the SBOM path does.
TEST_F(ScanCliTest, ImageDirectory) {
  fs::path root = dir_ / "root";
  fs::create_directories(root / "etc");
  fs::create_directories(root / "var/lib/dpkg");
  ASSERT_TRUE(WriteFileAtomic((root / "etc/os-release").string(),
                              "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nVERSION_ID=\"11\"\n"
                              "VERSION_CODENAME=bullseye\nID=debian\n")
                  .ok());
  ASSERT_TRUE(
      WriteFileAtomic(
          (root / "var/lib/dpkg/status").string(),
          "Package: putty\nStatus: install ok installed\nArchitecture: amd64\nVersion: 0.74-1\n\n"
          "Package: libsope1\nStatus: install ok installed\nArchitecture: amd64\n"
          "Source: sope (5.0.1-2)\nVersion: 5.0.1-2+b1\n")
          .ok());
  Ran r = Distill("scan --db " + db_ + " dir:" + root.string());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "debian 11 (OS packages)\n"
      "=======================\n"
      "Total: 2 (UNKNOWN: 1, LOW: 1, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n"
      "\n"
      "Package                 Installed   Fixed in         Vulnerability   Severity  Status\n"
      "libsope1 (source sope)  5.0.1-2+b1  5.0.1-2+deb11u1  CVE-2025-53603  UNKNOWN   fixed\n"
      "putty                   0.74-1                       CVE-2021-36367  LOW       not fixed "
      "(minor issue)\n"
      "\n"
      "Total: 2 (UNKNOWN: 1, LOW: 1, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n");
}

TEST_F(ScanCliTest, WarnsOnStaleDatabase) {
  std::string old = (dir_ / "old.db").string();
  ASSERT_EQ(Distill("db import --db " + old + " " + kSrc + "vuln/osv/GHSA-m2qf-hxjv-5gpq.json",
                    "SOURCE_DATE_EPOCH=1700000000")
                .rc,
            0);
  Ran r = Distill("scan --db " + old + " sbom:" + kSrc + "scan/debian11.distill.json");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find(" days old; run `distill db update`"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("Total: 1 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 0)\n"),
            std::string::npos)
      << r.out;
}

class RealScanSarif : public ScanCliTest {};
class RealScanCycloneDx : public ScanCliTest {};

TEST_F(RealScanCycloneDx, ValidatesAgainstTheOfficialSchema) {
  ASSERT_EQ(std::system("python3 -c 'import jsonschema' 2>/dev/null"), 0)
      << "needs python3-jsonschema (Debian python3-jsonschema)";
  std::string vex = (dir_ / "app.vex.json").string();
  ASSERT_TRUE(WriteFileAtomic(vex, R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-2021-36367"}, "products": [{"@id": "pkg:deb/debian/putty"}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]})")
                  .ok());
  Ran r = Scan("-o cyclonedx-json --vex " + vex);
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string doc = (dir_ / "scan.cdx.json").string(), log = (dir_ / "validate.log").string();
  ASSERT_TRUE(WriteFileAtomic(doc, r.out).ok());
  std::string cmd = "python3 '" + kSrc + "schemas/validate.py' cyclonedx/bom-1.6.schema.json '" +
                    doc + "' > '" + log + "' 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << ReadFile(log).value();
}

TEST_F(RealScanSarif, ValidatesAgainstTheOfficialSchema) {
  ASSERT_EQ(std::system("python3 -c 'import jsonschema' 2>/dev/null"), 0)
      << "needs python3-jsonschema (Debian python3-jsonschema)";
  Ran r = Scan("-o sarif");
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string doc = (dir_ / "scan.sarif").string(), log = (dir_ / "validate.log").string();
  ASSERT_TRUE(WriteFileAtomic(doc, r.out).ok());
  std::string cmd = "python3 '" + kSrc + "schemas/validate.py' '" + kSrc +
                    "scan/sarif-schema-2.1.0.json' '" + doc + "' > '" + log + "' 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << ReadFile(log).value();
}

}  // namespace
}  // namespace distill::cli

namespace distill::cli {
namespace {

// A package that cannot be looked up is never skipped silently: JSON lists it under `unmatched`
// with the reason, the table counts them.
TEST_F(ScanCliTest, PackagesNotLookedUpAreListed) {
  std::string path = (dir_ / "mixed.cdx.json").string();
  ASSERT_TRUE(
      WriteFileAtomic(path, R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
    {"type": "library", "name": "flask", "version": "2.1.2", "purl": "pkg:pypi/flask@2.1.2"},
    {"type": "library", "name": "weird", "version": "2.x", "purl": "pkg:pypi/weird@2.x"},
    {"type": "library", "name": "openssl", "version": "3.0.11", "purl": "pkg:generic/openssl@3.0.11"},
    {"type": "library", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"}]})")
          .ok());
  Ran r = Distill("scan --db " + db_ + " sbom:" + path);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(
      r.out.find(
          "Total: 1 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 0)\n"
          "Not looked up: 3 packages (no data: 1, unknown ecosystem: 1, unparsable version: 1); "
          "-o json lists them under \"unmatched\"\n"),
      std::string::npos)
      << r.out;
  r = Distill("scan -o json --db " + db_ + " sbom:" + path);
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["total"]["unmatched"], 3);
  ASSERT_EQ(j["unmatched"].size(), 3u);
  std::map<std::string, std::string> reason;
  for (const auto& u : j["unmatched"])
    reason[u["package"]["name"]] =
        u["reason"].get<std::string>() + ": " + u["detail"].get<std::string>();
  EXPECT_EQ(reason["openssl"], "unknown-ecosystem: no advisory data for purl type \"generic\"");
  EXPECT_EQ(reason["left-pad"], "no-data: the database has no advisories for \"npm\"");
  EXPECT_TRUE(reason["weird"].starts_with("unparsable-version: ")) << reason["weird"];
  EXPECT_EQ(j["matches"].size(), 1u);

  // Everything looked up: no such line, an empty list.
  r = Scan("-o json");
  EXPECT_EQ(nlohmann::json::parse(r.out)["unmatched"].size(), 0u);
  EXPECT_EQ(Scan("").out.find("Not looked up"), std::string::npos);
}

// A missing SBOM or image is named first: no database (a fresh cache, nothing to update from)
// must not hide what the user mistyped.
TEST_F(ScanCliTest, AMissingTargetIsNamedBeforeTheDatabase) {
  for (std::string target : {"sbom:" + (dir_ / "missing.json").string(),
                             "docker-archive:" + (dir_ / "missing.tar").string()}) {
    Ran r = Distill("scan --offline " + target);
    EXPECT_EQ(r.rc, 2) << target;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find((dir_ / "missing").string()), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("database"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace distill::cli
