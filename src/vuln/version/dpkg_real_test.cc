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
    size_t y = i % 2 ? std::min(versions.size() - 1, x + 1 + rng.Below(3)) : rng.Below(versions.size());
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
      ADD_FAILURE() << pairs[i].first << " vs " << pairs[i].second << ": distill " << sign << ", dpkg " << out[i];
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace distill::vuln::version::dpkg
