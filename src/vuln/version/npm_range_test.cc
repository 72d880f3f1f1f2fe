#include "vuln/version/npm_range.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::npm {
namespace {

using namespace testing;

RangeOptions Options(const std::string& column) {
  RangeOptions o;
  if (column.empty()) return o;
  auto j = nlohmann::json::parse(column);
  if (!j.is_object()) return {.loose = true};  // node-semver: a non-object option means loose
  auto truthy = [&](const char* key) {
    if (!j.contains(key)) return false;
    const auto& v = j[key];
    return v.is_boolean() ? v.get<bool>() : v.is_number() ? v.get<double>() != 0 : false;
  };
  o.loose = truthy("loose");
  o.include_prerelease = truthy("includePrerelease");
  return o;
}

// node-semver test/fixtures/range-include.js and range-exclude.js.
TEST(NpmRangeVectors, IncludeAndExclude) {
  auto rows = ReadTsv("semver-npm-ranges.tsv");
  ASSERT_EQ(rows.size(), 224u);
  for (const auto& r : rows) {
    std::string range = JsonString(r[0]);
    bool want = r[2] == "1";
    EXPECT_EQ(Satisfies(r[1], range, Options(r[3])), want)
        << "range " << r[0] << " version " << r[1] << " options " << r[3];
  }
}

TEST(NpmRange, Desugaring) {
  auto s = [](const char* range, RangeOptions o = {}) { return ParseRange(range, o)->ToString(); };
  EXPECT_EQ(s("^1.2.3"), ">=1.2.3 <2.0.0-0");
  EXPECT_EQ(s("^0.0.3"), ">=0.0.3 <0.0.4-0");
  EXPECT_EQ(s("~1.2"), ">=1.2.0 <1.3.0-0");
  EXPECT_EQ(s("~> 1"), ">=1.0.0 <2.0.0-0");
  EXPECT_EQ(s("1.2 - 3"), ">=1.2.0 <4.0.0-0");
  EXPECT_EQ(s("<=1.2.x"), "<1.3.0-0");
  EXPECT_EQ(s(">1"), ">=2.0.0");
  EXPECT_EQ(s("<*"), "<0.0.0-0");
  EXPECT_EQ(s("* || 1.2.3"), "");
  EXPECT_EQ(ParseRange("1.2.3 foo").error().message,
            "invalid npm range \"1.2.3 foo\": invalid comparator \"foo\"");
}

}  // namespace
}  // namespace distill::vuln::version::npm
