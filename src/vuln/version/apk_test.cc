#include "vuln/version/apk.h"

#include <gtest/gtest.h>

#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::apk {
namespace {

using testing::ReadTsv;

int Sign(int x) { return (x > 0) - (x < 0); }

// apk-tools' test/unit/version.data, `a < b` / `a = b` / `a > b` lines. apk's compare is total
// (`1.0 < 1.0bc # invalid. do string sort`), so every row goes through Compare(); rows with an
// invalid side must be refused by the checked entry point (the dispatch table's).
TEST(ApkVectors, EveryUpstreamComparison) {
  auto rows = ReadTsv("apk.tsv");
  ASSERT_EQ(rows.size(), 738u);
  int invalid_rows = 0;
  for (const auto& r : rows) {
    int want = std::stoi(r[2]);
    EXPECT_EQ(Sign(Compare(r[0], r[1])), want) << r[0] << " vs " << r[1] << " " << r[3];
    EXPECT_EQ(Sign(Compare(r[1], r[0])), -want) << r[1] << " vs " << r[0];
    if (IsValid(r[0]) && IsValid(r[1])) {
      EXPECT_EQ(Sign(*CompareValid(r[0], r[1])), want);
    } else {
      ++invalid_rows;
      EXPECT_FALSE(CompareValid(r[0], r[1]).ok());
    }
  }
  // "1.0bc" (marked "invalid. do string sort" upstream) and "23_foo" (unknown suffix; decided
  // by 23 > 4 before the suffix is reached).
  EXPECT_EQ(invalid_rows, 2);
}

TEST(ApkVectors, FuzzyOperators) {
  auto rows = ReadTsv("apk-fuzzy.tsv");
  ASSERT_EQ(rows.size(), 16u);
  for (const auto& r : rows) {
    auto got = Match(r[0], r[1], r[2]);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_TRUE(*got) << r[0] << " " << r[1] << " " << r[2];
  }
}

TEST(ApkVectors, Validity) {
  auto rows = ReadTsv("apk-validity.tsv");
  ASSERT_EQ(rows.size(), 31u);
  for (const auto& r : rows) EXPECT_EQ(IsValid(r[0]), r[1] == "1") << "\"" << r[0] << "\"";
}

TEST(Apk, ErrorsNameTheVersion) {
  EXPECT_EQ(CompareValid("1.0", "1.0_foo").error().message, "invalid apk version \"1.0_foo\"");
  EXPECT_EQ(Match("1", "=<>x", "2").error().message, "unknown apk version operator \"=<>x\"");
}

}  // namespace
}  // namespace distill::vuln::version::apk
