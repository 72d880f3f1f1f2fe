// The record splitter the three apk text parsers share: what a record is (blank lines, the end of
// the text, "\r\n"), which line numbers it reports, where a malformed line stops it, and that an
// error from the visitor ends the walk.
#include "catalog/apk/records.h"

#include <gtest/gtest.h>

namespace distill::catalog::apk {
namespace {

using V = std::vector<std::string>;

// Each record as "line:K=value ..." (and "!bad@N:text" for a malformed line).
V Records(std::string_view text) {
  V out;
  auto st = ForEachRecord(text, [&](const RawRecord& r) -> Status {
    std::string s = std::to_string(r.line) + ":";
    for (const Field& f : r.fields)
      s += " " + std::to_string(f.line) + f.key + "=" + std::string(f.value);
    if (r.bad_line != 0) s += " !bad@" + std::to_string(r.bad_line) + ":" + std::string(r.bad_text);
    out.push_back(s);
    return {};
  });
  EXPECT_TRUE(st.ok());
  return out;
}

TEST(ApkRecordsTest, BlankLinesSeparateRecordsAndTheLastNeedsNone) {
  EXPECT_EQ(Records("P:a\nV:1\n\nP:b\nV:2\n"), (V{"1: 1P=a 2V=1", "4: 4P=b 5V=2"}));
  EXPECT_EQ(Records("P:a\nV:1\n\n\n\nP:b\n\n"), (V{"1: 1P=a 2V=1", "6: 6P=b"}));
  EXPECT_EQ(Records("\n\nP:a"), (V{"3: 3P=a"}));
  EXPECT_EQ(Records(""), V{});
  EXPECT_EQ(Records("\n\n"), V{});
}

TEST(ApkRecordsTest, ValuesAreKeptAsWrittenAndCrLfIsALineEnd) {
  EXPECT_EQ(Records("T:a: b \nD:\nR:x=y\r\n\r\nP:c\r\n"), (V{"1: 1T=a: b  2D= 3R=x=y", "5: 5P=c"}));
}

TEST(ApkRecordsTest, AMalformedLineEndsTheRecordsFieldsNotTheWalk) {
  // The fields before it are kept; the lines after it, to the blank line, are not read.
  EXPECT_EQ(Records("P:a\nnonsense\nV:1\n\nP:b\n"), (V{"1: 1P=a !bad@2:nonsense", "5: 5P=b"}));
  EXPECT_EQ(Records("x\nP:a\n"), (V{"1: !bad@1:x"}));
  EXPECT_EQ(Records("P:a\n:b\n"), (V{"1: 1P=a !bad@2::b"}));
}

TEST(ApkRecordsTest, TheVisitorsErrorStopsTheWalk) {
  int seen = 0;
  auto st = ForEachRecord("P:a\n\nP:b\n\nP:c\n", [&](const RawRecord& r) -> Status {
    ++seen;
    if (r.fields[0].value == "b") return Errorf("line {}: no b", r.line);
    return {};
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "line 3: no b");
  EXPECT_EQ(seen, 2);
}

TEST(ApkRecordsTest, WordsAndNumbers) {
  EXPECT_EQ(SplitWords("so:libc.musl-x86_64.so.1  busybox\tcmd:sh=1 "),
            (V{"so:libc.musl-x86_64.so.1", "busybox", "cmd:sh=1"}));
  EXPECT_EQ(SplitWords(" \t "), V{});
  uint64_t u = 7;
  EXPECT_TRUE(ParseNumber("151552", &u));
  EXPECT_EQ(u, 151552u);
  EXPECT_FALSE(ParseNumber("", &u));
  EXPECT_FALSE(ParseNumber("12 ", &u));
  EXPECT_FALSE(ParseNumber("-1", &u));
  EXPECT_FALSE(ParseNumber("18446744073709551616", &u));
  int64_t i = 0;
  EXPECT_TRUE(ParseNumber("-5", &i));
  EXPECT_EQ(i, -5);
}

}  // namespace
}  // namespace distill::catalog::apk
