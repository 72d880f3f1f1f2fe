// RealRubyGemsOracle: distill's Gem::Version validity and order against Ruby's own RubyGems
// (Debian ruby, RubyGems 3.3) on generated strings: numbers with zeros, letter segments in
// both cases, '-' pre-releases, surrounding spaces, and malformed ones.
#include <gtest/gtest.h>

#include "vuln/version/rubygems.h"
#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::rubygems {
namespace {

using namespace testing;

std::string Generate(Rng& rng) {
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng.Below(xs.size())]);
  };
  std::string v = pick({"", "", "", " ", "\t"}) + pick({"0", "1", "2", "01", "10", "3"});
  if (rng.Below(30) == 0) v = "a" + v;
  for (size_t n = rng.Below(5); n > 0; --n) {
    v += rng.Below(15) == 0 ? pick({"..", "_", "+", ""}) : pick({".", ".", ".", "-"});
    v += pick({"0", "1", "2", "00", "10", "9", "a", "b", "rc", "RC", "pre", "alpha", "beta1", "Z",
               "a1", "1a"});
  }
  if (rng.Below(8) == 0) v += pick({" ", "\n", "-", "."});
  return v;
}

TEST(RealRubyGemsOracle, GeneratedVersions) {
  if (!HaveCommand("ruby -e 'Gem::Version'")) GTEST_SKIP() << "ruby not installed";
  Rng rng{11};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 6000; ++i) pairs.emplace_back(Generate(rng), Generate(rng));
  std::string input;
  for (const auto& [a, b] : pairs) {
    // One field per line pair, escaped: Ruby reads them back with String#undump.
    auto dump = [](const std::string& text) {
      std::string o = "\"";
      for (char c : text) {
        if (c == '\n')
          o += "\\n";
        else if (c == '\t')
          o += "\\t";
        else if (c == '"' || c == '\\')
          o += std::string("\\") + c;
        else
          o += c;
      }
      return o + "\"";
    };
    input += dump(a) + "\t" + dump(b) + "\n";
  }
  std::vector<std::string> out = RunOracle(
      "ruby -e 'STDIN.each_line { |l| a, b = l.chomp.split(\"\\t\").map(&:undump); "
      "ok = Gem::Version.correct?(a) && Gem::Version.correct?(b); "
      "puts(ok ? (Gem::Version.new(a) <=> Gem::Version.new(b)).to_s : \"invalid\") }'",
      input);
  ASSERT_EQ(out.size(), pairs.size());
  int mismatches = 0, valid = 0;
  for (size_t i = 0; i < pairs.size() && mismatches < 20; ++i) {
    auto r = Compare(pairs[i].first, pairs[i].second);
    valid += r.ok();
    std::string mine = r.ok() ? std::to_string(*r) : "invalid";
    if (mine != out[i]) {
      ++mismatches;
      ADD_FAILURE() << "\"" << pairs[i].first << "\" vs \"" << pairs[i].second << "\": distill "
                    << mine << ", ruby " << out[i];
    }
  }
  EXPECT_GT(valid, 2000);
}

}  // namespace
}  // namespace distill::vuln::version::rubygems
