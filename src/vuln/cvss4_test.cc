#include "vuln/cvss4.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace distill::vuln {
namespace {

std::string Score(std::string_view cvss_vector) {
  auto s = CvssV4Score(cvss_vector);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? fmt::format("{:.1f}", s->base) : "error";
}

// Upstream vectors with their official scores (tests/fixtures/vuln/cvss/cvss4/PROVENANCE.md):
// "VECTOR - (9.2,)" or "VECTOR - 7.3".
int CheckFile(const std::string& name) {
  std::ifstream in(std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/vuln/cvss/cvss4/" + name);
  EXPECT_TRUE(in) << name << ": fixture missing";
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::string vector = line.substr(0, dash), want = line.substr(dash + 3);
    if (want.starts_with('(')) want = want.substr(1, want.find(',') - 1);
    if (want.find('.') == std::string::npos) want += ".0";
    EXPECT_EQ(Score(vector), want) << name << ": " << vector;
    ++rows;
  }
  return rows;
}

TEST(VulnCvss4, BaseVectorsMatchUpstreamScores) { EXPECT_GE(CheckFile("vectors_simple4"), 60); }

TEST(VulnCvss4, ThreatMetricLowersTheScore) { EXPECT_EQ(CheckFile("vectors_threat4"), 6); }

TEST(VulnCvss4, SecurityRequirementsMatchUpstreamScores) {
  EXPECT_EQ(CheckFile("vectors_security4"), 54);
}

TEST(VulnCvss4, Extremes) {
  // No impact anywhere: 0.0 whatever the rest says.
  EXPECT_EQ(Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"), "0.0");
  // The most severe base vector: macrovector 000000 (10.0) at distance 0.
  EXPECT_EQ(Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H"), "10.0");
  // The specification's own examples (§2 of the FIRST v4.0 user guide / NVD).
  EXPECT_EQ(Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), "9.3");
  EXPECT_EQ(Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"), "6.9");
  // The least severe vector that still has an impact: the macrovector 212221 (0.1) floor.
  EXPECT_EQ(Score("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:L/E:U"), "0.1");
  auto s = CvssV4Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->version, "4.0");
  EXPECT_EQ(s->rating, "critical");
}

TEST(VulnCvss4, OptionalMetricsInAnyOrder) {
  const std::string base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  // Not-defined (X) threat, environmental and supplemental metrics change nothing.
  EXPECT_EQ(Score(base + "/E:X/CR:X/IR:X/AR:X/MAV:X/MSI:X/S:X/AU:X/R:X/V:X/RE:X/U:X"), "9.3");
  EXPECT_EQ(Score(base + "/S:P/AU:Y/R:I/V:C/RE:H/U:Red"), "9.3");  // supplemental: never
  EXPECT_EQ(Score("CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N"), "9.3");
  // E:A is the default (worst case); E:U lowers the score.
  EXPECT_EQ(Score(base + "/E:A"), "9.3");
  EXPECT_LT(std::stod(Score(base + "/E:U")), 9.3);
  // A modified metric replaces its base metric: MAV:P on a network vector scores as AV:P.
  EXPECT_EQ(Score(base + "/MAV:P"),
            Score("CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"));
  // Safety (MSI:S / MSA:S) is the most severe subsequent-system impact: EQ4 level 0.
  EXPECT_EQ(Score(base + "/MSI:S"), "10.0");
}

TEST(VulnCvss4, RejectsMalformedVectors) {
  for (std::string_view bad : {
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",                          // not v4
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",            // SA missing
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/AV:L",  // twice
           "CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",       // X in base
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N",  // S only modified
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/XX:Y",  // unknown
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/",      // empty part
           "CVSS:4.0/",
       })
    EXPECT_FALSE(CvssV4Score(bad).ok()) << bad;
  auto e = CvssV4Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Q");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("invalid value \"Q\" for metric SA"), std::string::npos)
      << e.error().message;
}

}  // namespace
}  // namespace distill::vuln
