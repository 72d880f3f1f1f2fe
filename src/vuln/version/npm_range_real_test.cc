// RealNpmSemverOracle: distill's node-semver dialects and npm ranges against the real `semver`
// package (npm install semver into <build>/npm-oracle), on generated ranges covering the whole
// grammar (operators with and without spaces, x-ranges, ~, ~>, ^, hyphens, ||, build metadata,
// loose spellings) and versions near their bounds, in all four option combinations.
#include <filesystem>

#include <gtest/gtest.h>

#include "vuln/version/npm_range.h"
#include "vuln/version/semver.h"
#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::npm {
namespace {

using namespace testing;

std::string OracleDir() {
  return (std::filesystem::path(DISTILL_BINARY).parent_path() / "npm-oracle").string();
}

bool InstallSemver() {
  std::string dir = OracleDir();
  if (std::filesystem::exists(dir + "/node_modules/semver/package.json")) return true;
  std::filesystem::create_directories(dir);
  return HaveCommand("cd '" + dir + "' && npm install --no-audit --no-fund --silent semver");
}

std::string Generate(Rng& rng, bool version_only) {
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng.Below(xs.size())]);
  };
  auto num = [&] { return pick({"0", "1", "2", "3", "10", "x", "X", "*", "01"}); };
  auto partial = [&] {
    std::string v = pick({"", "", "", "v", "=", "v="}) + num();
    if (rng.Below(4)) v += "." + num();
    if (rng.Below(3)) {
      v += "." + num();
      if (rng.Below(3) == 0)
        v += pick({"-alpha", "-0", "-rc.1", "-beta.2", "pre", "-a.b.c", "-01"});
      if (rng.Below(6) == 0) v += pick({"+build", "+b.1"});
    }
    return v;
  };
  if (version_only) {
    std::string v = pick({"", "", "", "v", "=", " "}) + pick({"0", "1", "2", "3", "01"}) + "." +
                    pick({"0", "1", "2", "10"}) + "." + pick({"0", "1", "2", "3"});
    if (rng.Below(3) == 0)
      v += pick({"-alpha", "-0", "-rc.1", "-beta.2", "pre", "-a.b", "-01", "-"});
    if (rng.Below(6) == 0) v += "+meta";
    return v;
  }
  std::string r;
  for (size_t alt = rng.Below(3) == 0 ? 2 : 1; alt > 0; --alt) {
    if (!r.empty()) r += pick({" || ", "||", " ||"});
    size_t n = 1 + rng.Below(2);
    for (size_t i = 0; i < n; ++i) {
      if (i)
        r += rng.Below(10) ? std::string(" ") : pick({"  ", "\xc2\xa0", "\xe3\x80\x80 ", "\n"});
      switch (rng.Below(6)) {
        case 0:
          r += partial() + " - " + partial();
          break;
        case 1:
          r += pick({"~", "~>", "~ ", "~> "}) + partial();
          break;
        case 2:
          r += pick({"^", "^ "}) + partial();
          break;
        case 3:
          r += pick({"<", "<=", ">", ">=", "=", "< ", ">= "}) + partial();
          break;
        default:
          r += partial();
          break;
      }
    }
  }
  return r;
}

TEST(RealNpmSemverOracle, GeneratedRangesAndVersions) {
  if (!HaveCommand("node --version")) GTEST_SKIP() << "node not installed";
  if (!InstallSemver()) GTEST_SKIP() << "npm install semver failed";
  Rng rng{2024};
  struct Case {
    std::string range, version;
    RangeOptions o;
  };
  std::vector<Case> cases;
  for (int i = 0; i < 20000; ++i) {
    cases.push_back(
        {Generate(rng, false), Generate(rng, true), {rng.Below(2) == 0, rng.Below(2) == 0}});
  }
  std::string input;
  for (auto& c : cases) {
    for (char& ch : c.range)
      ch = ch == '\n' ? '\v' : ch;  // one case per line: vertical tab instead
  }
  for (const auto& c : cases)
    input += c.range + "\t" + c.version + "\t" + (c.o.loose ? "1" : "0") +
             (c.o.include_prerelease ? "1" : "0") + "\n";
  std::string script =
      "const semver = require(process.argv[1] + \"/node_modules/semver\");"
      "const lines = require(\"fs\").readFileSync(0, \"utf8\").split(\"\\n\").filter(l => l);"
      "for (const l of lines) {"
      "  const [r, v, o] = l.split(\"\\t\");"
      "  const opt = {loose: o[0] === \"1\", includePrerelease: o[1] === \"1\"};"
      "  let s = \"invalid\"; try { s = new semver.Range(r, opt).range; } catch (e) {}"
      "  let c = \"-\"; try { c = String(semver.compare(v, \"1.2.3\", opt.loose)); } catch (e) {}"
      "  console.log(s + \"\\t\" + (semver.satisfies(v, r, opt) ? 1 : 0) + \"\\t\" + c);"
      "}";
  std::vector<std::string> out = RunOracle("node -e '" + script + "' '" + OracleDir() + "'", input);
  ASSERT_EQ(out.size(), cases.size());
  int mismatches = 0;
  for (size_t i = 0; i < cases.size() && mismatches < 25; ++i) {
    const Case& c = cases[i];
    auto r = ParseRange(c.range, c.o);
    auto v = semver::Parse(c.version, c.o.loose ? semver::Dialect::kLoose : semver::Dialect::kNode);
    auto ref = semver::Parse("1.2.3", semver::Dialect::kStrict);
    std::string mine = (r.ok() ? r->ToString() : "invalid") + "\t" +
                       (Satisfies(c.version, c.range, c.o) ? "1" : "0") + "\t" +
                       (v.ok() ? std::to_string(semver::CompareParsed(*v, *ref)) : "-");
    if (mine != out[i]) {
      ++mismatches;
      ADD_FAILURE() << "range \"" << c.range << "\" version \"" << c.version
                    << "\" loose=" << c.o.loose << " incpre=" << c.o.include_prerelease
                    << ": distill \"" << mine << "\", node \"" << out[i] << "\"";
    }
  }
}

}  // namespace
}  // namespace distill::vuln::version::npm
