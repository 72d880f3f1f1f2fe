// RealDpkgOracle: distill's dpkg order against `dpkg --compare-versions` on the versions of the
// host's apt Packages indexes (tens of thousands of real strings), pairs sampled
// deterministically, with a bias to near neighbours (same prefix), where order is subtle.
#include <gtest/gtest.h>

#include "vuln/version/dpkg.h"
#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::dpkg {
namespace {

using namespace testing;

TEST(RealDpkgOracle, ThousandsOfAptVersionPairs) {
  if (!HaveCommand("dpkg --version")) GTEST_SKIP() << "dpkg not installed";
  std::vector<std::string> versions = AptVersions();
  ASSERT_GT(versions.size(), 1000u) << "no apt Packages indexes (run apt-get update)";
  Rng rng{42};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 4000; ++i) {
    size_t x = rng.Below(versions.size());
    // Half the pairs are neighbours in sorted order: they share prefixes.
    size_t y =
        i % 2 ? std::min(versions.size() - 1, x + 1 + rng.Below(3)) : rng.Below(versions.size());
    pairs.emplace_back(versions[x], versions[y]);
  }
  std::string input;
  for (const auto& [a, b] : pairs) input += a + " " + b + "\n";
  // One shell loop, two dpkg calls at most per pair; prints -1/0/1.
  std::vector<std::string> out = RunOracle(
      "while read a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo -1; "
      "elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo 0; else echo 1; fi; done",
      input);
  ASSERT_EQ(out.size(), pairs.size());
  int mismatches = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    auto got = Compare(pairs[i].first, pairs[i].second);
    ASSERT_TRUE(got.ok()) << got.error().message;
    int sign = (*got > 0) - (*got < 0);
    if (std::to_string(sign) != out[i]) {
      ++mismatches;
      ADD_FAILURE() << pairs[i].first << " vs " << pairs[i].second << ": distill " << sign
                    << ", dpkg " << out[i];
    }
  }
  EXPECT_EQ(mismatches, 0);
}

// Syntax verdicts on generated, often malformed strings: dpkg 1.21 accepts what ValidateStrict
// accepts (dpkg's warnings are acceptance) and rejects the rest.
TEST(RealDpkgOracle, SyntaxVerdicts) {
  if (!HaveCommand("dpkg --version")) GTEST_SKIP() << "dpkg not installed";
  Rng rng{5};
  const std::string alphabet = "0123456789:-~+.aZ_ %";
  std::vector<std::string> inputs;
  for (int i = 0; i < 1500; ++i) {
    std::string v;
    for (size_t n = 1 + rng.Below(8); n > 0; --n) v += alphabet[rng.Below(alphabet.size())];
    inputs.push_back(v);
  }
  std::string input;
  for (const auto& v : inputs) input += v + "\n";
  std::vector<std::string> out = RunOracle(
      "while IFS= read -r a; do if dpkg --compare-versions -- \"$a\" eq \"$a\" 2>/dev/null; then "
      "echo ok; "
      "else echo bad; fi; done",
      input);
  ASSERT_EQ(out.size(), inputs.size());
  int mismatches = 0;
  for (size_t i = 0; i < inputs.size() && mismatches < 20; ++i) {
    std::string mine = ValidateStrict(inputs[i]).ok() ? "ok" : "bad";
    if (mine != out[i]) {
      ++mismatches;
      ADD_FAILURE() << "\"" << inputs[i] << "\": distill " << mine << ", dpkg " << out[i];
    }
  }
}

}  // namespace
}  // namespace distill::vuln::version::dpkg
