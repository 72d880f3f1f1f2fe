#include "catalog/purl.h"

#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distill::catalog {
namespace {

using nlohmann::json;

const char* const kSuiteFiles[] = {
    "spec__specification-test.json", "types__apk-test.json",   "types__cargo-test.json",
    "types__composer-test.json",     "types__deb-test.json",   "types__docker-test.json",
    "types__gem-test.json",          "types__generic-test.json", "types__golang-test.json",
    "types__maven-test.json",        "types__npm-test.json",   "types__nuget-test.json",
    "types__oci-test.json",          "types__pypi-test.json",  "types__rpm-test.json",
};

// Upstream contradiction: this "required" parse case expects a mixed-case qualifier key
// ("repositorY_url") to be accepted, while the "required" gem and rpm parse cases expect
// "Platform=" / "Arch=" to be rejected "as qualifier keys are not in lowercase" (purl-spec#942,
// fixed for gem only in #951). We follow the spec text (keys "shall" be lowercase): strict parse
// rejects it, and the lenient parse must produce exactly the expected components.
const std::set<std::string> kMixedCaseKeyRequiredParse = {
    "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=repo.spring.io/release",
};

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

Purl FromJson(const json& j) {
  Purl p{Str(j, "type"), Str(j, "namespace"), Str(j, "name"), Str(j, "version"), {}, Str(j, "subpath")};
  if (j.contains("qualifiers") && j["qualifiers"].is_object()) {
    for (const auto& [k, v] : j["qualifiers"].items()) p.qualifiers[k] = v.get<std::string>();
  }
  return p;
}

std::string Describe(const Purl& p) {
  std::string q;
  for (const auto& [k, v] : p.qualifiers) q += k + "=" + v + ";";
  return p.type + "|" + p.namespace_ + "|" + p.name + "|" + p.version + "|" + q + "|" + p.subpath;
}

json LoadSuite(const std::string& file) {
  std::ifstream in(std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/purl-spec/" + file);
  return json::parse(in);
}

void RunCase(const json& t) {
  const std::string type = t["test_type"], group = t["test_group"], desc = t["description"];
  const bool fail = t["expected_failure"].get<bool>();
  const bool lenient = group == "recommended";
  SCOPED_TRACE(group + " " + type + ": " + desc + " — " + t["input"].dump());
  if (type == "build") {
    auto r = MakePurl(FromJson(t["input"]));
    if (fail) {
      EXPECT_FALSE(r.ok()) << r->ToString();
      return;
    }
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->ToString(), t["expected_output"].get<std::string>());
    return;
  }
  const std::string input = t["input"];
  if (kMixedCaseKeyRequiredParse.count(input) && !lenient) {
    EXPECT_FALSE(ParsePurl(input).ok());
    auto r = ParsePurlLenient(input);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(Describe(*r), Describe(FromJson(t["expected_output"])));
    return;
  }
  auto r = lenient ? ParsePurlLenient(input) : ParsePurl(input);
  if (fail) {
    EXPECT_FALSE(r.ok()) << r->ToString();
    return;
  }
  ASSERT_TRUE(r.ok()) << r.error().message;
  if (type == "parse") {
    EXPECT_EQ(Describe(*r), Describe(FromJson(t["expected_output"])));
  } else {
    const std::string canonical = t["expected_output"];
    EXPECT_EQ(r->ToString(), canonical);
    // The canonical form is a fixed point of strict parse + print.
    auto again = ParsePurl(canonical);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->ToString(), canonical);
  }
}

TEST(PurlSpec, OfficialSuite) {
  int cases = 0;
  for (const char* file : kSuiteFiles) {
    SCOPED_TRACE(file);
    json suite = LoadSuite(file);
    for (const auto& t : suite["tests"]) {
      RunCase(t);
      ++cases;
    }
  }
  EXPECT_GE(cases, 220);  // the suite did load
}

TEST(Purl, BuildsTheFormsSyftAndTrivyWrite) {
  Purl p{"deb", "debian", "libssl3", "3.0.19-1~deb12u2", {{"arch", "amd64"}, {"distro", "debian-12"}, {"upstream", "openssl"}}, ""};
  EXPECT_EQ(p.ToString(), "pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl");
  Purl epoch{"deb", "debian", "libc6", "1:2.36-9+deb12u4", {{"arch", "amd64"}}, ""};
  EXPECT_EQ(epoch.ToString(), "pkg:deb/debian/libc6@1:2.36-9%2Bdeb12u4?arch=amd64");
}

TEST(Purl, ToStringIsCanonicalWhateverItIsGiven) {
  Purl p{"PyPI", "", "Django_Package", "1.0", {{"Foo", "bar"}, {"empty", ""}}, "/a/./b/"};
  EXPECT_EQ(p.ToString(), "pkg:pypi/django-package@1.0?foo=bar#a/b");
  EXPECT_EQ(p.name, "Django_Package");  // the value itself is left as it was
}

TEST(Purl, ErrorsNameThePurlAndTheProblem) {
  EXPECT_EQ(ParsePurl("pkg:npm/x?Foo=1").error().message, "purl 'pkg:npm/x?Foo=1': qualifier key 'Foo' is not lowercase");
  EXPECT_EQ(ParsePurl("npm/x").error().message, "purl 'npm/x': missing the 'pkg:' scheme");
  EXPECT_EQ(ParsePurl("pkg:npm/x@%zz").error().message, "purl 'pkg:npm/x@%zz': version: invalid percent-encoding at offset 0");
  EXPECT_EQ(ParsePurl("pkg:3d/x").error().message, "purl 'pkg:3d/x': type '3d' must start with a letter");
  // Found by purl_fuzz: "%2F" decoded to a '/' inside a namespace segment printed as a separator,
  // so the canonical form parsed back to another namespace. The spec forbids it; both parsers refuse.
  EXPECT_EQ(ParsePurlLenient("pkg:generic/a%2F/b/name?Key=1").error().message,
            "purl 'pkg:generic/a%2F/b/name?Key=1': namespace segment 'a%2F' contains '/' once decoded");
  EXPECT_FALSE(ParsePurl("pkg:generic/a%2fb/name").ok());
}

TEST(Purl, SubpathNeverClimbs) {
  auto r = ParsePurl("pkg:golang/a/b#../x/./y/..");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subpath, "x/y");
}

}  // namespace
}  // namespace distill::catalog
