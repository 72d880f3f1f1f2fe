// RealPep440Oracle: distill's PEP 440 parse/normalise/order against pypa/packaging
// (Debian python3-packaging, packaging.version.Version) on (1) the upstream parts of the
// host's apt versions, many of them not PEP 440 (validity must agree too), and (2) strings
// generated from every spelling the grammar allows (case, separators, implicit numbers).
#include <gtest/gtest.h>

#include "vuln/version/pep440.h"
#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::pep440 {
namespace {

using namespace testing;

constexpr const char* kOracle =
    "/usr/bin/python3 -c '\n"
    "import sys\n"
    "from packaging.version import Version, InvalidVersion\n"
    "def p(x):\n"
    "    try: return Version(x)\n"
    "    except InvalidVersion: return None\n"
    "for line in sys.stdin:\n"
    "    a, b = line.rstrip(\"\\n\").split(\"\\t\")\n"
    "    va, vb = p(a), p(b)\n"
    "    if va is None or vb is None: print(\"invalid\" if va is None else str(va), \"-\"); "
    "continue\n"
    "    print(str(va), (va > vb) - (va < vb))\n"
    "'";

std::string Generate(Rng& rng) {
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng.Below(xs.size())]);
  };
  std::string v = pick({"", "", "", "v", "V", " ", "1!", "0!", "2!"});
  v += std::to_string(rng.Below(3));
  for (size_t n = rng.Below(4); n > 0; --n) v += "." + pick({"0", "1", "2", "00", "10"});
  if (rng.Below(2))
    v += pick({"", "-", "_", "."}) +
         pick({"a", "b", "c", "rc", "alpha", "beta", "pre", "preview", "RC", "Alpha"}) +
         pick({"", "-", "."}) + pick({"", "0", "1", "2", "01"});
  if (rng.Below(3) == 0)
    v += pick({"-1", "-0", ".post", "post1", "-post2", "_r3", ".rev", ".POST1"});
  if (rng.Below(3) == 0) v += pick({".dev", "dev1", "-dev2", "_DEV0", ".dev01"});
  if (rng.Below(4) == 0) v += "+" + pick({"local", "1", "abc.5", "ubuntu-1", "A_b.0", "7.x"});
  if (rng.Below(20) == 0) v += pick({"-", "..", "+", "x", " 1"});  // some invalid ones
  return v;
}

TEST(RealPep440Oracle, AptUpstreamVersionsAndGeneratedSpellings) {
  if (!HaveCommand("/usr/bin/python3 -c 'import packaging.version'"))
    GTEST_SKIP() << "python3-packaging missing";
  std::vector<std::string> pool;
  for (const std::string& v : AptVersions()) {
    std::string_view s = v;
    if (size_t c = s.find(':'); c != std::string_view::npos) s.remove_prefix(c + 1);
    if (size_t d = s.rfind('-'); d != std::string_view::npos) s = s.substr(0, d);
    pool.emplace_back(s);
  }
  ASSERT_GT(pool.size(), 1000u);
  Rng rng{440};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 6000; ++i) {
    bool gen = i % 2;
    std::string a = gen ? Generate(rng) : pool[rng.Below(pool.size())];
    std::string b = gen ? Generate(rng) : pool[rng.Below(pool.size())];
    pairs.emplace_back(a, b);
  }
  std::string input;
  for (const auto& [a, b] : pairs) input += a + "\t" + b + "\n";
  std::vector<std::string> out = RunOracle(kOracle, input);
  ASSERT_EQ(out.size(), pairs.size());
  int mismatches = 0, valid = 0;
  for (size_t i = 0; i < pairs.size() && mismatches < 20; ++i) {
    const auto& [a, b] = pairs[i];
    auto va = Parse(a), vb = Parse(b);
    std::string mine;
    if (!va.ok() || !vb.ok()) {
      mine = (va.ok() ? Normalize(*va) : "invalid") + " -";
    } else {
      ++valid;
      mine = Normalize(*va) + " " + std::to_string(CompareParsed(*va, *vb));
    }
    if (mine != out[i]) {
      ++mismatches;
      ADD_FAILURE() << "\"" << a << "\" vs \"" << b << "\": distill \"" << mine
                    << "\", packaging \"" << out[i] << "\"";
    }
  }
  EXPECT_GT(valid, 2000);
}

}  // namespace
}  // namespace distill::vuln::version::pep440
