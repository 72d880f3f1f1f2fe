#include "util/blob_cache.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/image_builder.h"
#include "util/digest.h"

namespace distill {
namespace {

TEST(BlobCacheTest, AdoptsOnlyMatchingContent) {
  BlobCache cache(testing::TempDir() + "/cache");
  std::string hex(DigestHex(Sha256Digest("hello")));
  auto tmp = cache.TempPath();
  ASSERT_TRUE(tmp.ok());
  std::ofstream(*tmp) << "hello";
  EXPECT_FALSE(cache.Has(hex));
  auto path = cache.Adopt(*tmp, hex);
  ASSERT_TRUE(path.ok()) << path.error().message;
  EXPECT_TRUE(cache.Has(hex));
  EXPECT_EQ(*path, cache.PathFor(hex));

  auto bad = cache.TempPath();
  ASSERT_TRUE(bad.ok());
  std::ofstream(*bad) << "tampered";
  std::string other(DigestHex(Sha256Digest("other")));
  auto r = cache.Adopt(*bad, other);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("digest mismatch"), std::string::npos);
  EXPECT_FALSE(cache.Has(other));
  EXPECT_FALSE(std::ifstream(*bad).good()) << "a rejected download must not be left behind";
  EXPECT_FALSE(cache.Has("../../etc/passwd"));
}

}  // namespace
}  // namespace distill
