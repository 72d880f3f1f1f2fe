#include "imagebuild/deb/deb.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "imagebuild/deb/testing/fake_deb.h"
#include "testing/image_builder.h"
#include "util/digest.h"
#include "util/file.h"

namespace distill::imagebuild {
namespace {

using ::testing::HasSubstr;

constexpr const char* kControl =
    "Package: hello\nVersion: 1.0-1\nArchitecture: amd64\nMulti-Arch: same\n";

TEST(DebTest, ReadsControlAndData) {
  for (bool zstd : {false, true}) {
    std::string bytes = testing::MakeDeb(kControl, R"(
dir ./ 0755
dir ./usr 0755
dir ./usr/bin 0755
file ./usr/bin/hello 0755 ELF
link ./bin/hi /usr/bin/hello
)",
                                         "abc  usr/bin/hello\n", zstd);
    auto deb = ParseDeb(bytes, "hello.deb");
    ASSERT_TRUE(deb.ok()) << deb.error().message;
    EXPECT_EQ(deb->name, "hello");
    EXPECT_EQ(deb->version, "1.0-1");
    EXPECT_EQ(deb->arch, "amd64");
    EXPECT_EQ(deb->multi_arch, "same");
    EXPECT_EQ(deb->md5sums, "abc  usr/bin/hello\n");
    ASSERT_EQ(deb->files.size(), 4u);  // "./" is the root, not an entry
    EXPECT_EQ(deb->files[2].path, "usr/bin/hello");
    EXPECT_EQ(deb->files[2].data, "ELF");
    EXPECT_EQ(deb->files[2].mode, 0755u);
    EXPECT_EQ(deb->files[3].link, "/usr/bin/hello");
    EXPECT_EQ(deb->newest_mtime, 1700000000);
    auto control = ParseDeb(bytes, "hello.deb", /*control_only=*/true);
    ASSERT_TRUE(control.ok()) << control.error().message;
    EXPECT_EQ(control->name, "hello");
    EXPECT_EQ(control->arch, "amd64");
    EXPECT_TRUE(control->files.empty());
  }
}

// A .deb in the download cache gets its data.tar kept unpacked beside it; the second read uses that
// and gives the same Deb; a damaged entry is made again.
TEST(DebTest, UnpackCacheForDebsInTheDownloadCache) {
  std::string bytes =
      testing::MakeDeb(kControl, "dir ./usr 0755\nfile ./usr/hello 0644 hi\n", "", false);
  std::string cache = distill::testing::TempDir();
  std::string hex = Sha256Digest(bytes).substr(7);
  std::filesystem::create_directories(cache + "/blobs/sha256");
  ASSERT_TRUE(WriteFileAtomic(cache + "/blobs/sha256/" + hex, bytes).ok());
  std::string unpacked = cache + "/unpacked/" + hex + ".tar.zst";
  auto first = ReadDeb(cache + "/blobs/sha256/" + hex);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(std::filesystem::exists(unpacked));
  for (int round = 0; round < 2; ++round) {
    auto again = ReadDeb(cache + "/blobs/sha256/" + hex);
    ASSERT_TRUE(again.ok()) << again.error().message;
    ASSERT_EQ(again->files.size(), first->files.size());
    for (size_t i = 0; i < first->files.size(); ++i) {
      EXPECT_EQ(again->files[i].path, first->files[i].path);
      EXPECT_EQ(again->files[i].data, first->files[i].data);
      EXPECT_EQ(again->files[i].mode, first->files[i].mode);
    }
    EXPECT_EQ(again->newest_mtime, first->newest_mtime);
    EXPECT_EQ(again->name, "hello");
    ASSERT_TRUE(WriteFileAtomic(unpacked, "garbage").ok());  // damaged: made again
  }
  // Outside the download cache: no unpack cache.
  ASSERT_TRUE(WriteFileAtomic(cache + "/hello.deb", bytes).ok());
  ASSERT_TRUE(ReadDeb(cache + "/hello.deb").ok());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(cache + "/unpacked"), {}), 1);
}

TEST(DebTest, RefusesEscapesAndNonDebs) {
  std::string bytes = testing::MakeDeb(kControl, "file ./../etc/passwd 0644 x\n");
  EXPECT_THAT(ParseDeb(bytes, "evil.deb").error().message, HasSubstr("evil.deb: data.tar: path"));
  EXPECT_THAT(ParseDeb("not an archive", "x.deb").error().message, HasSubstr("x.deb: "));
  std::string no_pkg = testing::MakeDeb("Version: 1\n", "dir ./usr 0755\n");
  EXPECT_THAT(ParseDeb(no_pkg, "n.deb").error().message, HasSubstr("missing Package"));
}

TEST(DebTest, HugeMemberClaimIsTruncationNotAnAllocation) {
  // fuzz/deb_fuzz.cc found it: 74 bytes whose first member claims 1,891,587,648.
  std::string bytes = "!<arch>\ndebian-binary   0           0     0     100644  1891587648`\n2.0\n";
  EXPECT_THAT(ParseDeb(bytes, "big.deb").error().message,
              HasSubstr("big.deb: debian-binary: Truncated ar archive"));
}

TEST(DebTest, ArchiveErrorWithoutAMessageIsStillAnError) {
  // fuzz/deb_fuzz.cc found it: an ar archive whose "//" member libarchive gives up on without
  // setting a message; formatting the NULL threw out of ParseDeb.
  const std::string bytes(
      "!<arch>\n//\x00\x00ro    @ "
      "`\n\x3f\x00\x00\x00OW\xee\xb1\x04\xc6\xfeOW\xee\xb1\x04\x01\x00\x00\x00\x00\x00\x00)"
      "\n\x00\x00\xff\x7f\x00\x00   184     @ `\n",
      68);
  auto r = ParseDeb(bytes, "m.deb");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "m.deb: not a deb archive: unreadable archive");
}

TEST(DebTest, NormalizePath) {
  EXPECT_EQ(NormalizeDebPath("./usr//bin/./x").value(), "usr/bin/x");
  EXPECT_EQ(NormalizeDebPath("./").value(), "");
  EXPECT_FALSE(NormalizeDebPath("usr/../../x").ok());
}

}  // namespace
}  // namespace distill::imagebuild
