#include "vuln/scan/report.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distill::vuln::scan {
namespace {

catalog::Distro Debian() {
  catalog::Distro d;
  d.id = "debian", d.version_id = "12";
  return d;
}

TEST(VulnReport, Targets) {
  EXPECT_EQ(TargetOf(Debian(), "deb", "pkg:deb/debian/bash@5.2.15-2", "var/lib/dpkg/status").name,
            "debian 12 (OS packages)");
  EXPECT_EQ(TargetOf({}, "apk", "", "lib/apk/db/installed").name, "OS packages (apk)");
  EXPECT_EQ(TargetOf(Debian(), "python", "pkg:pypi/flask@2.1.2",
                     "usr/lib/python3/dist-packages/flask-2.1.2.dist-info/METADATA")
                .name,
            "Python (pypi): usr/lib/python3/dist-packages");
  EXPECT_EQ(TargetOf(Debian(), "python", "pkg:pypi/rich@13",
                     "opt/venv/lib/python3.11/site-packages/rich-13.dist-info/METADATA")
                .name,
            "Python (pypi): opt/venv/lib/python3.11/site-packages");
  EXPECT_EQ(
      TargetOf(Debian(), "npm", "pkg:npm/semver@7.5.1", "app/node_modules/semver/package.json")
          .name,
      "Node.js (npm): app/node_modules");
  EXPECT_EQ(
      TargetOf(Debian(), "go-module", "pkg:golang/golang.org/x/net@v0.1.0", "usr/bin/app").name,
      "Go (golang): usr/bin/app");
  EXPECT_EQ(TargetOf(Debian(), "python", "pkg:pypi/flask@2.1.2", "").name, "Python (pypi)");
  EXPECT_LT(TargetOf(Debian(), "deb", "", ""),
            TargetOf(Debian(), "python", "pkg:pypi/a@1", ""));  // OS first
}

match::Finding F(std::string pkg, std::string type, std::string purl, std::string location,
                 std::string id, match::Level level) {
  match::Finding f;
  f.package = std::move(pkg), f.version = "1.0", f.type = std::move(type), f.purl = std::move(purl);
  f.location = std::move(location), f.id = std::move(id), f.ids = {f.id}, f.severity = level;
  f.state = FixState::kFixed, f.fixed_versions = {"1.1"};
  return f;
}

Report Sample(catalog::Catalog& cat) {
  cat.distro = Debian();
  catalog::Package clean;  // a target without findings is listed with its zero total
  clean.name = "left-pad", clean.type = "npm", clean.purl = "pkg:npm/left-pad@1.0";
  clean.locations = {{"app/node_modules/left-pad/package.json", ""}};
  cat.packages = {clean};
  Report r;
  r.target = "img.tar", r.catalog = &cat;
  r.findings = {
      F("bash", "deb", "pkg:deb/debian/bash@1.0", "var/lib/dpkg/status", "CVE-1",
        match::Level::kLow),
      F("flask", "python", "pkg:pypi/flask@1.0",
        "usr/lib/python3/dist-packages/flask-1.0.dist-info/METADATA", "CVE-2", match::Level::kHigh),
      F("zlib1g", "deb", "pkg:deb/debian/zlib1g@1.0", "var/lib/dpkg/status", "CVE-3",
        match::Level::kCritical)};
  match::Finding ignored =
      F("flask", "python", "pkg:pypi/flask@1.0", "", "CVE-4", match::Level::kMedium);
  r.suppressed = {{ignored, "vex", "not_affected", "component_not_present"}};
  return r;
}

TEST(VulnReport, TablePerTarget) {
  catalog::Catalog cat;
  Report r = Sample(cat);
  std::ostringstream out;
  WriteTable(r, out);
  EXPECT_EQ(out.str(),
            "debian 12 (OS packages)\n"
            "=======================\n"
            "Total: 2 (UNKNOWN: 0, LOW: 1, MEDIUM: 0, HIGH: 0, CRITICAL: 1)\n"
            "\n"
            "Package  Installed  Fixed in  Vulnerability  Severity  Status\n"
            "bash     1.0        1.1       CVE-1          LOW       fixed\n"
            "zlib1g   1.0        1.1       CVE-3          CRITICAL  fixed\n"
            "\n"
            "Node.js (npm): app/node_modules\n"
            "===============================\n"
            "Total: 0 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n"
            "\n"
            "Python (pypi): usr/lib/python3/dist-packages\n"
            "============================================\n"
            "Total: 1 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 0)\n"
            "\n"
            "Package  Installed  Fixed in  Vulnerability  Severity  Status\n"
            "flask    1.0        1.1       CVE-2          HIGH      fixed\n"
            "\n"
            "Total: 3 (UNKNOWN: 0, LOW: 1, MEDIUM: 0, HIGH: 1, CRITICAL: 1)\n"
            "Suppressed: 1 (ignore file: 0, VEX: 1)\n");
}

TEST(VulnReport, CycloneDxVulnerabilities) {
  catalog::Catalog cat;
  Report r = Sample(cat);
  for (const auto& f : r.findings) {  // the packages the findings are about
    catalog::Package p;
    p.name = f.package, p.version = f.version, p.type = f.type, p.purl = f.purl;
    cat.packages.push_back(p);
  }
  std::ostringstream out;
  ASSERT_TRUE(WriteCycloneDx(r, out).ok());
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["specVersion"], "1.6");
  std::map<std::string, std::string> purl_of;
  for (const auto& c : j["components"])
    if (c.contains("purl")) purl_of[c["bom-ref"]] = c["purl"];
  const auto& vs = j["vulnerabilities"];
  ASSERT_EQ(vs.size(), 4u);
  EXPECT_EQ(vs[0]["id"], "CVE-1");
  EXPECT_EQ(vs[0]["ratings"][0]["severity"], "low");
  ASSERT_EQ(vs[0]["affects"].size(), 1u);
  EXPECT_EQ(purl_of[vs[0]["affects"][0]["ref"]], "pkg:deb/debian/bash@1.0");
  EXPECT_EQ(
      vs[0]["affects"][0]["versions"],
      nlohmann::json::parse(
          R"([{"version": "1.0", "status": "affected"}, {"version": "1.1", "status": "unaffected"}])"));
  EXPECT_EQ(vs[3]["id"], "CVE-4");
  EXPECT_EQ(vs[3]["analysis"]["state"], "not_affected");
  EXPECT_EQ(vs[3]["analysis"]["justification"], "code_not_present");
}

}  // namespace
}  // namespace distill::vuln::scan
