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

// Every row but one as apk-tools 3 says: "0.1a1" (digits after the letter) is the apk-tools 2.x
// form real Alpine packages use (RealAlpineIndex below), valid here as in 2.x and go-apk-version.
TEST(ApkVectors, Validity) {
  auto rows = ReadTsv("apk-validity.tsv");
  ASSERT_EQ(rows.size(), 31u);
  int apk2_rows = 0;
  for (const auto& r : rows) {
    bool want = r[1] == "1";
    if (r[0] == "0.1a1") want = true, ++apk2_rows;
    EXPECT_EQ(IsValid(r[0]), want) << "\"" << r[0] << "\"";
  }
  EXPECT_EQ(apk2_rows, 1);
}

// apk-tools 2.x tokenizes "6.6.2p1" as 6 .6 .2 p 1: the digits after the letter are a number
// compared like any other. apk-tools 3 stops at them (both sides invalid at the same point:
// "equal"), which would call opensmtpd 6.6.2p1-r0 fixed by an advisory whose fix is 6.6.2p2-r0.
TEST(Apk, LetterThenDigitsAsApkTools2) {
  EXPECT_TRUE(IsValid("6.6.2p1-r0"));  // opensmtpd, alpine v3.11 secdb
  EXPECT_TRUE(IsValid("6.8.0p2-r4"));  // opensmtpd, alpine v3.16 main
  EXPECT_TRUE(IsValid("0.99f7-r0"));   // aspell-ru, alpine v3.16 main
  EXPECT_EQ(*CompareValid("6.6.2p1-r0", "6.6.2p2-r0"), -1);
  EXPECT_EQ(*CompareValid("6.6.2p1-r0", "6.6.2p1-r1"), -1);
  EXPECT_EQ(*CompareValid("6.6.2p1-r0", "6.6.2-r9"), 1);
  EXPECT_EQ(*CompareValid("6.6.2p1-r0", "6.6.3-r0"), -1);
  EXPECT_EQ(*CompareValid("6.6.2p10-r0", "6.6.2p9-r0"), 1);
  EXPECT_EQ(*CompareValid("6.6.2p1-r0", "6.6.2q-r0"), -1);  // the letter decides first
  EXPECT_EQ(*CompareValid("0.99f7-r0", "0.99f7-r0"), 0);
  // Still invalid: a '.' or a second letter right after the letter.
  EXPECT_FALSE(IsValid("0.1a.1"));
  EXPECT_FALSE(IsValid("0.1bc1"));
  EXPECT_FALSE(IsValid("6.6.2pp1-r0"));
}

// Every version in a real Alpine index (v3.16 main) is valid, and sorts the same both ways.
TEST(ApkVectors, RealAlpineIndex) {
  auto versions = testing::ReadLines("apk-alpine-3.16-versions.txt");
  ASSERT_EQ(versions.size(), 1287u);
  for (const auto& v : versions) EXPECT_TRUE(IsValid(v)) << v;
  for (size_t i = 1; i < versions.size(); ++i) {
    int r = Compare(versions[i - 1], versions[i]);
    EXPECT_EQ(Sign(Compare(versions[i], versions[i - 1])), -Sign(r))
        << versions[i - 1] << " " << versions[i];
  }
}

TEST(Apk, ErrorsNameTheVersion) {
  EXPECT_EQ(CompareValid("1.0", "1.0_foo").error().message, "invalid apk version \"1.0_foo\"");
  EXPECT_EQ(Match("1", "=<>x", "2").error().message, "unknown apk version operator \"=<>x\"");
}

}  // namespace
}  // namespace distill::vuln::version::apk
