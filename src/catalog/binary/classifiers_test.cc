// The classifier table itself (classifiers.cc): every entry well formed — its patterns compile as
// ECMAScript with the version as group 1, which Classify otherwise learns only when a file with
// the entry's name turns up in an image — and every entry proven by one of syft's snippets
// (syft_binary_classifier_cases.json; classifier_test.cc's SyftSnippets checks each case) or
// listed below with why not. The classifiers' matching logic is classifier_test.cc's.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "catalog/binary/classifier.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::binary {
namespace {

// A pattern as Classify compiles it: "{v}" (the version from the file name) escaped in.
std::regex Compile(std::string_view pattern) {
  std::string p(pattern);
  for (size_t at; (at = p.find("{v}")) != std::string::npos;) p.replace(at, 3, "1\\.2\\.3");
  return std::regex(p, std::regex::ECMAScript);
}

TEST(BinaryClassifiersTest, EveryEntryIsWellFormed) {
  const std::vector<Classifier>& table = Classifiers();
  ASSERT_GE(table.size(), 100u);
  for (size_t i = 0; i < table.size(); ++i) {
    const Classifier& c = table[i];
    SCOPED_TRACE(::testing::Message() << "entry " << i << " " << c.cls << " " << c.package);
    EXPECT_FALSE(c.cls.empty());
    EXPECT_FALSE(c.package.empty());
    EXPECT_NE(c.purl.find('/'), std::string_view::npos) << c.purl;  // "type/name"
    EXPECT_FALSE(c.purl.ends_with('/')) << c.purl;
    // Only an entry chained from the one before (also_next) is reached without a name of its own.
    EXPECT_EQ(c.names.empty(), i > 0 && table[i - 1].also_next);
    for (std::string_view n : c.names) EXPECT_FALSE(n.empty());
    ASSERT_FALSE(c.matchers.empty());
    for (const Matcher& m : c.matchers) {
      SCOPED_TRACE(m.regex);
      EXPECT_FALSE(m.anchor.empty());
      EXPECT_GT(m.after, 0u);
      std::regex re;
      ASSERT_NO_THROW(re = Compile(m.regex));
      EXPECT_GE(re.mark_count(), 1u);  // group 1 is the version
      EXPECT_EQ(m.near.empty(), m.near_within == 0);
    }
    for (std::string_view cpe : c.cpes) {  // "vendor:product"
      size_t colon = cpe.find(':');
      EXPECT_TRUE(colon != std::string_view::npos && colon > 0 && colon + 1 < cpe.size() &&
                  cpe.find(':', colon + 1) == std::string_view::npos)
          << cpe;
    }
    // A name_version without a group only filters names; "{v}" needs the group to fill it.
    bool uses_v = false;
    for (const Matcher& m : c.matchers)
      uses_v = uses_v || m.regex.find("{v}") != std::string_view::npos ||
               m.anchor.find("{v}") != std::string_view::npos;
    if (!c.name_version.empty()) {
      std::regex re;
      ASSERT_NO_THROW(re = Compile(c.name_version));
      if (uses_v) EXPECT_GE(re.mark_count(), 1u);
    } else {
      EXPECT_FALSE(uses_v) << "\"{v}\" without a name_version";
    }
    if (c.also_next) EXPECT_LT(i + 1, table.size()) << "chains to no entry";
  }
}

// Entries no syft snippet case expects, and where else they are checked.
const std::string kNoCase = "no case in syft_binary_classifier_cases.json";
const std::map<std::string, std::string> kWithoutSyftCase = {
    {"java-binary-openjdk-zulu zulu", kNoCase},
    {"java-binary-ibm java", kNoCase},
    {"java-binary-openjdk-fallthrough jre",
     "syft's fallthrough case (21.0.2+13-LTS) is the openjdk entry's"},
    {"java-jdb-binary-openjdk openjdk", kNoCase},
    {"jdb-binary-openjdk-zulu zulu", kNoCase},
    {"java-sdk-binary-ibm java_sdk", kNoCase},
    {"java-binary-jdk jdk", kNoCase},
    {"elixir-binary elixir", "syft's elixir cases name no classifier"},
    {"elixir-library elixir", "syft's elixir cases name no classifier"},
    {"haskell-stack-binary haskell/stack", kNoCase},
    {"php-fpm-binary php-fpm", kNoCase},
    {"php-cli-binary php-cli", "classifier_test.cc PhpAndLibruby"},
    {"php-apache-binary libphp", "classifier_test.cc PhpAndLibruby (syft's php-apache snippet)"},
    {"php-composer-binary composer", kNoCase},
    {"curl-binary curl", kNoCase},
};

TEST(BinaryClassifiersTest, EveryEntryIsProvenBySyftOrListed) {
  auto cases = nlohmann::json::parse(
      ReadFile(testing::FixtureDir() +
               "/anchore_syft/syft/pkg/cataloger/binary/testdata/syft_binary_classifier_cases.json")
          .value());
  std::set<std::string> proven;  // "class package" of every case with a snippet
  for (const auto& c : cases) {
    if (!c["snippet_available"].get<bool>()) continue;
    for (const auto& want : c["expected"])
      if (want["classifier"].is_string())
        proven.insert(want["classifier"].get<std::string>() + " " +
                      want["name"].get<std::string>());
  }
  std::map<std::string, std::string> unproven;
  for (const Classifier& c : Classifiers()) {
    std::string key = std::string(c.cls) + " " + std::string(c.package);
    if (!proven.count(key))
      unproven[key] = kWithoutSyftCase.count(key) ? kWithoutSyftCase.at(key) : "?";
  }
  EXPECT_EQ(unproven, kWithoutSyftCase);  // a new entry needs a snippet, or a line here
}

}  // namespace
}  // namespace distill::catalog::binary
