// RealRpmOracle: distill's rpm order against librpm through python3-rpm (Debian python3-rpm):
// rpm.ver() parses an EVR exactly as rpm does (rpmver.c) and orders with rpmverCmp;
// rpm.labelCompare() is checked on the same (epoch, version, release) triples. The strings are
// the host's apt versions (tildes, pluses, epochs, revisions) plus caret variants of them.
#include <gtest/gtest.h>

#include "vuln/version/rpm.h"
#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::rpm {
namespace {

using namespace testing;

constexpr const char* kOracle =
    "/usr/bin/python3 -c '\n"
    "import sys, rpm\n"
    "def s(x): return (x > 0) - (x < 0)\n"
    "for line in sys.stdin:\n"
    "    a, b = line.rstrip(\"\\n\").split(\"\\t\")\n"
    "    va, vb = rpm.ver(a), rpm.ver(b)\n"
    "    ta = (va.e or \"0\", va.v, va.r)\n"
    "    tb = (vb.e or \"0\", vb.v, vb.r)\n"
    "    print(s((va > vb) - (va < vb)), s(rpm.labelCompare(ta, tb)), va.e or \"\", va.v, va.r or "
    "\"\")\n"
    "'";

TEST(RealRpmOracle, AptVersionsAndCaretVariants) {
  if (!HaveCommand("/usr/bin/python3 -c 'import rpm; rpm.ver'"))
    GTEST_SKIP() << "python3-rpm not installed";
  std::vector<std::string> versions = AptVersions();
  ASSERT_GT(versions.size(), 1000u);
  Rng rng{7};
  std::vector<std::string> pool;
  for (int i = 0; i < 1500; ++i) {
    std::string v = versions[rng.Below(versions.size())];
    if (i % 3 == 0) {  // caret variant: "1.2+git3" -> "1.2^git3"
      for (char& c : v) {
        if (c == '+' || c == '~') c = (rng.Below(2) ? '^' : c);
      }
    }
    pool.push_back(v);
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < 3000; ++i) {
    size_t x = rng.Below(pool.size());
    size_t y = i % 2 ? rng.Below(pool.size()) : x;
    std::string b = pool[y];
    if (i % 2 == 0 && !b.empty()) b[rng.Below(b.size())] = "^~.+0a"[rng.Below(6)];  // near miss
    if (b.empty() || !Validate(b).ok()) b = pool[rng.Below(pool.size())];
    pairs.emplace_back(pool[x], b);
  }
  // The same version with and without its release, both ways (rpmverCmp: none sorts first).
  for (size_t i = 0; i < 300; ++i) {
    const std::string& v = pool[i];
    size_t dash = v.rfind('-');
    if (dash == std::string::npos || !Validate(v.substr(0, dash)).ok()) continue;
    pairs.emplace_back(v, v.substr(0, dash));
    pairs.emplace_back(v.substr(0, dash), v);
  }
  std::string input;
  for (const auto& [a, b] : pairs) input += a + "\t" + b + "\n";
  std::vector<std::string> out = RunOracle(kOracle, input);
  ASSERT_EQ(out.size(), pairs.size());
  int mismatches = 0;
  for (size_t i = 0; i < pairs.size() && mismatches < 20; ++i) {
    const auto& [a, b] = pairs[i];
    Evr e = ParseEvr(a);
    std::string mine = std::to_string(*Compare(a, b)) + " " + std::to_string(*Compare(a, b)) + " " +
                       std::string(e.epoch) + " " + std::string(e.version) + " " +
                       std::string(e.release);
    if (mine != out[i]) {
      ++mismatches;
      ADD_FAILURE() << a << " vs " << b << ": distill \"" << mine << "\", rpm \"" << out[i] << "\"";
    }
  }
}

}  // namespace
}  // namespace distill::vuln::version::rpm
