#include "vuln/scan/sbom_input.h"

#include <gtest/gtest.h>

#include "sbom/distill_json.h"
#include "sbom/formats.h"
#include "util/file.h"

namespace distill::vuln::scan {
namespace {

const std::string kFixture =
    std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/scan/debian11.distill.json";

const catalog::Package* Find(const catalog::Catalog& cat, std::string_view name) {
  for (const auto& p : cat.packages)
    if (p.name == name) return &p;
  return nullptr;
}

// distill's own SPDX 2.3 and CycloneDX encoders, read back: the matcher's inputs survive.
TEST(VulnSbomInput, DistillEncodersRoundTrip) {
  auto sb = sbom::distill_json::Decode(ReadFile(kFixture).value());
  ASSERT_TRUE(sb.ok()) << sb.error().message;
  for (const char* format : {"spdx-json", "cyclonedx-json", "distill-json"}) {
    SCOPED_TRACE(format);
    auto spec = sbom::ParseOutputSpec(format);
    ASSERT_TRUE(spec.ok());
    auto text = sbom::EncodeToString(*sb, *spec);
    ASSERT_TRUE(text.ok()) << text.error().message;
    auto cat = CatalogFromSbom(*text, "x.json");
    ASSERT_TRUE(cat.ok()) << cat.error().message;
    EXPECT_EQ(cat->distro.id, "debian");
    EXPECT_EQ(cat->distro.version_id, "11");
    const auto* sope = Find(*cat, "libsope1");
    ASSERT_NE(sope, nullptr);
    EXPECT_EQ(sope->type, "deb");
    EXPECT_EQ(sope->version, "5.0.1-2+b1");
    EXPECT_EQ(sope->source_name, "sope");
    EXPECT_EQ(sope->source_version, "5.0.1-2");
    const auto* flask = Find(*cat, "Flask");
    ASSERT_NE(flask, nullptr);
    EXPECT_EQ(flask->purl, "pkg:pypi/flask@2.1.2");
    ASSERT_FALSE(flask->locations.empty());
    EXPECT_EQ(flask->locations[0].path,
              "usr/lib/python3/dist-packages/flask-2.1.2.dist-info/METADATA");
  }
}

// SPDX 2.3 JSON the way trivy writes it: an OPERATING-SYSTEM package, purls in externalRefs,
// the source package in sourceInfo; the image package (pkg:oci) is not a package to match.
TEST(VulnSbomInput, TrivySpdx) {
  constexpr const char* kDoc = R"({
    "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "img",
    "packages": [
      {"name": "img", "SPDXID": "SPDXRef-ContainerImage-1", "primaryPackagePurpose": "CONTAINER",
       "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                         "referenceLocator": "pkg:oci/img@sha256%3Aabc"}]},
      {"name": "debian", "SPDXID": "SPDXRef-OperatingSystem-1", "versionInfo": "12.5",
       "primaryPackagePurpose": "OPERATING-SYSTEM"},
      {"name": "libc6", "SPDXID": "SPDXRef-Package-1", "versionInfo": "2.36-9+deb12u4",
       "sourceInfo": "built package from: glibc 2.36-9+deb12u4",
       "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                         "referenceLocator": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5"}]},
      {"name": "no-purl", "SPDXID": "SPDXRef-Package-2", "versionInfo": "1"}
    ]})";
  auto cat = CatalogFromSbom(kDoc, "trivy.spdx.json");
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  EXPECT_EQ(cat->distro.id, "debian");
  EXPECT_EQ(cat->distro.version_id, "12.5");
  ASSERT_EQ(cat->packages.size(), 1u);
  EXPECT_EQ(cat->packages[0].name, "libc6");
  EXPECT_EQ(cat->packages[0].type, "deb");
  EXPECT_EQ(cat->packages[0].source_name, "glibc");
  EXPECT_EQ(cat->packages[0].source_version, "");  // the same as the binary's
}

// syft's SPDX: no OS package; the distro comes from the purls' `distro` qualifier.
TEST(VulnSbomInput, SyftSpdxDistroFromPurl) {
  constexpr const char* kDoc = R"({"spdxVersion": "SPDX-2.3", "packages": [
    {"name": "bash", "versionInfo": "5.2.15-2+b8", "sourceInfo": "acquired package info from DPKG DB: /var/lib/dpkg/status",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
       "referenceLocator": "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&upstream=bash%405.2.15-2&distro=debian-12"}]}]})";
  auto cat = CatalogFromSbom(kDoc, "syft.spdx.json");
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  EXPECT_EQ(cat->distro.id, "debian");
  EXPECT_EQ(cat->distro.version_id, "12");
  ASSERT_EQ(cat->packages.size(), 1u);
  EXPECT_EQ(cat->packages[0].source_name, "");  // upstream "bash" is the binary's own name
  EXPECT_EQ(cat->packages[0].source_version, "5.2.15-2");
  ASSERT_EQ(cat->packages[0].locations.size(), 1u);
  EXPECT_EQ(cat->packages[0].locations[0].path, "var/lib/dpkg/status");
}

// trivy writes an apk purl's `distro` qualifier as the release alone (alpine-distroless golden:
// "distro=3.16"): the distribution is the purl's namespace, not "3.16".
TEST(VulnSbomInput, TrivyApkDistroQualifier) {
  constexpr const char* kDoc = R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
    {"type": "library", "name": "git", "version": "2.35.1-r2",
     "purl": "pkg:apk/alpine/git@2.35.1-r2?arch=x86_64&distro=3.16"}]})";
  auto cat = CatalogFromSbom(kDoc, "trivy.cdx.json");
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  EXPECT_EQ(cat->distro.id, "alpine");
  EXPECT_EQ(cat->distro.version_id, "3.16");
}

TEST(VulnSbomInput, Errors) {
  EXPECT_EQ(CatalogFromSbom("[1]", "a.json").error().message,
            "a.json: not a JSON SBOM (distill-json, CycloneDX JSON or SPDX 2.3 JSON)");
  auto e = CatalogFromSbom(R"({"spdxVersion": "SPDX-2.3", "packages": [{"externalRefs": [
    {"referenceType": "purl", "referenceLocator": "not a purl"}]}]})",
                           "s.json");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("s.json: packages[0]: purl"), std::string::npos)
      << e.error().message;
  EXPECT_FALSE(CatalogFromSbom(R"({"spdxVersion": "SPDX-2.3", "packages": 3})", "s.json").ok());
}

}  // namespace
}  // namespace distill::vuln::scan
