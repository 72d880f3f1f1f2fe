#include "vuln/importers/debian_tracker.h"

#include <gtest/gtest.h>

#include "util/file.h"

namespace distill::vuln::importers {
namespace {

std::vector<Advisory> Parse(std::string_view json) {
  std::vector<Advisory> out;
  auto st = ParseDebianTracker(json, CollectInto(out));
  EXPECT_TRUE(st.ok()) << st.error().message;
  return out;
}

const Advisory* Find(const std::vector<Advisory>& as, std::string_view pkg, std::string_view id,
                     std::string_view eco) {
  for (const auto& a : as)
    if (a.package == pkg && a.id == id && a.ecosystem == eco) return &a;
  return nullptr;
}

TEST(VulnDebianTracker, RealTrackerExcerpt) {
  auto text = ReadFile(std::string(DISTILL_SOURCE_DIR) +
                       "/tests/fixtures/vuln/vunnel/debian/test-fixtures/input/debian.json");
  ASSERT_TRUE(text.ok());
  auto as = Parse(*text);
  EXPECT_EQ(as.size(), 25u);  // package × CVE × release rows (chromium-browser has "releases": [])

  const Advisory* fixed = Find(as, "prototypejs", "CVE-2008-7220", "debian:10");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->state, FixState::kFixed);
  EXPECT_EQ(fixed->fixed_versions, std::vector<std::string>{"1.6.0.2-1"});
  EXPECT_EQ(fixed->severities, (std::vector<Severity>{{"debian", "vendor", "", -1, "high"}}));
  EXPECT_EQ(fixed->source, "debian-tracker");
  EXPECT_TRUE(fixed->summary.starts_with("Unspecified vulnerability in Prototype"));

  const Advisory* nak = Find(as, "prototypejs", "CVE-2007-2383", "debian:9");
  ASSERT_NE(nak, nullptr);
  EXPECT_EQ(nak->state, FixState::kNotAffected);
  EXPECT_TRUE(nak->ranges.empty());
  EXPECT_EQ(nak->severities[0].rating, "negligible");

  const Advisory* eol = Find(as, "chromium", "CVE-2022-0456", "debian:10");
  ASSERT_NE(eol, nullptr);
  EXPECT_EQ(eol->state, FixState::kNotFixed);
  EXPECT_EQ(eol->state_note, "end-of-life");
  EXPECT_TRUE(eol->severities.empty());

  const Advisory* sid = Find(as, "sope", "CVE-2025-53603", "debian:sid");
  ASSERT_NE(sid, nullptr);
  EXPECT_EQ(sid->fixed_versions, std::vector<std::string>{"5.12.1-2"});
  EXPECT_NE(Find(as, "sope", "CVE-2025-53603", "debian:13"), nullptr);
}

// CVE-2021-36367 as tests/fixtures/vuln/debian-format/tracker-CVE-list-excerpt.txt records it
// ("- putty 0.75-3 (low)", "[bullseye] - putty <no-dsa> (Minor issue)"), in the JSON shape
// the tracker emits for it; the other nodsa reasons as the tracker spells them.
TEST(VulnDebianTracker, NoDsaIsNotFixedMinorIssueNeverWontFix) {
  auto as = Parse(R"({"putty": {"CVE-2021-36367": {"description": "PuTTY through 0.75 ...",
    "releases": {
      "sid": {"status": "resolved", "repositories": {"sid": "0.76-2"}, "fixed_version": "0.75-3",
              "urgency": "low"},
      "bullseye": {"status": "open", "repositories": {"bullseye": "0.74-1"}, "urgency": "low",
                   "nodsa": "Minor issue", "nodsa_reason": ""}}}},
    "zlib": {"CVE-2023-45853": {"releases": {
      "bookworm": {"status": "open", "urgency": "not yet assigned", "nodsa": "Minor issue",
                   "nodsa_reason": "ignored"}}}},
    "bash": {"CVE-2026-2000": {"releases": {
      "trixie": {"status": "open", "urgency": "unimportant", "fixed_version": "",
                 "nodsa": "Minor issue", "nodsa_reason": "postponed"}}},
             "CVE-2026-2001": {"releases": {
      "trixie": {"status": "undetermined", "urgency": "not yet assigned"}}}}})");
  ASSERT_EQ(as.size(), 5u);
  const Advisory* nodsa = Find(as, "putty", "CVE-2021-36367", "debian:11");
  ASSERT_NE(nodsa, nullptr);
  EXPECT_EQ(nodsa->state, FixState::kNotFixed);
  EXPECT_EQ(nodsa->state_note, "minor issue");
  EXPECT_EQ(nodsa->ranges, (std::vector<Range>{{"ECOSYSTEM", {{Event::kIntroduced, "0"}}}}));
  EXPECT_EQ(Find(as, "putty", "CVE-2021-36367", "debian:sid")->state, FixState::kFixed);
  EXPECT_EQ(Find(as, "zlib", "CVE-2023-45853", "debian:12")->state, FixState::kWontFix);
  EXPECT_EQ(Find(as, "zlib", "CVE-2023-45853", "debian:12")->state_note, "ignored");
  EXPECT_EQ(Find(as, "bash", "CVE-2026-2000", "debian:13")->state_note, "postponed");
  EXPECT_EQ(Find(as, "bash", "CVE-2026-2000", "debian:13")->state, FixState::kNotFixed);
  EXPECT_EQ(Find(as, "bash", "CVE-2026-2001", "debian:13")->state_note, "undetermined");
}

