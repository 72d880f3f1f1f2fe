// The helpers language catalogers share: package shape, license fields, paths, globs, TOML locks
// (syft's rust/testdata/Cargo.lock, EXPECTED.json parse_cargo_lock_test).
#include "catalog/language.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog {
namespace {

using V = std::vector<std::string>;

TEST(LanguageTest, NewLanguagePackage) {
  image::Location where{"app/package.json", "sha256:aa"};
  Package p =
      NewLanguagePackage("left-pad", "1.3.0", "npm", "javascript-package-cataloger",
                         Purl{"npm", "", "left-pad", "1.3.0", {}, ""}, where, "id", "sha512-x");
  EXPECT_EQ(p.name, "left-pad");
  EXPECT_EQ(p.version, "1.3.0");
  EXPECT_EQ(p.type, "npm");
  EXPECT_EQ(p.found_by, "javascript-package-cataloger");
  EXPECT_EQ(p.purl, "pkg:npm/left-pad@1.3.0");
  EXPECT_EQ(p.locations, std::vector<image::Location>{where});
  const auto& m = std::get<LanguageMetadata>(p.metadata);
  EXPECT_EQ(m.ecosystem_id, "id");
  EXPECT_EQ(m.integrity, "sha512-x");
  // A purl that cannot be built (no name) leaves the purl empty, the package still made.
  Package q = NewLanguagePackage("", "1", "gem", "x", Purl{"gem", "", "", "1", {}, ""}, where);
  EXPECT_EQ(q.purl, "");
  EXPECT_EQ(q.version, "1");
}

TEST(LanguageTest, JsonLicenses) {
  auto j = [](const char* s) { return nlohmann::json::parse(s); };
  EXPECT_EQ(JsonLicenses(j(R"("MIT")")), V{"MIT"});
  EXPECT_EQ(JsonLicenses(j(R"({"type": "ISC", "url": "u"})")), V{"ISC"});
  EXPECT_EQ(JsonLicenses(j(R"(["MIT", {"type": "Apache-2.0"}, "", {"type": 3}, 7, {"url": "u"}])")),
            (V{"MIT", "Apache-2.0"}));
  EXPECT_EQ(JsonLicenses(j(R"j("(MIT OR Apache-2.0)")j")), V{"(MIT OR Apache-2.0)"});
  EXPECT_TRUE(JsonLicenses(j("null")).empty());
  EXPECT_TRUE(JsonLicenses(j("42")).empty());
  EXPECT_TRUE(JsonLicenses(j(R"("")")).empty());
}

TEST(LanguageTest, JoinImagePath) {
  EXPECT_EQ(JoinImagePath("usr/lib/node_modules/a", "../b/package.json"),
            "usr/lib/node_modules/b/package.json");
  EXPECT_EQ(JoinImagePath("app", "./x//y/."), "app/x/y");
  EXPECT_EQ(JoinImagePath("app/sub", "/etc/passwd"), "etc/passwd");  // absolute: from the root
  EXPECT_EQ(JoinImagePath("a", "../../../etc"), "etc");              // ".." stops at the root
  EXPECT_EQ(JoinImagePath("", ""), "");
  EXPECT_EQ(JoinImagePath("a/b", ".."), "a");
}

TEST(LanguageTest, GlobSet) {
  GlobSet set({"**/package.json", "**/*.jar", "app/Gemfile.lock"});
  EXPECT_TRUE(set.Matches("usr/lib/node_modules/a/package.json"));
  EXPECT_TRUE(set.Matches("opt/x/lib/foo-1.0.jar"));
  EXPECT_TRUE(set.Matches("app/Gemfile.lock"));
  EXPECT_FALSE(set.Matches("srv/app/Gemfile.lock"));
  EXPECT_FALSE(set.Matches("a/package.json.bak"));
  EXPECT_FALSE(set.Matches("a/xpackage.json"));
  EXPECT_FALSE(set.Matches("foo.jar.sig"));
  EXPECT_FALSE(GlobSet(std::vector<std::string>{}).Matches("anything"));
}

TEST(LanguageTest, TomlPackagesOfCargoLock) {
  std::string text =
      ReadFile(testing::FixtureDir() + "/anchore_syft/syft/pkg/cataloger/rust/testdata/Cargo.lock")
          .value();
  auto all =
      nlohmann::json::parse(ReadFile(testing::FixtureDir() + "/vectors/EXPECTED.json").value());
  nlohmann::json want;
  for (const auto& e : all)
    if (e["fixture"] == "anchore_syft/syft/pkg/cataloger/rust/testdata/Cargo.lock")
      want = e["expected"];
  ASSERT_TRUE(want.is_array());
  V got_rows, want_rows;
  for (const auto& [name, version] : TomlPackages(text)) got_rows.push_back(name + "@" + version);
  for (const auto& w : want)
    want_rows.push_back(w["name"].get<std::string>() + "@" + w["version"].get<std::string>());
  EXPECT_EQ(got_rows, want_rows);
}

TEST(LanguageTest, TomlPackagesSkipsOtherTables) {
  auto got = TomlPackages(
      "[metadata]\nname = \"not-a-package\"\n"
      "[[package]]\r\nname = \"a\"\r\nversion = \"1\"  \n[package.dependencies]\nname = \"dep\"\n"
      "[[package]]\nversion = \"2\"\n"  // no name: dropped
      "[[package]]\nname = \"c\"\nversion = 3\n");
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"c", ""}}));
}

}  // namespace
}  // namespace distill::catalog
