#include "serve/api/testing/sample_findings.h"

namespace distill::serve::testing {

using vuln::match::Finding;
using vuln::match::Level;

std::vector<Finding> SampleFindings() {
  std::vector<Finding> out;
  Finding f;
  f.package = "libssl3", f.version = "3.0.11-1~deb12u1", f.type = "deb";
  f.purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12";
  f.location = "var/lib/dpkg/status", f.via_source = "openssl";
  f.matched_version = "3.0.11-1~deb12u1", f.ecosystem = "debian:12";
  f.id = "CVE-2023-5678", f.ids = {"CVE-2023-5678", "DSA-5585-1"};
  f.state = vuln::FixState::kFixed, f.fixed_versions = {"3.0.13-1~deb12u1"};
  f.severity = Level::kMedium, f.severity_source = "debian", f.severity_type = "vendor";
  f.score = 5.3, f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L";
  f.cvss_source = "nvd",
  f.advisories = {"https://security-tracker.debian.org/tracker/CVE-2023-5678"};
  f.summary = "Generating excessively long X9.42 DH keys may be slow.";
  f.sources = {"debian-tracker"};
  out.push_back(f);

  Finding z;
  z.package = "zlib1g", z.version = "1:1.2.13.dfsg-1", z.type = "deb";
  z.purl = "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12";
  z.via_source = "zlib", z.ecosystem = "debian:12", z.id = "CVE-2023-45853";
  z.ids = {"CVE-2023-45853"}, z.state = vuln::FixState::kWontFix, z.state_note = "end-of-life";
  z.severity = Level::kCritical, z.severity_source = "nvd", z.severity_type = "CVSS_V3";
  z.score = 9.8, z.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  z.summary = "MiniZip in zlib through 1.3 has an integer overflow.",
  z.sources = {"debian-tracker"};
  out.push_back(z);

  Finding p;
  p.package = "Flask", p.version = "2.1.2", p.type = "python", p.purl = "pkg:pypi/flask@2.1.2";
  p.location = "usr/lib/python3/dist-packages/Flask-2.1.2.dist-info/METADATA";
  p.ecosystem = "pypi", p.id = "CVE-2023-30861", p.ids = {"CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"};
  p.state = vuln::FixState::kFixed, p.fixed_versions = {"2.2.5", "2.3.2"};
  p.severity = Level::kHigh, p.severity_source = "ghsa", p.severity_type = "CVSS_V4";
  p.score = 8.7, p.cvss_vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N";
  p.advisories = {"https://github.com/advisories/GHSA-m2qf-hxjv-5gpq",
                  "https://nvd.nist.gov/vuln/detail/CVE-2023-30861"};
  p.summary = "Flask vulnerable to possible disclosure of permanent session cookie",
  p.sources = {"osv"}, p.vex_status = "affected";
  out.push_back(p);

  Finding v2;
  v2.package = "busybox", v2.version = "1.36.1-r2", v2.type = "apk";
  v2.purl = "pkg:apk/alpine/busybox@1.36.1-r2?arch=x86_64", v2.ecosystem = "alpine:3.18";
  v2.id = "CVE-2022-48174", v2.ids = {"CVE-2022-48174"}, v2.severity = Level::kHigh;
  v2.severity_source = "nvd", v2.severity_type = "CVSS_V2", v2.score = 7.5;
  v2.cvss_vector = "AV:N/AC:L/Au:N/C:P/I:P/A:P", v2.sources = {"secdb"};
  out.push_back(v2);

  Finding u;
  u.package = "odd", u.version = "1", u.type = "npm", u.purl = "pkg:npm/odd@1";
  u.ecosystem = "npm", u.id = "GHSA-xxxx-yyyy-zzzz", u.ids = {"GHSA-xxxx-yyyy-zzzz"};
  u.summary = "not UTF-8: \xff\xfe and a quote \" and a newline\n";
  out.push_back(u);
  return out;
}

ReportContext SampleContext() {
  ReportContext c;
  c.artifact = {"library/app", "sha256:" + std::string(64, 'a'), "1.0",
                "application/vnd.docker.distribution.manifest.v2+json"};
  c.scanner = {"distill", "distill", "0.1.0"};
  c.generated_at = 1733616000;  // 2024-12-08T00:00:00Z
  return c;
}

}  // namespace distill::serve::testing
