#include "vuln/importers/wolfi_advisories.h"

#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "util/file.h"

namespace distill::vuln::importers {
namespace {

const std::string kDir =
    std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/vuln/wolfi/advisories-apache2-244709c9/";

std::vector<Advisory> ParseFile(const std::string& path) {
  auto text = ReadFile(path);
  EXPECT_TRUE(text.ok()) << path;
  std::vector<Advisory> out;
  auto st = ParseWolfiAdvisories(*text, "", CollectInto(out));
  EXPECT_TRUE(st.ok()) << path << ": " << st.error().message;
  return out;
}

// All 36 packages; the per-state counts were taken independently with PyYAML (latest event).
TEST(VulnWolfiAdvisories, AllFixtureDocuments) {
  std::map<FixState, int> states;
  int total = 0;
  for (const auto& e : std::filesystem::directory_iterator(kDir)) {
    if (!e.path().string().ends_with(".advisories.yaml")) continue;
    for (const auto& a : ParseFile(e.path().string())) {
      ++states[a.state];
      ++total;
      EXPECT_EQ(a.ecosystem, "wolfi");
    }
  }
  EXPECT_EQ(total, 277);
  EXPECT_EQ(states[FixState::kFixed], 187);
  EXPECT_EQ(states[FixState::kNotAffected], 74);
  EXPECT_EQ(states[FixState::kWontFix], 7);
  EXPECT_EQ(states[FixState::kNotFixed], 9);  // 8 pending-upstream-fix + 1 true positive
}

TEST(VulnWolfiAdvisories, OpensslTimeline) {
  auto as = ParseFile(kDir + "openssl.advisories.yaml");
  auto find = [&](std::string_view id) -> const Advisory* {
    for (const auto& a : as)
      if (a.id == id) return &a;
    return nullptr;
  };
  const Advisory* fixed = find("CGA-hgg8-h6vf-32c8");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->package, "openssl");
  EXPECT_EQ(fixed->state, FixState::kFixed);
  EXPECT_EQ(fixed->fixed_versions, std::vector<std::string>{"3.0.7-r0"});
  EXPECT_EQ(fixed->aliases, (std::vector<std::string>{"CVE-2022-3602", "GHSA-8rwr-x37p-mx23"}));
  // Two false-positive events; the later one's type is the note.
  const Advisory* fp = find("CGA-6vj8-747q-h83f");
  ASSERT_NE(fp, nullptr);
  EXPECT_EQ(fp->state, FixState::kFixed);
  const Advisory* windows = find("CGA-6vmf-q9cg-qhx4");
  ASSERT_NE(windows, nullptr);
  EXPECT_EQ(windows->state, FixState::kNotAffected);
  EXPECT_EQ(windows->state_note, "vulnerable-code-not-included-in-package");
}

TEST(VulnWolfiAdvisories, Errors) {
  std::vector<Advisory> out;
  auto st = ParseWolfiAdvisories("schema-version: 2\nadvisories: []\n", "", CollectInto(out));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "package.name: missing");
  st = ParseWolfiAdvisories("package: {name: a}\nadvisories:\n  - aliases: [CVE-1]\n", "",
                            CollectInto(out));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "advisories[0].id: missing");
}

}  // namespace
}  // namespace distill::vuln::importers
