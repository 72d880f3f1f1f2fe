#include "sbom/cyclonedx/model.h"

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sbom/testing/sample_sbom.h"

namespace distill::sbom::cyclonedx {
namespace {

using nlohmann::json;

json EncodeJson(const Sbom& sbom, std::string_view version = "1.6") {
  auto doc = ToDocument(sbom, version);
  EXPECT_TRUE(doc.ok());
  std::ostringstream out;
  EXPECT_TRUE(WriteJson(*doc, out).ok());
  return json::parse(out.str());
}

json Component(const json& doc, const std::string& name) {
  for (const auto& c : doc["components"]) {
    if (c["name"] == name) return c;
  }
  return nullptr;
}

TEST(CycloneDxModel, LicenseChoice) {
  json d = EncodeJson(testing::SampleSbom());
  EXPECT_EQ(Component(d, "musl")["licenses"], json::parse(R"j([{"license":{"id":"MIT"}}])j"));
  EXPECT_EQ(Component(d, "tzdata")["licenses"],
            json::parse(R"j([{"license":{"name":"public-domain"}}])j"));
  EXPECT_EQ(
      Component(d, "bash")["licenses"],
      json::parse(
          R"j([{"license":{"id":"GPL-3.0-or-later"}},{"license":{"name":"Artistic or GPL (Perl licence)"}}])j"));
  EXPECT_EQ(Component(d, "flask")["licenses"],
            json::parse(R"j([{"expression":"BSD-3-Clause OR (MIT AND Apache-2.0)"}])j"));
  EXPECT_EQ(Component(d, "libgcc-s1")["licenses"],
            json::parse(R"j([{"expression":"GPL-3.0-only WITH GCC-exception-3.1"}])j"));
  EXPECT_FALSE(Component(d, "base-files").contains("licenses"));
  // An expression mixed with a name: one expression, the name as a LicenseRef.
  Licenses mixed = ToLicenses({"MIT OR Zlib", "Some License"});
  EXPECT_EQ(mixed.expression, "(MIT OR Zlib) AND LicenseRef-Some-License");
  EXPECT_TRUE(mixed.list.empty());
}

TEST(CycloneDxModel, DependencyGraphIsComplete) {
  json d = EncodeJson(testing::SampleSbom());
  std::set<std::string> refs = {d["metadata"]["component"]["bom-ref"]};
  for (const auto& c : d["components"])
    EXPECT_TRUE(refs.insert(c["bom-ref"].get<std::string>()).second) << c["bom-ref"];
  std::set<std::string> listed;
  for (const auto& dep : d["dependencies"]) {
    listed.insert(dep["ref"]);
    for (const auto& to : dep["dependsOn"]) EXPECT_TRUE(refs.count(to)) << to;
  }
  EXPECT_EQ(listed, refs);  // every component appears, with an empty dependsOn when it has none
  auto deps_of = [&](const std::string& ref) {
    for (const auto& dep : d["dependencies"]) {
      if (dep["ref"] == ref) return dep["dependsOn"];
    }
    return json();
  };
  std::string os = Component(d, "debian")["bom-ref"];
  EXPECT_EQ(deps_of(d["metadata"]["component"]["bom-ref"]),
            json::array({os, Component(d, "flask")["bom-ref"]}));
  EXPECT_EQ(deps_of(os).size(), 7u);  // six debs and musl
  EXPECT_EQ(deps_of(Component(d, "bash")["bom-ref"]),
            json::array({Component(d, "base-files")["bom-ref"], Component(d, "libc6")["bom-ref"]}));
  EXPECT_EQ(deps_of(Component(d, "base-files")["bom-ref"]), json::array());
}

TEST(CycloneDxModel, SourcePackageAndLocationProperties) {
  json libc = Component(EncodeJson(testing::SampleSbom()), "libc6");
  std::map<std::string, std::string> props;
  for (const auto& p : libc["properties"]) props[p["name"]] = p["value"];
  EXPECT_EQ(props["distill:package:sourceName"], "glibc");
  EXPECT_EQ(props["distill:location:0:path"], "/var/lib/dpkg/status");
  EXPECT_EQ(libc["cpe"], "cpe:2.3:a:gnu:glibc:2.36-9\\+deb12u4:*:*:*:*:*:*:*");
  EXPECT_EQ(libc["purl"], "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
}

TEST(CycloneDxModel, SerialIsContentDerivedAndVersionSpecific) {
  Sbom s = testing::SampleSbom();
  json a = EncodeJson(s), a15 = EncodeJson(s, "1.5");
  EXPECT_TRUE(std::regex_match(
      a["serialNumber"].get<std::string>(),
      std::regex(
          "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")));
  EXPECT_EQ(EncodeJson(s)["serialNumber"], a["serialNumber"]);
  EXPECT_NE(a15["serialNumber"], a["serialNumber"]);
  EXPECT_EQ(a15["specVersion"], "1.5");
  EXPECT_EQ(a15["$schema"], "http://cyclonedx.org/schema/bom-1.5.schema.json");
  s.source.manifest_digest =
      "sha256:4444444444444444444444444444444444444444444444444444444444444444";
  EXPECT_NE(EncodeJson(s)["serialNumber"], a["serialNumber"]);
}

TEST(CycloneDxModel, Versions) {
  EXPECT_EQ(ToDocument(Sbom{}, "1.4").error().message,
            "unsupported CycloneDX version '1.4' (supported: 1.6, 1.5)");
}

}  // namespace
}  // namespace distill::sbom::cyclonedx
