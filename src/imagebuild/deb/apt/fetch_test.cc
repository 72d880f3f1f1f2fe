#include <gtest/gtest.h>

#include <filesystem>

#include "imagebuild/deb/apt/apt.h"
#include "testing/image_builder.h"
#include "util/digest.h"
#include "util/file.h"

namespace distill::imagebuild::apt {
namespace {

namespace fs = std::filesystem;

struct Pool {
  std::string dir = testing::TempDir();
  std::string cache = dir + "/cache";
  DebRef Add(const std::string& name, const std::string& content) {
    std::string path = dir + "/" + name + ".deb";
    EXPECT_TRUE(WriteFileAtomic(path, content).ok());
    return {
        name,          "1", "amd64", "file:" + path, std::string(DigestHex(Sha256Digest(content))),
        content.size()};
  }
  FetchOptions options() const { return {cache, 3, false}; }
};

TEST(AptFetchTest, FetchesIntoTheCacheInOrder) {
  Pool pool;
  std::vector<DebRef> refs;
  for (int i = 0; i < 7; ++i)
    refs.push_back(pool.Add("p" + std::to_string(i), std::string(1000 * i + 1, 'a' + i)));
  auto got = Fetch(refs, pool.options());
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), refs.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    EXPECT_EQ((*got)[i].ref, refs[i]);
    EXPECT_EQ((*got)[i].path, pool.cache + "/blobs/sha256/" + refs[i].sha256);
    EXPECT_EQ(ReadFile((*got)[i].path)->size(), refs[i].size);
  }
  // Second time: from the cache, even with the sources gone.
  for (const auto& r : refs) fs::remove(r.url.substr(5));
  auto again = Fetch(refs, pool.options());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)[3].path, (*got)[3].path);
}

TEST(AptFetchTest, MismatchLeavesNothingBehind) {
  Pool pool;
  DebRef good = pool.Add("good", "good bytes");
  DebRef bad = pool.Add("bad", "bad bytes");
  bad.sha256 = std::string(DigestHex(Sha256Digest("other bytes")));
  auto r = Fetch({bad}, pool.options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("digest mismatch"), std::string::npos) << r.error().message;
  DebRef wrong_size = good;
  wrong_size.size = 3;
  r = Fetch({wrong_size}, pool.options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("larger than 4 bytes"), std::string::npos) << r.error().message;
  wrong_size.size = 100;
  r = Fetch({wrong_size}, pool.options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("size 10 differs from the index's 100"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(fs::exists(pool.cache + "/blobs/sha256/" + bad.sha256));
  EXPECT_TRUE(fs::is_empty(pool.cache + "/tmp")) << "no partial download left";

  DebRef missing = good;
  missing.url = "file:" + pool.dir + "/missing.deb";
  missing.sha256 = std::string(64, '0');
  r = Fetch({missing}, pool.options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not found"), std::string::npos) << r.error().message;
  missing.sha256 = "nothex";
  EXPECT_FALSE(Fetch({missing}, pool.options()).ok());
}

}  // namespace
}  // namespace distill::imagebuild::apt
