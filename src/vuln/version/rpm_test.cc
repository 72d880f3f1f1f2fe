#include "vuln/version/rpm.h"

#include <gtest/gtest.h>

#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::rpm {
namespace {

using testing::ReadTsv;

// rpm's tests/rpmvercmp.at: RPMVERCMP(a, b, r) is rpmvercmp() on bare version strings.
TEST(RpmVectors, EveryUpstreamRow) {
  auto rows = ReadTsv("rpm.tsv");
  ASSERT_EQ(rows.size(), 69u);
  for (const auto& r : rows) {
    EXPECT_EQ(VerCmp(r[0], r[1]), std::stoi(r[2])) << r[0] << " vs " << r[1];
    auto evr = Compare(r[0], r[1]);  // no ':' or '-' in these rows: the EVR order is the same
    ASSERT_TRUE(evr.ok()) << evr.error().message;
    EXPECT_EQ(*evr, std::stoi(r[2])) << r[0] << " vs " << r[1];
  }
}

TEST(Rpm, EpochAndRelease) {
  EXPECT_EQ(*Compare("1:1.0-1", "2.0-1"), 1);
  EXPECT_EQ(*Compare("0:1.0-1", "1.0-1"), 0);  // a missing epoch is 0
  EXPECT_EQ(*Compare("1.0", "1.0-5"), -1);     // no release sorts first (librpm's rpmverCmp)
  EXPECT_EQ(*Compare("1.0-5", "1.0"), 1);
  EXPECT_EQ(*Compare("0.3", "0.03-2^b1"), -1);  // found by RealRpmOracle on a host's apt versions
  EXPECT_EQ(*Compare("1.0-2.el9", "1.0-10.el9"), -1);
  EXPECT_EQ(*Compare("1.0^git1-1", "1.0-1"), 1);  // caret: after the base version
  EXPECT_EQ(*Compare("1.0~rc1-1", "1.0-1"), -1);
  EXPECT_EQ(Compare("", "1").error().message, "invalid rpm version \"\": empty");
  EXPECT_EQ(Compare("1.0-", "1").error().message, "invalid rpm version \"1.0-\": empty release");
}

}  // namespace
}  // namespace distill::vuln::version::rpm
