#include "vuln/importers/sources.h"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "util/file.h"
#include "vuln/db/ecosystem.h"

namespace distill::vuln::importers {
namespace {

constexpr std::string_view kOsv = "https://osv-vulnerabilities.storage.googleapis.com/";

std::string Unescape(std::string_view text) {  // "Rocky%20Linux" → "Rocky Linux"
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The one test of the built-in table itself: every row complete and unique, every format an
// importer's, every OSV URL one of OSV's defined ecosystems (its ecosystems.json) whose key the
// row names, and the feeds the issue lists all present with their real URLs.
TEST(BuiltinSources, TableIsCompleteAndNamesRealFeeds) {
  auto text = ReadFile(
      std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/schemas/osv/ecosystems.json", 1 << 20);
  ASSERT_TRUE(text.ok());
  auto osv_names = nlohmann::json::parse(*text);
  std::set<std::string_view> names, urls;
  std::set<std::string> formats;
  for (auto f : Formats()) formats.insert(std::string(f));
  for (const BuiltinSource& s : BuiltinSources()) {
    SCOPED_TRACE(s.name);
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate name";
    EXPECT_TRUE(urls.insert(s.url).second) << "duplicate URL";
    EXPECT_TRUE(s.url.starts_with("https://")) << s.url;
    EXPECT_FALSE(s.owner.empty());
    EXPECT_FALSE(s.ecosystem.empty());
    EXPECT_TRUE(formats.contains(std::string(s.format))) << s.format;
    if (s.url.starts_with(kOsv)) {
      EXPECT_EQ(s.format, "osv");
      EXPECT_TRUE(s.url.ends_with("/all.zip")) << s.url;
      std::string eco = Unescape(s.url.substr(kOsv.size(), s.url.size() - kOsv.size() - 8));
      EXPECT_TRUE(osv_names.contains(eco)) << eco << " is not an OSV ecosystem";
      std::string key = NormalizeEcosystem(eco);
      EXPECT_EQ(std::string(s.ecosystem.substr(0, s.ecosystem.find(':'))), key) << eco;
    }
  }
  auto url_of = [&](std::string_view name) -> std::string {
    for (const BuiltinSource& s : BuiltinSources())
      if (s.name == name) return std::string(s.url);
    return "";
  };
  EXPECT_EQ(url_of("debian-tracker"), "https://security-tracker.debian.org/tracker/data/json");
  EXPECT_EQ(url_of("ubuntu"), "https://osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip");
  EXPECT_EQ(url_of("wolfi"), "https://packages.wolfi.dev/os/security.json");
  EXPECT_EQ(url_of("chainguard"), "https://packages.cgr.dev/chainguard/security.json");
  EXPECT_EQ(url_of("osv-pypi"), "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip");
  EXPECT_EQ(url_of("osv-crates.io"),
            "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip");
  for (std::string_view branch : {"v3.20", "v3.21", "v3.22", "v3.23", "edge"})
    for (std::string_view repo : {"main", "community"}) {
      std::string name = "alpine-" + std::string(branch) + "-" + std::string(repo);
      EXPECT_EQ(url_of(name), "https://secdb.alpinelinux.org/" + std::string(branch) + "/" +
                                  std::string(repo) + ".json");
    }
  for (std::string_view eco : {"PyPI", "npm", "Go", "Maven", "crates.io", "NuGet", "RubyGems",
                               "Hex", "Pub", "AlmaLinux", "Rocky%20Linux", "Red%20Hat"})
    EXPECT_TRUE(urls.contains(std::string(kOsv) + std::string(eco) + "/all.zip")) << eco;
}

TEST(SourcesConfig, EmptyMeansTheBuiltinList) {
  auto c = ParseSourcesConfig("");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(c->include_defaults);
  EXPECT_TRUE(c->sources.empty());
  auto list = EffectiveSources(*c);
  ASSERT_EQ(list.size(), BuiltinSources().size());
  EXPECT_EQ(list[0].name, "debian-tracker");
  EXPECT_EQ(list[0].options.format, "debian-tracker");
  for (const auto& s : list)
    if (s.name == "wolfi")
      EXPECT_EQ(s.options.ecosystem, "wolfi");  // its secdb names no distro
    else if (s.name.starts_with("alpine-"))
      EXPECT_EQ(s.options.ecosystem, "");  // distroversion says
}

TEST(SourcesConfig, EntriesAreAddedToTheBuiltinList) {
  auto c = ParseSourcesConfig(R"(
db-repository: 127.0.0.1:5000/distill/vulndb:2
sources:
  - https://mirror.example/extra.json
  - url: https://security-tracker.debian.org/tracker/data/json
    format: debian-tracker
    ecosystem: debian:12
  - url: https://other.example/security.json
    ecosystem: wolfi
)");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->db_repository, "127.0.0.1:5000/distill/vulndb:2");
  auto list = EffectiveSources(*c);
  // The tracker entry replaces the built-in one in place; the other two follow the built-in list.
  ASSERT_EQ(list.size(), BuiltinSources().size() + 2);
  EXPECT_EQ(list[0].name, "debian-tracker");
  EXPECT_EQ(list[0].options.ecosystem, "debian:12");
  EXPECT_EQ(list[list.size() - 2].url, "https://mirror.example/extra.json");
  EXPECT_EQ(list[list.size() - 2].name, "");
  EXPECT_EQ(list.back().options.ecosystem, "wolfi");
}

TEST(SourcesConfig, IncludeDefaultsFalseReplacesTheBuiltinList) {
  auto c =
      ParseSourcesConfig("include-defaults: false\nsources:\n  - url: http://127.0.0.1:1/a.json\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto list = EffectiveSources(*c);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].url, "http://127.0.0.1:1/a.json");
  c = ParseSourcesConfig("include-defaults: false\n");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(EffectiveSources(*c).empty());
}

TEST(SourcesConfig, MistakesAreErrorsNamingTheLine) {
  auto error = [](std::string_view yaml) {
    auto c = ParseSourcesConfig(yaml);
    return c.ok() ? std::string("(parsed)") : c.error().message;
  };
  EXPECT_EQ(error("include-default: false\n"),
            "line 1: unknown key \"include-default\" (sources, include-defaults, db-repository)");
  EXPECT_EQ(error("include-defaults: no\n"), "line 1: include-defaults: expected true or false");
  EXPECT_EQ(error("sources:\n  - url: http://x/a.json\n    fromat: osv\n"),
            "line 3: sources[0]: unknown key \"fromat\" (url, format, ecosystem)");
  EXPECT_EQ(error("sources:\n  - format: osv\n"), "line 2: sources[0]: url missing");
  EXPECT_EQ(error("sources: http://x/a.json\n"), "line 1: sources: expected a list");
  EXPECT_EQ(error("- http://x/a.json\n"),
            "expected a mapping (sources:, include-defaults:, db-repository:)");
  EXPECT_NE(error("sources: [\n"), "(parsed)");
}

}  // namespace
}  // namespace distill::vuln::importers
