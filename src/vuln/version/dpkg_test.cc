#include "vuln/version/dpkg.h"

#include <gtest/gtest.h>

#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::dpkg {
namespace {

using testing::ReadTsv;

int Sign(int x) { return (x > 0) - (x < 0); }

// The four rows bookworm's dpkg 1.21.22 rejects as bad syntax (see MANIFEST.md).
bool IsLenientRow(const std::string& a, const std::string& b) {
  return a == "0foo-" || b == "0foo-" || a == "-0.6.5" || b == "-0.6.5";
}

TEST(DpkgVectors, EveryUpstreamRow) {
  auto rows = ReadTsv("dpkg.tsv");
  ASSERT_EQ(rows.size(), 56u);
  for (const auto& r : rows) {
    auto got = Compare(r[0], r[1]);
    ASSERT_TRUE(got.ok()) << r[0] << " vs " << r[1] << ": " << got.error().message;
    EXPECT_EQ(Sign(*got), std::stoi(r[2])) << r[0] << " vs " << r[1] << " (" << r[3] << ")";
    auto back = Compare(r[1], r[0]);
    EXPECT_EQ(Sign(*back), -std::stoi(r[2])) << r[1] << " vs " << r[0];
  }
}

// Decision (documented in dpkg.h): Compare() orders the four lenient rows as newer dpkg does;
// ValidateStrict() rejects exactly those, with dpkg 1.21's messages.
TEST(DpkgVectors, LenientRowsAreExactlyTheStrictRejects) {
  int lenient = 0;
  for (const auto& r : ReadTsv("dpkg.tsv")) {
    for (const std::string& v : {r[0], r[1]}) {
      EXPECT_EQ(ValidateStrict(v).ok(), !IsLenientRow(v, v)) << v;
    }
    lenient += IsLenientRow(r[0], r[1]);
  }
  EXPECT_EQ(lenient, 4);
  EXPECT_EQ(ValidateStrict("0foo-").error().message,
            "invalid dpkg version \"0foo-\": revision number is empty");
  EXPECT_EQ(ValidateStrict("-0.6.5").error().message,
            "invalid dpkg version \"-0.6.5\": version number is empty");
}

TEST(Dpkg, ErrorsNameTheVersion) {
  EXPECT_EQ(Compare("1.0", "").error().message,
            "invalid dpkg version \"\": version string is empty");
  EXPECT_EQ(Compare("1:", "1").error().message,
            "invalid dpkg version \"1:\": nothing after colon in version number");
  EXPECT_EQ(Compare("a:1", "1").error().message,
            "invalid dpkg version \"a:1\": epoch in version is not number");
  EXPECT_EQ(Compare("1 2", "1").error().message,
            "invalid dpkg version \"1 2\": version string has embedded spaces");
  EXPECT_EQ(Compare("99999999999:1", "1").error().message,
            "invalid dpkg version \"99999999999:1\": epoch in version is too big");
  EXPECT_EQ(Compare("-1:1", "1").error().message,
            "invalid dpkg version \"-1:1\": epoch in version is negative");
}

TEST(Dpkg, AcceptsWhatDpkgOnlyWarnsAbout) {
  EXPECT_TRUE(Validate("a1.0").ok());   // "version number does not start with digit"
  EXPECT_TRUE(Validate("1.0_x").ok());  // "invalid character in version number"
  EXPECT_EQ(*Compare(" 1.0 ", "1.0"), 0);
  EXPECT_EQ(*Compare("+1:1.0", "1:1.0"), 0);  // strtol accepts a sign
}

}  // namespace
}  // namespace distill::vuln::version::dpkg
