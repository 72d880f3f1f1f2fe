#include "vuln/db/ecosystem.h"

#include <gtest/gtest.h>

namespace distill::vuln {
namespace {

TEST(VulnEcosystem, OsvNamesBecomeKeys) {
  EXPECT_EQ(NormalizeEcosystem("PyPI"), "pypi");
  EXPECT_EQ(NormalizeEcosystem("crates.io"), "cargo");
  EXPECT_EQ(NormalizeEcosystem("Go"), "golang");
  EXPECT_EQ(NormalizeEcosystem("RubyGems"), "gem");
  EXPECT_EQ(NormalizeEcosystem("Packagist"), "composer");
  EXPECT_EQ(NormalizeEcosystem("Alpine:v3.18"), "alpine:3.18");
  EXPECT_EQ(NormalizeEcosystem("alpine:3.18.4"), "alpine:3.18");
  EXPECT_EQ(NormalizeEcosystem("Debian:12"), "debian:12");
  EXPECT_EQ(NormalizeEcosystem("debian:bookworm"), "debian:12");
  EXPECT_EQ(NormalizeEcosystem("debian:12.5"), "debian:12");
  EXPECT_EQ(NormalizeEcosystem("Ubuntu:22.04:LTS"), "ubuntu:22.04");
  EXPECT_EQ(NormalizeEcosystem("AlmaLinux:9"), "almalinux:9");
  EXPECT_EQ(NormalizeEcosystem("Wolfi"), "wolfi");
  EXPECT_EQ(NormalizeEcosystem("Chainguard"), "chainguard");
}

TEST(VulnEcosystem, RedHatStreamsShareTheRhelReleaseKey) {
  // OSV "Red Hat:<CPE>" ecosystems: RHEL's BaseOS and AppStream streams are one release key,
  // the key a RHEL (or CentOS) image's os-release maps to.
  EXPECT_EQ(NormalizeEcosystem("Red Hat:enterprise_linux:9::appstream"), "redhat:9");
  EXPECT_EQ(NormalizeEcosystem("Red Hat:enterprise_linux:8::baseos"), "redhat:8");
  EXPECT_EQ(NormalizeEcosystem("rhel:9"), "redhat:9");
  EXPECT_EQ(NormalizeEcosystem("rhel:9.3"), "redhat:9");
  EXPECT_EQ(NormalizeEcosystem("centos:7"), "redhat:7");
  // Extended-support streams are other products: kept apart.
  EXPECT_EQ(NormalizeEcosystem("Red Hat:rhel_eus:8.6::baseos"), "redhat:rhel_eus:8.6::baseos");
}

TEST(VulnEcosystem, PyPINamesArePep503Normalized) {
  // The examples of PEP 503 "Normalized Names".
  for (const char* n : {"friendly-bard", "Friendly-Bard", "FRIENDLY-BARD", "friendly.bard",
                        "friendly_bard", "friendly--bard", "FrIeNdLy-._.-bArD"})
    EXPECT_EQ(NormalizePackageName("pypi", n), "friendly-bard") << n;
  EXPECT_EQ(NormalizePackageName("npm", "@Scope/Pkg"), "@Scope/Pkg");
  EXPECT_EQ(NormalizePackageName("nuget", "Newtonsoft.Json"), "newtonsoft.json");
}

}  // namespace
}  // namespace distill::vuln
