// Rules that the image builder cannot express as tar text: file capabilities (xattrs), and the
// table's own invariants.
#include "audit/rules.h"

#include <set>

#include <gtest/gtest.h>

#include "audit/audit.h"

namespace distill::audit {
namespace {

TEST(RulesTest, TableIdsAreUniqueAndComplete) {
  std::set<std::string_view> ids;
  for (const Rule& r : Rules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.fix.empty()) << r.id;
    EXPECT_NE(r.check, nullptr) << r.id;
  }
  EXPECT_EQ(FindRule("shell")->family, Family::kShell);
  EXPECT_EQ(FindRule("nope"), nullptr);
}

TEST(RulesTest, FileCapabilitiesFromXattrs) {
  image::Entry ping;
  ping.path = "usr/bin/ping", ping.mode = 0755, ping.size = 1, ping.layer = 0;
  ping.xattrs.emplace_back("security.capability",
                           std::string("\x01\x00\x00\x02\x00\x20\x00\x00", 8));
  image::Entry plain;
  plain.path = "usr/bin/true", plain.mode = 0755;
  image::FileIndex files({ping, plain}, {"sha256:" + std::string(64, 'a')}, {}, nullptr);
  Report r = RunAudit({"t", &files, nullptr, nullptr, nullptr, nullptr});
  const Finding* cap = nullptr;
  for (const auto& f : r.findings)
    if (f.rule_id == "file-capabilities") cap = &f;
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ(cap->path, "usr/bin/ping");
  EXPECT_EQ(cap->evidence, "security.capability=0x0100000200200000");
  EXPECT_EQ(cap->layer_digest, "sha256:" + std::string(64, 'a'));
  EXPECT_EQ(cap->severity, Severity::kHigh);
}

TEST(RulesTest, SeverityNamesAndCosts) {
  EXPECT_EQ(ParseSeverity("HIGH").value(), Severity::kHigh);
  EXPECT_EQ(SeverityName(Severity::kCritical), "critical");
  EXPECT_EQ(SeverityCost(Severity::kInfo), 0);
  EXPECT_FALSE(ParseSeverity("severe").ok());
}

}  // namespace
}  // namespace distill::audit
