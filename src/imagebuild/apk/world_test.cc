#include "imagebuild/apk/world.h"

#include <gtest/gtest.h>

namespace distill::imagebuild::apk {
namespace {

Dependency Parse(std::string_view s, AtomContext c = AtomContext::kWorld) {
  auto d = ParseDependency(s, c);
  EXPECT_TRUE(d.ok()) << s << ": " << d.error().message;
  return d.ok() ? *d : Dependency{};
}

std::string ErrorOf(std::string_view s, AtomContext c = AtomContext::kWorld) {
  auto d = ParseDependency(s, c);
  return d.ok() ? "parsed" : d.error().message;
}

TEST(ApkWorldTest, ParsesEveryOperator) {
  struct {
    std::string_view atom;
    VersionOp op;
    std::string_view version;
  } cases[] = {
      {"a", VersionOp::kAny, ""},
      {"a=1.2-r0", VersionOp::kEqual, "1.2-r0"},
      {"a<2", VersionOp::kLess, "2"},
      {"a<=2", VersionOp::kLessEqual, "2"},
      {"a>2", VersionOp::kGreater, "2"},
      {"a>=2", VersionOp::kGreaterEqual, "2"},
      {"a~2.2", VersionOp::kFuzzy, "2.2"},
      {"a=~2.2", VersionOp::kFuzzy, "2.2"},
      {"a>~2.5", VersionOp::kGreaterFuzzy, "2.5"},
      {"a<~2.5", VersionOp::kLessFuzzy, "2.5"},
  };
  for (const auto& c : cases) {
    Dependency d = Parse(c.atom);
    EXPECT_EQ(d.name, "a") << c.atom;
    EXPECT_EQ(d.op, c.op) << c.atom;
    EXPECT_EQ(d.version, c.version) << c.atom;
    EXPECT_EQ(d.ToString(), c.atom == "a=~2.2" ? "a~2.2" : c.atom);
  }
}

TEST(ApkWorldTest, ParsesNamesTagsConflictsAndIdentities) {
  Dependency d = Parse("!so:libc.musl-x86_64.so.1>=1");
  EXPECT_TRUE(d.conflict);
  EXPECT_EQ(d.name, "so:libc.musl-x86_64.so.1");
  EXPECT_EQ(d.ToString(), "!so:libc.musl-x86_64.so.1>=1");
  d = Parse("busybox@edge=1.36.1-r0");
  EXPECT_EQ(d.name, "busybox");
  EXPECT_EQ(d.tag, "edge");
  EXPECT_EQ(d.version, "1.36.1-r0");
  EXPECT_EQ(Parse("/bin/sh").name, "/bin/sh");
  EXPECT_EQ(Parse("cmd:sh").name, "cmd:sh");
  EXPECT_EQ(Parse("pc:polkit-gobject-1").name, "pc:polkit-gobject-1");
  d = Parse("musl><Q1s+0ABSdjudKn+n+ccJIUrG93mAk=");
  EXPECT_EQ(d.op, VersionOp::kIdentity);
  EXPECT_EQ(d.version, "Q1s+0ABSdjudKn+n+ccJIUrG93mAk=");
  auto list = ParseDependencies(" a  b>1\tso:x=0 \n");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[2].ToString(), "so:x=0");
}

TEST(ApkWorldTest, ErrorsNameTheConstraint) {
  EXPECT_EQ(ErrorOf("foo=="), "'foo==' is not a valid world constraint: unknown operator '=='");
  EXPECT_EQ(ErrorOf("foo="), "'foo=' is not a valid world constraint: no version after '='");
  EXPECT_EQ(ErrorOf("foo=invalid"),
            "'foo=invalid' is not a valid world constraint: 'invalid' is not a valid apk version");
  EXPECT_EQ(ErrorOf(">=1"), "'>=1' is not a valid world constraint: no name");
  EXPECT_EQ(ErrorOf("a@"), "'a@' is not a valid world constraint: no tag after '@'");
  EXPECT_EQ(ErrorOf("a><nope"),
            "'a><nope' is not a valid world constraint: 'nope' is not a package identity (Q1 + "
            "base64 SHA-1)");
  EXPECT_EQ(ErrorOf("dep@tag", AtomContext::kIndex),
            "'dep@tag' is not a valid dependency: a repository tag is not allowed here");
  auto list = ParseDependencies("a b= c");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().message, "'b=' is not a valid world constraint: no version after '='");
}

TEST(ApkWorldTest, MatchesVersionsAsApk) {
  EXPECT_TRUE(VersionMatches(Parse("a~2.2"), "2.2"));
  EXPECT_TRUE(VersionMatches(Parse("a~2.2"), "2.2.1-r3"));
  EXPECT_FALSE(VersionMatches(Parse("a~2.2"), "2.10"));
  EXPECT_TRUE(VersionMatches(Parse("a>~2.5"), "2.10"));
  EXPECT_TRUE(VersionMatches(Parse("a>=1.2-r1"), "1.2-r1"));
  EXPECT_FALSE(VersionMatches(Parse("a>1.2-r1"), "1.2-r1"));
  EXPECT_TRUE(VersionMatches(Parse("a<1.10"), "1.9"));
  EXPECT_TRUE(VersionMatches(Parse("a"), "anything"));
  EXPECT_FALSE(VersionMatches(Parse("a=2"), "2.0.1"));
}

}  // namespace
}  // namespace distill::imagebuild::apk
