#include "vuln/cvss.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace distill::vuln {
namespace {

double Score(std::string_view cvss_vector) {
  auto s = CvssV3BaseScore(cvss_vector);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? s->base : -1;
}

// Every one of the 2 × 2,592 base vectors, against the scores computed by an independent
// implementation (tests/fixtures/vuln/MANIFEST.md: ae-cvss-calculator 1.0.13).
TEST(VulnCvss, EveryBaseVectorMatchesTheOracle) {
  std::ifstream in(std::string(DISTILL_SOURCE_DIR) +
                   "/tests/fixtures/vuln/cvss/cvss3-base-scores.tsv");
  ASSERT_TRUE(in) << "fixture missing";
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::string vector = line.substr(0, tab), want = line.substr(tab + 1);
    EXPECT_EQ(fmt::format("{:.1f}", Score(vector)), want) << vector;
    ++rows;
  }
  EXPECT_EQ(rows, 5184);
}

// Every v2 base vector (729) against the same independent implementation.
TEST(VulnCvss, EveryV2BaseVectorMatchesTheOracle) {
  std::ifstream in(std::string(DISTILL_SOURCE_DIR) +
                   "/tests/fixtures/vuln/cvss/cvss2-base-scores.tsv");
  ASSERT_TRUE(in) << "fixture missing";
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    auto s = CvssV2BaseScore(line.substr(0, tab));
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(fmt::format("{:.1f}", s->base), line.substr(tab + 1)) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 729);
}

TEST(VulnCvss, V2PublishedScoresAndForms) {
  auto score = [](std::string_view cvss_vector) {
    auto s = CvssV2BaseScore(cvss_vector);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? s->base : -1;
  };
  EXPECT_EQ(score("AV:L/AC:M/Au:M/C:N/I:P/A:P"), 2.7);  // CVE-2013-5875 (NVD)
  EXPECT_EQ(score("(AV:N/AC:L/Au:N/C:C/I:C/A:C)"), 10.0);
  EXPECT_EQ(score("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C"), 7.5);
  EXPECT_EQ(CvssV2BaseScore("AV:N/AC:L/Au:N/C:P/I:P/A:P")->rating, "high");
  EXPECT_EQ(CvssV2BaseScore("AV:N/AC:L/Au:N/C:P/I:P").error().message,
            "CVSS vector \"AV:N/AC:L/Au:N/C:P/I:P\": missing base metric A");
  EXPECT_EQ(CvssV2BaseScore("AV:N/AC:L/Au:N/C:P/I:P/A:X").error().message,
            "CVSS vector \"AV:N/AC:L/Au:N/C:P/I:P/A:X\": invalid value \"X\" for metric A");
}

// Scores NVD publishes for these CVEs (nvd.nist.gov/vuln/detail/<id>), and the examples of the
// CVSS v3.1 specification's example document.
TEST(VulnCvss, PublishedScores) {
  EXPECT_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);  // CVE-2021-44228
  EXPECT_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"), 7.5);   // CVE-2023-30861
  EXPECT_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);   // CVE-2014-6271
  EXPECT_EQ(Score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), 7.8);   // CVE-2016-5195
  EXPECT_EQ(Score("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"), 3.1);   // CVE-2014-3566
  EXPECT_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);   // CVE-2013-1937
  EXPECT_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"), 9.9);   // CVE-2012-1516
  EXPECT_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N"), 8.1);   // CVE-2020-0601
  EXPECT_EQ(Score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
}

TEST(VulnCvss, RatingsAndOrderIndependence) {
  auto s = CvssV3BaseScore("CVSS:3.1/A:N/I:N/C:H/S:U/UI:N/PR:N/AC:L/AV:N/E:P/RL:O/MAV:L");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->base, 7.5);
  EXPECT_EQ(s->rating, "high");
  EXPECT_EQ(s->version, "3.1");
  EXPECT_EQ(CvssRating(0), "none");
  EXPECT_EQ(CvssRating(3.9), "low");
  EXPECT_EQ(CvssRating(4.0), "medium");
  EXPECT_EQ(CvssRating(9.0), "critical");
}

TEST(VulnCvss, BadVectorsNameTheirFault) {
  auto msg = [](std::string_view cvss_vector) {
    return CvssV3BaseScore(cvss_vector).error().message;
  };
  EXPECT_EQ(msg("AV:N/AC:L/Au:N/C:P/I:P/A:P"),
            "CVSS vector \"AV:N/AC:L/Au:N/C:P/I:P/A:P\": not a CVSS v3.0 or v3.1 vector (no "
            "\"CVSS:3.x/\" prefix)");
  EXPECT_EQ(msg("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N"),
            "CVSS vector \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N\": missing base metric A");
  EXPECT_EQ(msg("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
            "CVSS vector \"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\": invalid value \"X\" "
            "for metric AV");
  EXPECT_EQ(
      msg("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
      "CVSS vector \"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\": metric AV given twice");
  EXPECT_EQ(msg("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/"),
            "CVSS vector \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/\": malformed metric \"\"");
  EXPECT_EQ(
      msg("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/ZZ:Q"),
      "CVSS vector \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/ZZ:Q\": unknown metric \"ZZ\"");
}

}  // namespace
}  // namespace distill::vuln
