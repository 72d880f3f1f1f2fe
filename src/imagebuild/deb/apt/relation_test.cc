#include "imagebuild/deb/apt/relation.h"

#include <gtest/gtest.h>

namespace distill::imagebuild::apt {
namespace {

std::string Show(const std::vector<Clause>& cs) {
  std::string s;
  for (const auto& c : cs) {
    if (!s.empty()) s += ", ";
    for (size_t i = 0; i < c.alternatives.size(); ++i)
      s += (i ? " | " : "") + c.alternatives[i].ToString();
  }
  return s;
}

TEST(AptRelationTest, Parses) {
  auto r = ParseRelations(
      "libc6 (>= 2.36), python3:any (<< 3.12~) | python3.11:native,\n awk, Foo (=1.0)", "amd64");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Show(*r),
            "libc6 (>= 2.36), python3:any (<< 3.12~) | python3.11:native, awk, foo (= 1.0)");
  EXPECT_EQ((*r)[1].text, "python3:any (<< 3.12~) | python3.11:native");
  EXPECT_EQ((*r)[0].alternatives[0].op, Op::kGreaterEq);
}

TEST(AptRelationTest, ArchRestrictionsAndProfiles) {
  auto r = ParseRelations("a [amd64], b [!amd64], c [i386 arm64] | d, e <!nocheck>", "amd64");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Show(*r), "a, d, e");
}

TEST(AptRelationTest, ObsoleteOperatorsAndTrailingComma) {
  auto r = ParseRelations("a (< 1), b (> 2),", "amd64");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Show(*r), "a (<= 1), b (>= 2)");
  EXPECT_TRUE(ParseRelations("", "amd64")->empty());
}

TEST(AptRelationTest, Errors) {
  EXPECT_EQ(ParseRelations("a (>= 1", "amd64").error().message, "'a (>= 1': missing ')'");
  EXPECT_EQ(ParseRelations("a | | b", "amd64").error().message, "'a | | b': empty alternative");
  EXPECT_EQ(ParseRelations("a (~= 1)", "amd64").error().message,
            "'a (~= 1)': bad version relation ''");
  EXPECT_EQ(ParseRelations("a (>=)", "amd64").error().message, "'a (>=)': empty version");
  EXPECT_EQ(ParseRelations("(>= 1)", "amd64").error().message, "'(>= 1)': expected a package name");
  EXPECT_EQ(ParseRelations("a (>= 1) (<< 2)", "amd64").error().message,
            "'a (>= 1) (<< 2)': two version constraints");
}

// dpkg's order, not string order: epochs, '~', revisions (vuln/version/dpkg does the comparing).
TEST(AptRelationTest, Satisfies) {
  EXPECT_TRUE(Satisfies("2.36-9+deb12u4", Op::kGreaterEq, "2.36"));
  EXPECT_TRUE(Satisfies("3.11.2-1+b1", Op::kLess, "3.12~"));
  EXPECT_FALSE(Satisfies("3.12~rc1", Op::kGreaterEq, "3.12"));
  EXPECT_TRUE(Satisfies("1:1.0", Op::kGreater, "9.9"));
  EXPECT_TRUE(Satisfies("1.0", Op::kEq, "1.0-0"));
  EXPECT_TRUE(Satisfies("1.0", Op::kLessEq, "1.0"));
  EXPECT_FALSE(Satisfies("1.0", Op::kLess, "1.0"));
  EXPECT_TRUE(Satisfies("anything", Op::kAny, ""));
  EXPECT_FALSE(Satisfies("a:b:c", Op::kGreaterEq, "1"))
      << "a malformed version satisfies no constraint";
}

}  // namespace
}  // namespace distill::imagebuild::apt
