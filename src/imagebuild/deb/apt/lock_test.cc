#include <gtest/gtest.h>

#include "imagebuild/deb/apt/apt.h"
#include "testing/image_builder.h"
#include "util/file.h"

namespace distill::imagebuild::apt {
namespace {

const std::string kA(64, 'a'), kB(64, 'b');

TEST(AptLockTest, RoundTripSorted) {
  std::vector<DebRef> refs = {
      {"zlib1g", "1:1.2.13.dfsg-1", "amd64",
       "http://m.invalid/debian/pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb", kA, 90},
      {"base-files", "12.4+deb12u15", "amd64", "file:/srv/repo/pool/base-files.deb", kB, 70936},
      {"base-files", "12.4+deb12u15", "all", "file:/srv/repo/pool/base-files-all.deb", kA, 1},
  };
  std::string path = testing::TempDir() + "/distill.lock";
  ASSERT_TRUE(WriteLock(path, refs).ok());
  auto text = ReadFile(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "# distill.lock v1\n"
            "base-files 12.4+deb12u15 all " +
                kA +
                " 1 file:/srv/repo/pool/base-files-all.deb\n"
                "base-files 12.4+deb12u15 amd64 " +
                kB +
                " 70936 file:/srv/repo/pool/base-files.deb\n"
                "zlib1g 1:1.2.13.dfsg-1 amd64 " +
                kA +
                " 90 http://m.invalid/debian/pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb\n");
  auto back = ReadLock(path);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[0], refs[2]);
  EXPECT_EQ((*back)[1], refs[1]);
  EXPECT_EQ((*back)[2], refs[0]);
  // Writing what was read gives the same bytes.
  ASSERT_TRUE(WriteLock(path, *back).ok());
  EXPECT_EQ(*ReadFile(path), *text);
}

TEST(AptLockTest, Errors) {
  std::string path = testing::TempDir() + "/bad.lock";
  auto read = [&](std::string text) {
    EXPECT_TRUE(WriteFileAtomic(path, text).ok());
    auto r = ReadLock(path);
    return r.ok() ? std::string("ok") : r.error().message.substr(path.size());
  };
  EXPECT_EQ(read("a 1 amd64\n"), ":1: expected '# distill.lock v1'");
  EXPECT_EQ(read(""), ": empty (expected '# distill.lock v1')");
  EXPECT_EQ(read("# distill.lock v1\n\na 1 amd64 " + kA + " 1\n"),
            ":3: expected 'NAME VERSION ARCH SHA256 SIZE URL'");
  EXPECT_EQ(read("# distill.lock v1\na 1 amd64 " + kA.substr(1) + "X 1 http://x\n"),
            ":2: SHA256: expected 64 lowercase hex digits");
  EXPECT_EQ(read("# distill.lock v1\na 1 amd64 " + kA + " 1k http://x\n"),
            ":2: SIZE: not a number");
  EXPECT_EQ(read("# distill.lock v1\na 1  amd64 " + kA + " 1 http://x\n"),
            ":2: expected 'NAME VERSION ARCH SHA256 SIZE URL'");
  EXPECT_EQ(read("# distill.lock v1\n# a comment\n"), "ok");
  EXPECT_FALSE(WriteLock(path, {{"a b", "1", "amd64", "http://x", kA, 1}}).ok());
  EXPECT_FALSE(WriteLock(path, {{"a", "1", "amd64", "http://x", "sha", 1}}).ok());
}

}  // namespace
}  // namespace distill::imagebuild::apt