TEST(VulnDebianTracker, MalformedDocumentsAreErrors) {
  std::vector<Advisory> out;
  auto msg = [&](std::string_view json) {
    auto st = ParseDebianTracker(json, CollectInto(out));
    return st.ok() ? std::string("ok") : st.error().message;
  };
  EXPECT_EQ(msg("[]"), "not a tracker document (expected an object)");
  EXPECT_EQ(msg("{}"), "ok");
  EXPECT_EQ(msg(R"({"a": {"CVE-1": 3}})"), "a.CVE-1: not an object");
  EXPECT_EQ(msg(R"({"a": {"CVE-1": {"releases": {"sid": {}}}}, "b": [})"),
            "invalid JSON in package \"b\"");
  EXPECT_EQ(msg(R"({"a": {"CVE-1": {)"), "offset 17: unexpected end of document");
  EXPECT_EQ(msg(R"({"a": {"x": tru}})"), "invalid JSON in package \"a\"");
  EXPECT_EQ(msg(R"({"a": {} "b": {}})"), "offset 9: expected ',' or '}'");
}

// One Advisory per thread is filled row after row (debian_tracker.cc): nothing of a row may show
// in the next, whatever the sink did with the one before.
TEST(VulnDebianTracker, ConsecutiveRowsShareNothing) {
  std::vector<Advisory> kept;  // a sink that copies, leaving the parser's advisory as it was
  auto copy = [&](Advisory&& a) -> Status {
    kept.push_back(a);
    return {};
  };
  ASSERT_TRUE(ParseDebianTracker(R"({"foo": {"CVE-1": {"description": "first", "releases": {
      "bookworm": {"status": "resolved", "fixed_version": "1.2-1", "urgency": "high"},
      "bullseye": {"status": "open", "nodsa": "Minor", "nodsa_reason": "postponed"}}},
    "CVE-2": {"releases": {"sid": {"status": "open"}}}}})",
                                 copy)
                  .ok());
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].fixed_versions, std::vector<std::string>{"1.2-1"});
  EXPECT_EQ(kept[0].severities.size(), 1u);
  EXPECT_EQ(kept[1].state_note, "postponed");
  EXPECT_TRUE(kept[1].fixed_versions.empty());
  EXPECT_TRUE(kept[1].severities.empty());
  Advisory third;
  third.id = "CVE-2";
  third.source = "debian-tracker";
  third.ecosystem = "debian:sid";
  third.package = "foo";
  third.state = FixState::kNotFixed;
  third.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "0"}}}};
  EXPECT_EQ(kept[2], third);
}

}  // namespace
}  // namespace distill::vuln::importers
