#include "image/file_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

namespace distill::image {
namespace {

Entry E(std::string path, FileType t = FileType::kRegular, std::string link = "") {
  Entry e;
  e.path = std::move(path);
  e.type = t;
  e.link = std::move(link);
  return e;
}

FileIndex Tree() {
  std::vector<Entry> v = {
      E("usr", FileType::kDirectory),
      E("usr/bin", FileType::kDirectory),
      E("usr/bin/python3.11"),
      E("usr/bin/python3", FileType::kSymlink, "python3.11"),
      E("bin", FileType::kSymlink, "usr/bin"),
      E("etc", FileType::kDirectory),
      E("etc/os-release", FileType::kSymlink, "../usr/lib/os-release"),
      E("usr/lib", FileType::kDirectory),
      E("usr/lib/os-release"),
      E("escape", FileType::kSymlink, "../../../../etc/shadow-outside"),
      E("abs", FileType::kSymlink, "/usr/bin/python3"),
      E("loop1", FileType::kSymlink, "loop2"),
      E("loop2", FileType::kSymlink, "loop1"),
      E("self", FileType::kSymlink, "self/x"),
      E("hl", FileType::kHardlink, "usr/lib/os-release"),
  };
  std::unordered_map<std::string, std::string> contents = {{"usr/lib/os-release", "ID=debian\n"}};
  return FileIndex(std::move(v), {"sha256:aa"}, std::move(contents), nullptr);
}

TEST(FileIndexTest, ResolvesSymlinksInEveryComponent) {
  auto idx = Tree();
  auto e = idx.Resolve("bin/python3");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ((*e)->path, "usr/bin/python3.11");
  auto abs = idx.Resolve("/abs");
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ((*abs)->path, "usr/bin/python3.11");
  EXPECT_EQ(*idx.Contents("etc/os-release"), "ID=debian\n");
  EXPECT_EQ(*idx.Contents("hl"), "ID=debian\n");
}

TEST(FileIndexTest, DotDotNeverLeavesTheRoot) {
  auto idx = Tree();
  // "../../../../etc/shadow-outside" from the root is "etc/shadow-outside" inside the image:
  // absent.
  auto e = idx.Resolve("escape");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "escape: no such file or directory");
  auto up = idx.Resolve("../../usr/bin/python3");
  ASSERT_TRUE(up.ok());
  EXPECT_EQ((*up)->path, "usr/bin/python3.11");
}

TEST(FileIndexTest, LoopsEndWithAnError) {
  auto idx = Tree();
  auto e = idx.Resolve("loop1");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "loop1: too many levels of symbolic links");
  auto s = idx.Resolve("self");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "self: too many levels of symbolic links");
}

TEST(FileIndexTest, GlobAndUnder) {
  auto idx = Tree();
  auto g = idx.Glob("usr/bin/python*");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0]->path, "usr/bin/python3");
  EXPECT_EQ(idx.Glob("**/os-release").size(), 2u);
  EXPECT_EQ(idx.Under("usr").size(), 5u);
}

TEST(FileIndexTest, ContentsNotCapturedIsAnError) {
  auto idx = Tree();
  auto c = idx.Contents("usr/bin/python3");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kInternal);
}

TEST(FileIndexTest, NormalizeEntryPath) {
  EXPECT_EQ(*NormalizeEntryPath("./usr//bin/./x"), "usr/bin/x");
  EXPECT_EQ(*NormalizeEntryPath("/usr/bin/"), "usr/bin");
  EXPECT_EQ(*NormalizeEntryPath("a/../b"), "b");
  EXPECT_FALSE(NormalizeEntryPath("a/../../b").ok());
  // Names that are normal already come back as they are; the others as the part-by-part rule says.
  for (std::string_view p : {"", "a", "usr/bin/x", ".a", "a.", "..a", "a..", "a/.b/..c", "a b/c"})
    EXPECT_EQ(*NormalizeEntryPath(p), p);
  for (std::string_view p :
       {"/", ".", "..", "./", "a/", "/a", "a//b", "a/./b", "a/.", "a/..", "a/b/../c", "./.a"}) {
    std::vector<std::string> parts;
    bool climbs = false;
    for (size_t i = 0; i <= p.size();) {
      size_t j = std::min(p.find('/', i), p.size());
      std::string part(p.substr(i, j - i));
      if (part == "..") {
        if (parts.empty())
          climbs = true;
        else
          parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
      i = j + 1;
    }
    auto got = NormalizeEntryPath(p);
    ASSERT_EQ(got.ok(), !climbs) << p;
    if (got.ok()) EXPECT_EQ(*got, fmt::format("{}", fmt::join(parts, "/"))) << p;
  }
  EXPECT_EQ(*NormalizeEntryPath("."), "");
}

}  // namespace
}  // namespace distill::image
