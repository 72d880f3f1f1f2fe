#include "vuln/db/codec.h"

#include <gtest/gtest.h>

namespace distill::vuln::codec {
namespace {

// References are stored as runs of one type, each URL front-coded against the previous one:
// whatever the URLs share (nothing, all, part of a multi-byte character, an escape), decoding
// gives back the list as it was, in order, and a type filter keeps that type's in order.
TEST(VulnCodec, ReferencesRoundTripFrontCoded) {
  std::vector<Reference> refs = {
      {"ADVISORY", "https://nvd.nist.gov/vuln/detail/CVE-2022-25883"},
      {"WEB", "https://github.com/npm/node-semver/pull/564"},
      {"WEB", "https://github.com/npm/node-semver/pull/585"},
      {"WEB", "https://github.com/npm/node-semver/pull/585"},  // all shared
      {"WEB", "https://github.com/npm/node-semver/pull/5"},    // a prefix of the previous
      {"PACKAGE", "https://github.com/npm/node-semver"},
      {"WEB", "https://example.org/caf\xc3\xa9/x"},
      {"WEB", "https://example.org/caf\xc3\xa8/y"},  // differs inside "è"/"é": not split
      {"ADVISORY", "https://example.org/\"quoted\"\\path\n"},
      {"ADVISORY", "https://example.org/\"quoted\"\\path\nmore"},
      {"", ""},
      {"FIX", "abc"},
      {"FIX", "abcd"},
  };
  std::string col = EncodeReferences(refs);
  auto all = DecodeReferences(col);
  ASSERT_TRUE(all.ok()) << all.error().message << "\n" << col;
  EXPECT_EQ(*all, refs) << col;
  auto adv = DecodeReferences(col, "ADVISORY");
  ASSERT_TRUE(adv.ok());
  EXPECT_EQ(*adv, (std::vector<Reference>{refs[0], refs[8], refs[9]}));
  EXPECT_TRUE(DecodeReferences(col, "EVIDENCE")->empty());
  EXPECT_EQ(EncodeReferences({}), "[]");
  EXPECT_TRUE(DecodeReferences("[]")->empty());
  // Smaller than the JSON objects it replaces.
  EXPECT_EQ(EncodeReferences({refs[1], refs[2]}),
            R"([["WEB","https://github.com/npm/node-semver/pull/564",41,"85"]])");
}

TEST(VulnCodec, MalformedReferencesAreErrors) {
  for (std::string_view bad : {R"([{"type":"WEB","url":"u"}])", R"([["WEB",99,"x"]])", R"([[1]])",
                               "[", R"([["WEB",{}]])"}) {
    auto got = DecodeReferences(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_NE(got.error().message.find("malformed"), std::string::npos) << got.error().message;
  }
}

// A score the encoder cannot have written (it writes base scores in tenths) is an error, or is
// read as the encoder would write it, so what decodes survives a round trip (codec_fuzz found
// "score": -2 decoding as -2 and coming back as none).
TEST(VulnCodec, SeverityScoresAreBaseScores) {
  for (std::string_view bad :
       {R"([{"type":"CVSS_V3","score":-2}])", R"([{"type":"CVSS_V3","score":10.5}])",
        R"([{"type":"CVSS_V3","score":1e300}])", R"([{"type":"CVSS_V3","score":-1}])"}) {
    auto got = DecodeSeverities(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_NE(got.error().message.find("is not 0-10"), std::string::npos) << got.error().message;
  }
  auto tenths =
      DecodeSeverities(R"([{"type":"CVSS_V3","score":7.55},{"type":"CVSS_V3","score":0}])");
  ASSERT_TRUE(tenths.ok()) << tenths.error().message;
  EXPECT_EQ((*tenths)[0].score, 7.6);
  EXPECT_EQ((*tenths)[1].score, 0);
  EXPECT_EQ(*DecodeSeverities(EncodeSeverities(*tenths)), *tenths);
}

TEST(VulnCodec, ColumnsRoundTrip) {
  std::vector<Range> ranges = {
      {"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, "2.2.5"}}},
      {"SEMVER", {{Event::kIntroduced, "1.0"}, {Event::kLastAffected, "1.\"2"}}}};
  EXPECT_EQ(*DecodeRanges(EncodeRanges(ranges)), ranges);
  std::vector<Severity> sevs = {{"ghsa", "CVSS_V3", "CVSS:3.1/AV:N", 7.5, "high"},
                                {"debian", "vendor", "", -1, "low"}};
  EXPECT_EQ(*DecodeSeverities(EncodeSeverities(sevs)), sevs);
  std::vector<std::string> strings = {"CVE-1", "a\\b", "tab\there"};
  EXPECT_EQ(*DecodeStrings(EncodeStrings(strings)), strings);
  std::string appended = "x";
  AppendStrings(appended, strings);
  EXPECT_EQ(appended, "x" + EncodeStrings(strings));
}

}  // namespace
}  // namespace distill::vuln::codec
