#include "vuln/version/pep440.h"

#include <gtest/gtest.h>

#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::pep440 {
namespace {

using namespace testing;

// pypa/packaging tests/test_version.py VERSIONS: every pair of the 92 ordered versions.
TEST(Pep440Vectors, EveryPairOfTheOrderedList) {
  auto rows = ReadTsv("pep440.tsv");
  ASSERT_EQ(rows.size(), 8464u);
  for (const auto& r : rows) {
    auto got = Compare(r[0], r[1]);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(*got, std::stoi(r[2])) << r[0] << " vs " << r[1];
  }
  auto ordered = ReadLines("pep440-ordered.txt");
  ASSERT_EQ(ordered.size(), 92u);
  for (size_t i = 1; i < ordered.size(); ++i) EXPECT_EQ(*Compare(ordered[i - 1], ordered[i]), -1);
}

TEST(Pep440Vectors, Normalization) {
  auto rows = ReadTsv("pep440-normalization.tsv");
  ASSERT_EQ(rows.size(), 102u);
  for (const auto& r : rows) {
    std::string input = JsonString(r[0]);
    auto v = Parse(input);
    ASSERT_TRUE(v.ok()) << r[0];
    EXPECT_EQ(Normalize(*v), r[1]) << r[0];
    EXPECT_EQ(*Compare(input, r[1]), 0) << r[0];
  }
}

TEST(Pep440, Invalid) {
  for (const char* bad :
       {"", "1.0-", "1.0+", "1.0+a..b", "french toast", "1.0.post.dev.rc", "1!", "v", "1.0 1"}) {
    EXPECT_FALSE(Validate(bad).ok()) << bad;
  }
  EXPECT_EQ(Compare("1.0", "1.0+").error().message, "invalid PEP 440 version \"1.0+\"");
  // Numeric local segments are ints in packaging (found by RealPep440Oracle on apt versions).
  EXPECT_EQ(Normalize(*Parse("4.9.39+dfsg.02")), "4.9.39+dfsg.2");
}

}  // namespace
}  // namespace distill::vuln::version::pep440
