#include "vuln/version/maven.h"

#include <gtest/gtest.h>

namespace distill::vuln::version::maven {
namespace {

// Upstream data: apache/maven maven-artifact/src/test/java/org/apache/maven/artifact/
// versioning/ComparableVersionTest.java (commit 09d64bdf5ceb55dcda36356a04f3723e6440b65e), the
// transition rows updated from the current upstream test (see kEqual).
const char* kVersionsQualifier[] = {"1-alpha2snapshot",
                                    "1-alpha2",
                                    "1-alpha-123",
                                    "1-beta-2",
                                    "1-beta123",
                                    "1-m2",
                                    "1-m11",
                                    "1-rc",
                                    "1-cr2",
                                    "1-rc123",
                                    "1-SNAPSHOT",
                                    "1",
                                    "1-sp",
                                    "1-sp2",
                                    "1-sp123",
                                    "1-abc",
                                    "1-def",
                                    "1-pom-1",
                                    "1-1-snapshot",
                                    "1-1",
                                    "1-2",
                                    "1-123"};
// VERSIONS_NUMBER as the current upstream test has it (the older file listed "2-1" before
// "2.0.a" and had "2.0.0.a"; since Maven 3.8 "2.0.a" == "2.0.0.a" == "2-a").
const char* kVersionsNumber[] = {"2.0",    "2.0.a", "2-1",    "2.0.2", "2.0.123", "2.1.0",
                                 "2.1-a",  "2.1b",  "2.1-c",  "2.1-1", "2.1.0.1", "2.2",
                                 "2.123",  "11.a2", "11.a11", "11.b2", "11.b11",  "11.m2",
                                 "11.m11", "11",    "11.a",   "11b",   "11c",     "11m"};
const char* kEqual[][2] = {
    {"1", "1"},
    {"1", "1.0"},
    {"1", "1.0.0"},
    {"1.0", "1.0.0"},
    {"1", "1-0"},
    {"1", "1.0-0"},
    {"1.0", "1.0-0"},
    // Rows "1a" == "1.a", "1.0a" == "1.0.a", "1.0.0a" == "1.0.0.a" and the same with x are Maven
    // <= 3.5 (a letter/digit transition was a '.'); since 3.6 it opens a sub-list like '-', and
    // the current upstream test asserts the rows below (ComparableVersionTest, Maven 3.9/4).
    {"1a", "1-a"},
    {"1a", "1.0-a"},
    {"1a", "1.0.0-a"},
    {"1.0a", "1-a"},
    {"1.0.0a", "1-a"},
    {"1x", "1-x"},
    {"1x", "1.0-x"},
    {"1x", "1.0.0-x"},
    {"1.0x", "1-x"},
    {"1.0.0x", "1-x"},
    {"1ga", "1"},
    {"1final", "1"},
    {"1cr", "1rc"},
    {"1a1", "1alpha1"},
    {"1b2", "1beta2"},
    {"1m3", "1milestone3"},
    {"1X", "1x"},
    {"1A", "1a"},
    {"1B", "1b"},
    {"1M", "1m"},
    {"1Ga", "1"},
    {"1GA", "1"},
    {"1Final", "1"},
    {"1FinaL", "1"},
    {"1FINAL", "1"},
    {"1Cr", "1Rc"},
    {"1cR", "1rC"},
    {"1m3", "1Milestone3"},
    {"1m3", "1MileStone3"},
    {"1m3", "1MILESTONE3"},
    {"1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ"}};
const char* kOrder[][2] = {{"1", "2"},
                           {"1.5", "2"},
                           {"1", "2.5"},
                           {"1.0", "1.1"},
                           {"1.1", "1.2"},
                           {"1.0.0", "1.1"},
                           {"1.0.1", "1.1"},
                           {"1.1", "1.2.0"},
                           {"1.0-alpha-1", "1.0"},
                           {"1.0-alpha-1", "1.0-alpha-2"},
                           {"1.0-alpha-1", "1.0-beta-1"},
                           {"1.0-beta-1", "1.0-SNAPSHOT"},
                           {"1.0-SNAPSHOT", "1.0"},
                           {"1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"},
                           {"1.0", "1.0-1"},
                           {"1.0-1", "1.0-2"},
                           {"1.0.0", "1.0-1"},
                           {"2.0-1", "2.0.1"},
                           {"2.0.1-klm", "2.0.1-lmn"},
                           {"2.0.1", "2.0.1-xyz"},
                           {"2.0.1", "2.0.1-123"},
                           {"2.0.1-xyz", "2.0.1-123"}};

template <size_t N>
void CheckOrder(const char* (&versions)[N]) {
  for (size_t i = 0; i < N; ++i) {
    EXPECT_EQ(Canonical(Canonical(versions[i])), Canonical(versions[i])) << versions[i];
    for (size_t j = i + 1; j < N; ++j) {
      EXPECT_EQ(*Compare(versions[i], versions[j]), -1) << versions[i] << " < " << versions[j];
      EXPECT_EQ(*Compare(versions[j], versions[i]), 1) << versions[j] << " > " << versions[i];
    }
  }
}

TEST(MavenUpstream, VersionsQualifier) { CheckOrder(kVersionsQualifier); }
TEST(MavenUpstream, VersionsNumber) { CheckOrder(kVersionsNumber); }

TEST(MavenUpstream, VersionsEqual) {
  for (const auto& p : kEqual) {
    EXPECT_EQ(*Compare(p[0], p[1]), 0) << p[0] << " == " << p[1];
    EXPECT_EQ(Canonical(p[0]), Canonical(p[1])) << p[0] << " == " << p[1];
  }
}

TEST(MavenUpstream, VersionComparing) {
  for (const auto& p : kOrder) {
    EXPECT_EQ(*Compare(p[0], p[1]), -1) << p[0] << " < " << p[1];
    EXPECT_EQ(*Compare(p[1], p[0]), 1) << p[1] << " > " << p[0];
  }
}

TEST(Maven, OnlyEmptyIsInvalid) {
  EXPECT_EQ(Compare("", "1").error().message, "invalid Maven version \"\": empty");
  EXPECT_TRUE(Validate("whatever-it.is").ok());
}

}  // namespace
}  // namespace distill::vuln::version::maven
