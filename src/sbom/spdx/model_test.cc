#include "sbom/spdx/model.h"

#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sbom/license.h"
#include "sbom/testing/sample_sbom.h"

namespace distill::sbom::spdx {
namespace {

using nlohmann::json;

json EncodeJson(const Sbom& sbom) {
  auto doc = ToDocument(sbom, "2.3");
  EXPECT_TRUE(doc.ok());
  std::ostringstream out;
  EXPECT_TRUE(WriteJson(*doc, out).ok());
  return json::parse(out.str());
}

std::set<std::string> Relationships(const json& doc, const std::string& type) {
  std::set<std::string> out;
  for (const auto& r : doc["relationships"]) {
    if (r["relationshipType"] == type)
      out.insert(r["spdxElementId"].get<std::string>() + " -> " +
                 r["relatedSpdxElement"].get<std::string>());
  }
  return out;
}

std::string IdOf(const json& doc, const std::string& name) {
  for (const auto& p : doc["packages"]) {
    if (p["name"] == name) return p["SPDXID"];
  }
  return "";
}

// What the JSON schema cannot check: SPDX 2.3 §3.2 id syntax, unique ids, every relationship end
// defined, every LicenseRef defined, declared licenses that parse as expressions.
TEST(SpdxModel, SemanticallyValid) {
  json d = EncodeJson(testing::SampleSbom());
  std::regex id_re("^SPDXRef-[A-Za-z0-9.-]+$");
  std::set<std::string> ids = {"SPDXRef-DOCUMENT"};
  for (const char* section : {"packages", "files"}) {
    for (const auto& e : d[section]) {
      std::string id = e["SPDXID"];
      EXPECT_TRUE(std::regex_match(id, id_re)) << id;
      EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
    }
  }
  for (const auto& r : d["relationships"]) {
    EXPECT_TRUE(ids.count(r["spdxElementId"])) << r.dump();
    EXPECT_TRUE(ids.count(r["relatedSpdxElement"])) << r.dump();
  }
  std::set<std::string> refs;
  for (const auto& l : d["hasExtractedLicensingInfos"]) refs.insert(l["licenseId"]);
  std::regex ref_re("LicenseRef-[A-Za-z0-9.-]+");
  for (const auto& p : d["packages"]) {
    std::string decl = p["licenseDeclared"];
    if (decl == "NOASSERTION") continue;
    EXPECT_NE(ClassifyLicense(decl).kind, License::Kind::kName) << decl;
    for (std::sregex_iterator it(decl.begin(), decl.end(), ref_re), end; it != end; ++it) {
      EXPECT_TRUE(refs.count(it->str())) << it->str();
    }
  }
  EXPECT_TRUE(d["documentNamespace"].get<std::string>().starts_with(
      "https://spdx.org/spdxdocs/distill/docker-archive/debian-12-"));
}

TEST(SpdxModel, ImageContainsPackagesThatDependAndOwnFiles) {
  json d = EncodeJson(testing::SampleSbom());
  std::string image = "SPDXRef-DocumentRoot-Image-debian-12";
  EXPECT_EQ(Relationships(d, "DESCRIBES"), (std::set<std::string>{"SPDXRef-DOCUMENT -> " + image}));
  auto contains = Relationships(d, "CONTAINS");
  for (const char* name : {"debian", "bash", "libc6", "libssl3", "musl", "flask", "tzdata"}) {
    EXPECT_TRUE(contains.count(image + " -> " + IdOf(d, name))) << name;
  }
  auto depends = Relationships(d, "DEPENDS_ON");
  EXPECT_EQ(depends.size(), 4u);
  EXPECT_TRUE(depends.count(IdOf(d, "bash") + " -> " + IdOf(d, "libc6")));
  EXPECT_TRUE(depends.count(IdOf(d, "libc6") + " -> " + IdOf(d, "libgcc-s1")));
  // Owned files with a recorded digest, lowercased hex; the one without a digest is left out.
  ASSERT_EQ(d["files"].size(), 3u);
  EXPECT_EQ(d["files"][2]["fileName"], "/usr/lib/x86_64-linux-gnu/libssl.so.3");
  EXPECT_EQ(d["files"][2]["checksums"][0],
            (json{{"algorithm", "MD5"}, {"checksumValue", "fedcba9876543210fedcba9876543210"}}));
  EXPECT_TRUE(
      contains.count(IdOf(d, "libssl3") + " -> " + d["files"][2]["SPDXID"].get<std::string>()));
}

TEST(SpdxModel, PackageFields) {
  json d = EncodeJson(testing::SampleSbom());
  json bash;
  for (const auto& p : d["packages"]) {
    if (p["name"] == "bash") bash = p;
  }
  EXPECT_EQ(bash["versionInfo"], "5.2.15-2+b8");
  EXPECT_EQ(bash["supplier"], "Person: Debian Developers <debian-devel@lists.debian.org>");
  EXPECT_EQ(bash["licenseDeclared"],
            "GPL-3.0-or-later AND LicenseRef-Artistic-or-GPL--Perl-licence-");
  EXPECT_EQ(bash["licenseConcluded"], "NOASSERTION");
  EXPECT_EQ(bash["sourceInfo"],
            "acquired package info from dpkg-db-cataloger: /var/lib/dpkg/status; built from source "
            "package bash 5.2.15-2");
  EXPECT_EQ(bash["externalRefs"][0]["referenceLocator"],
            "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12");
}

TEST(SpdxModel, NamespaceFollowsContentAndCreatedFollowsTheSbom) {
  Sbom s = testing::SampleSbom();
  json a = EncodeJson(s);
  EXPECT_EQ(a["creationInfo"]["created"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(EncodeJson(s)["documentNamespace"], a["documentNamespace"]);
  s.catalog.packages.pop_back();
  EXPECT_NE(EncodeJson(s)["documentNamespace"], a["documentNamespace"]);
  s.created = 0;
  EXPECT_EQ(EncodeJson(s)["creationInfo"]["created"], "1970-01-01T00:00:00Z");
}

TEST(SpdxModel, NameCollisionsGetDistinctLicenseRefs) {
  Sbom s;
  catalog::Package p;
  p.name = "x", p.type = "deb", p.licenses = {"GPL 2", "GPL/2"};
  s.catalog.packages = {p};
  json d = EncodeJson(s);
  ASSERT_EQ(d["hasExtractedLicensingInfos"].size(), 2u);
  EXPECT_NE(d["hasExtractedLicensingInfos"][0]["licenseId"],
            d["hasExtractedLicensingInfos"][1]["licenseId"]);
}

TEST(SpdxModel, OtherCatalogRelationships) {
  Sbom s;
  catalog::Package a, b;
  a.name = "python3-flask", a.type = "deb";
  b.name = "flask", b.type = "python";
  s.catalog.packages = {a, b};
  s.catalog.relationships = {
      {a.id(), b.id(), "owns"}, {a.id(), b.id(), "contains"}, {a.id(), "nowhere", "contains"}};
  json d = EncodeJson(s);
  EXPECT_EQ(
      Relationships(d, "CONTAINS").count(IdOf(d, "python3-flask") + " -> " + IdOf(d, "flask")), 1u);
  EXPECT_EQ(Relationships(d, "OTHER"),
            (std::set<std::string>{IdOf(d, "python3-flask") + " -> " + IdOf(d, "flask")}));
  EXPECT_EQ(Relationships(d, "CONTAINS").size(), 3u);  // image → both, a → b; "nowhere" dropped
}

TEST(SpdxModel, OnlyVersion23) {
  EXPECT_EQ(ToDocument(Sbom{}, "2.2").error().message,
            "unsupported SPDX version '2.2' (supported: 2.3)");
}

}  // namespace
}  // namespace distill::sbom::spdx
