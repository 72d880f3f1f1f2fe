// RealMavenOracle: distill's Maven order and canonical form against maven-artifact's own
// ComparableVersion (Debian libmaven3-core-java, Maven 3.8.7, run with java): its main()
// prints the canonical form of every argument and compares adjacent ones. Inputs: generated
// versions over Maven's alphabet (qualifiers and aliases in any case, '.', '-', digit/letter
// transitions, zeros, long numbers) and the host's apt version strings.
#include <filesystem>

#include <gtest/gtest.h>

#include "vuln/version/maven.h"
#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::maven {
namespace {

using namespace testing;

constexpr const char* kJar =
    "/usr/share/maven-repo/org/apache/maven/maven-artifact/3.8.7/maven-artifact-3.8.7.jar";

std::string Generate(Rng& rng) {
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng.Below(xs.size())]);
  };
  std::string v = pick({"1", "2", "0", "10", "1.0", "2.0.0"});
  for (size_t n = rng.Below(5); n > 0; --n) {
    v += pick({".", "-", "", ".", "-"});
    v += pick({"0",     "1",       "2",    "00",        "10",  "123456789012", "a",        "b",
               "m",     "alpha",   "Beta", "milestone", "rc",  "CR",           "SNAPSHOT", "ga",
               "Final", "release", "sp",   "xyz",       "abc", "pom"});
  }
  return v;
}

TEST(RealMavenOracle, GeneratedAndAptVersions) {
  if (!std::filesystem::exists(kJar) || !HaveCommand("java -version"))
    GTEST_SKIP() << "java or maven-artifact missing";
  std::vector<std::string> apt = AptVersions();
  Rng rng{3};
  std::vector<std::string> versions;
  for (int i = 0; i < 4000; ++i)
    versions.push_back(i % 4 == 3 && !apt.empty() ? apt[rng.Below(apt.size())] : Generate(rng));
  int mismatches = 0;
  for (size_t start = 0; start < versions.size(); start += 1000) {
    std::vector<std::string> batch(versions.begin() + start,
                                   versions.begin() + std::min(versions.size(), start + 1000));
    std::string args;
    for (const auto& v : batch) args += " '" + v + "'";
    std::vector<std::string> out =
        RunOracle(std::string("java -cp ") + kJar +
                      " org.apache.maven.artifact.versioning.ComparableVersion" + args,
                  "");
    ASSERT_EQ(out.size(), 2 * batch.size());  // a header, n canonical lines, n-1 comparisons
    for (size_t i = 0; i < batch.size() && mismatches < 20; ++i) {
      // "N. version -> canonical; tokens: [...]"
      const std::string& line = out[1 + 2 * i];
      size_t arrow = line.find(" -> "), tokens = line.rfind("; tokens: ");
      std::string canonical = line.substr(arrow + 4, tokens - arrow - 4);
      if (canonical != Canonical(batch[i])) {
        ++mismatches;
        ADD_FAILURE() << batch[i] << ": canonical distill \"" << Canonical(batch[i])
                      << "\", maven \"" << canonical << "\"";
      }
      if (i == 0) continue;
      // "   prev OP version"
      const std::string& cmp = out[2 * i];
      std::string op = cmp.substr(3 + batch[i - 1].size() + 1, 2);
      int want = op == "==" ? 0 : op[0] == '<' ? -1 : 1;
      int got = *Compare(batch[i - 1], batch[i]);
      if (got != want) {
        ++mismatches;
        ADD_FAILURE() << batch[i - 1] << " vs " << batch[i] << ": distill " << got << ", maven "
                      << cmp;
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace distill::vuln::version::maven
