#include "catalog/purl.h"

#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distill::catalog {
namespace {

using nlohmann::json;

const char* const kSuiteFiles[] = {
    "spec__specification-test.json", "types__apk-test.json",     "types__cargo-test.json",
    "types__composer-test.json",     "types__deb-test.json",     "types__docker-test.json",
    "types__gem-test.json",          "types__generic-test.json", "types__golang-test.json",
    "types__maven-test.json",        "types__npm-test.json",     "types__nuget-test.json",
    "types__oci-test.json",          "types__pypi-test.json",    "types__rpm-test.json",
};

// Upstream contradiction: this "required" parse case expects a mixed-case qualifier key
// ("repositorY_url") to be accepted, while the "required" gem and rpm parse cases expect
// "Platform=" / "Arch=" to be rejected "as qualifier keys are not in lowercase" (purl-spec#942,
// fixed for gem only in #951). We follow the spec text (keys "shall" be lowercase): strict parse
// rejects it, and the lenient parse must produce exactly the expected components.
const std::set<std::string> kMixedCaseKeyRequiredParse = {
    "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=repo.spring.io/"
    "release",
};

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

Purl FromJson(const json& j) {
  Purl p{Str(j, "type"),   Str(j, "namespace"), Str(j, "name"), Str(j, "version"), {},
         Str(j, "subpath")};
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
  Purl p{"deb",
         "debian",
         "libssl3",
         "3.0.19-1~deb12u2",
         {{"arch", "amd64"}, {"distro", "debian-12"}, {"upstream", "openssl"}},
         ""};
  EXPECT_EQ(p.ToString(),
            "pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl");
  Purl epoch{"deb", "debian", "libc6", "1:2.36-9+deb12u4", {{"arch", "amd64"}}, ""};
  EXPECT_EQ(epoch.ToString(), "pkg:deb/debian/libc6@1:2.36-9%2Bdeb12u4?arch=amd64");
}

TEST(Purl, ToStringIsCanonicalWhateverItIsGiven) {
  Purl p{"PyPI", "", "Django_Package", "1.0", {{"Foo", "bar"}, {"empty", ""}}, "/a/./b/"};
  EXPECT_EQ(p.ToString(), "pkg:pypi/django-package@1.0?foo=bar#a/b");
  EXPECT_EQ(p.name, "Django_Package");  // the value itself is left as it was
}

TEST(Purl, ErrorsNameThePurlAndTheProblem) {
  EXPECT_EQ(ParsePurl("pkg:npm/x?Foo=1").error().message,
            "purl 'pkg:npm/x?Foo=1': qualifier key 'Foo' is not lowercase");
  EXPECT_EQ(ParsePurl("npm/x").error().message, "purl 'npm/x': missing the 'pkg:' scheme");
  EXPECT_EQ(ParsePurl("pkg:npm/x@%zz").error().message,
            "purl 'pkg:npm/x@%zz': version: invalid percent-encoding at offset 0");
  EXPECT_EQ(ParsePurl("pkg:3d/x").error().message,
            "purl 'pkg:3d/x': type '3d' must start with a letter");
  // Found by purl_fuzz: "%2F" decoded to a '/' inside a namespace segment printed as a separator,
  // so the canonical form parsed back to another namespace. The spec forbids it; both parsers
  // refuse.
  EXPECT_EQ(
      ParsePurlLenient("pkg:generic/a%2F/b/name?Key=1").error().message,
      "purl 'pkg:generic/a%2F/b/name?Key=1': namespace segment 'a%2F' contains '/' once decoded");
  EXPECT_FALSE(ParsePurl("pkg:generic/a%2fb/name").ok());
}

TEST(Purl, SubpathNeverClimbs) {
  auto r = ParsePurl("pkg:golang/a/b#../x/./y/..");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subpath, "x/y");
}

// The `distro` qualifiers the tools write, from their own goldens and tests: each read back as
// the distribution the matcher keys on.
TEST(PurlDistroQualifier, FormsInUse) {
  struct Case {
    const char* purl;  // where it is written
    const char* id;
    const char* version_id;
    const char* codename;
  };
  const Case kCases[] = {
      // syft pkg/cataloger/debian/cataloger_test.go "image-dpkg" (os-release VERSION_ID 12)
      {"pkg:deb/debian/libpam-runtime@1.1.8-3.6?arch=all&distro=debian-12&upstream=pam", "debian",
       "12", ""},
      // trivy integration/testdata/distroless-base.json.golden (etc/debian_version 9.9)
      {"pkg:deb/debian/libssl1.1@1.1.0k-1~deb9u1?arch=amd64&distro=debian-9.9", "debian", "9.9",
       ""},
      // trivy integration/testdata/alpine-distroless.json.golden: the release alone
      {"pkg:apk/alpine/git@2.35.1-r2?arch=x86_64&distro=3.16", "alpine", "3.16", ""},
      // syft pkg/cataloger/alpine/package_test.go Test_PackageURL
      {"pkg:apk/alpine/p@v?arch=a&distro=alpine-3.15.0", "alpine", "3.15.0", ""},
      {"pkg:apk/something%20else/p@v?arch=a&distro=something%20else-3.4.6", "something else",
       "3.4.6", ""},
      {"pkg:apk/wolfi/p@v?arch=a&distro=wolfi-20221230", "wolfi", "20221230", ""},
      // syft pkg/cataloger/redhat/package_test.go, purl-spec types/rpm-test.json
      {"pkg:rpm/redhat/p@v-r?distro=rhel-8.4", "rhel", "8.4", ""},
      {"pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25", "fedora", "25", ""},
      // purl-spec types/deb-test.json: a codename
      {"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "debian", "", "jessie"},
      // syft's linux testdata os/opensuse-leap (ID opensuse-leap, VERSION_ID 15.2)
      {"pkg:rpm/opensuse/p@v-r?distro=opensuse-leap-15.2", "opensuse-leap", "15.2", ""},
      {"pkg:deb/debian/p@v?distro=debian", "debian", "", ""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.purl);
    auto p = ParsePurlLenient(c.purl);
    ASSERT_TRUE(p.ok());
    Distro d = DistroFromQualifier(p->qualifiers["distro"], p->namespace_);
    EXPECT_EQ(d.id, c.id);
    EXPECT_EQ(d.version_id, c.version_id);
    EXPECT_EQ(d.version_codename, c.codename);
  }
  EXPECT_TRUE(DistroFromQualifier("", "debian").empty());
}

// What distill writes reads back as the same distribution.
TEST(PurlDistroQualifier, RoundTrip) {
  for (auto [id, version_id] : {std::pair{"debian", "12.12"},
                                {"alpine", "3.16.0"},
                                {"wolfi", "20230201"},
                                {"opensuse-leap", "15.2"},
                                {"rhel", "8.10"},
                                {"debian", ""}}) {
    Distro d;
    d.id = id, d.version_id = version_id;
    Distro back = DistroFromQualifier(d.purl_qualifier(), id);
    EXPECT_EQ(back.id, id);
    EXPECT_EQ(back.version_id, version_id);
  }
}

}  // namespace
}  // namespace distill::catalog
