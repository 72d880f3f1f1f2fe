#include "vuln/version/semver.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::semver {
namespace {

using testing::ReadTsv;

// node-semver's options column: "" / {} → strict; true or {"loose": truthy} → loose.
bool IsLoose(const std::string& options) {
  if (options.empty()) return false;
  auto j = nlohmann::json::parse(options);
  if (j.is_boolean()) return j.get<bool>();
  if (!j.is_object() || !j.contains("loose")) return false;
  const auto& l = j["loose"];
  return l.is_boolean() ? l.get<bool>() : l.is_number() ? l.get<double>() != 0 : false;
}

// node-semver test/fixtures/comparisons.js + equality.js.
TEST(SemverVectors, NodeComparisonsAndEquality) {
  auto rows = ReadTsv("semver-npm.tsv");
  ASSERT_EQ(rows.size(), 99u);
  for (const auto& r : rows) {
    Dialect d = IsLoose(r[3]) ? Dialect::kLoose : Dialect::kNode;
    auto a = Parse(r[0], d);
    auto b = Parse(r[1], d);
    ASSERT_TRUE(a.ok() && b.ok()) << r[0] << " / " << r[1];
    EXPECT_EQ(CompareParsed(*a, *b), std::stoi(r[2])) << r[0] << " vs " << r[1];
  }
}

TEST(Semver, StrictIsSemVer200) {
  EXPECT_TRUE(ValidateStrict("1.0.0-alpha.1+build.007").ok());
  for (const char* bad :
       {"v1.0.0", "1.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", " 1.0.0", "1.0.0-a..b"}) {
    EXPECT_FALSE(ValidateStrict(bad).ok()) << bad;
  }
  // semver.org §11 example chain.
  const char* chain[] = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                         "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0"};
  for (size_t i = 1; i < std::size(chain); ++i)
    EXPECT_EQ(*CompareStrict(chain[i - 1], chain[i]), -1);
  EXPECT_EQ(*CompareStrict("1.0.0+a", "1.0.0+b"), 0);  // build metadata has no precedence
  EXPECT_EQ(*CompareStrict("1.0.0-99999999999999999999", "1.0.0-100000000000000000000"), -1);
}

// golang.org/x/mod/semver semantics (its semver_test.go table): shorthands, pseudo-versions,
// +incompatible.
TEST(Semver, Go) {
  EXPECT_EQ(*CompareGo("v1", "v1.0.0"), 0);
  EXPECT_EQ(*CompareGo("v1.2", "v1.2.0"), 0);
  EXPECT_EQ(*CompareGo("1.2.3", "v1.2.3"), 0);  // OSV's Go ranges omit the v
  EXPECT_EQ(*CompareGo("v2.0.0+incompatible", "v2.0.0"), 0);
  EXPECT_EQ(*CompareGo("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa"),
            -1);
  EXPECT_EQ(*CompareGo("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"), 1);
  EXPECT_EQ(*CompareGo("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"), -1);
  for (const char* bad : {"v1.2-pre", "v01.2.3", "v1.2.3-01", "v1.", "vx"})
    EXPECT_FALSE(ValidateGo(bad).ok()) << bad;
  EXPECT_EQ(CompareGo("v1.2.3", "v1.2-pre").error().message,
            "invalid Go module version \"v1.2-pre\"");
}

}  // namespace
}  // namespace distill::vuln::version::semver
