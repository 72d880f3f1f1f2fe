#include "image/diffid_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "image/image.h"
#include "testing/image_builder.h"
#include "util/digest.h"
#include "util/file.h"

namespace distill::image {
namespace {

using ::testing::HasSubstr;
using namespace distill::testing;

TestImage Image() {
  TestImage img;
  img.tag = "app";
  img.layers.push_back(
      Layer("dir etc\nfile etc/os-release 0644 ID=test\\n\nfile usr/bin/app 0755 ELF\n"));
  img.layers.push_back(Layer("file usr/bin/tool 0755 x\n", Compression::kZstd));
  return img;
}

std::vector<std::string> View(const LoadedImage& img) {
  std::vector<std::string> out;
  for (const auto& e : img.files.entries())
    out.push_back(fmt::format("{} {:o} {}", e.path, e.mode, e.size));
  return out;
}

class DiffIdCacheTest : public ::testing::Test {
 protected:
  std::string dir_ = TempDir();
  DiffIdCache cache_{dir_ + "/diffids"};
  Result<LoadedImage> Load(const std::string& source) {
    LoadOptions opt;
    opt.verify_diff_ids = true;
    opt.diff_ids = cache_;
    return LoadImage(source, opt);
  }
  static std::string DiffId(const TestLayer& l) { return Sha256Digest(l.tar); }
  static std::string DigestOf(const TestLayer& l) {
    return Sha256Digest(l.compression == Compression::kZstd ? ZstdBytes(l.tar) : GzipBytes(l.tar));
  }
};

TEST_F(DiffIdCacheTest, GetReturnsWhatPutStored) {
  std::string d = "sha256:" + std::string(64, 'a'), id = "sha256:" + std::string(64, 'b');
  EXPECT_FALSE(cache_.Get(d));
  cache_.Put(d, id);
  EXPECT_EQ(cache_.Get(d), id);
  cache_.Put("sha256:short", id);  // malformed digests are neither stored nor looked up
  EXPECT_FALSE(cache_.Get("sha256:short"));
  EXPECT_FALSE(DiffIdCache().Get(d));  // disabled
}

TEST_F(DiffIdCacheTest, MalformedEntryIsIgnored) {
  std::string d = "sha256:" + std::string(64, 'c');
  cache_.Put(d, "sha256:" + std::string(64, 'd'));
  ASSERT_TRUE(
      WriteFileAtomic(dir_ + "/diffids/sha256/" + std::string(64, 'c'), "sha256:not-hex").ok());
  EXPECT_FALSE(cache_.Get(d));
}

TEST_F(DiffIdCacheTest, SecondReadSkipsHashingAndSeesTheSameImage) {
  TestImage img = Image();
  WriteDir(dir_ + "/layout", OciLayoutFiles({img}));
  auto first = Load("oci-dir:" + dir_ + "/layout");
  ASSERT_TRUE(first.ok()) << first.error().message;
  for (const auto& s : first->layer_stats) EXPECT_EQ(s.diff_id, DiffIdCheck::kHashed);
  // Both pairs were recorded after the read verified them.
  for (const auto& l : img.layers) EXPECT_EQ(cache_.Get(DigestOf(l)), DiffId(l));

  auto second = Load("oci-dir:" + dir_ + "/layout");
  ASSERT_TRUE(second.ok()) << second.error().message;
  for (const auto& s : second->layer_stats) EXPECT_EQ(s.diff_id, DiffIdCheck::kCached);
  EXPECT_EQ(View(*first), View(*second));
  EXPECT_EQ(first->meta.layers[0].diff_id, second->meta.layers[0].diff_id);
}

TEST_F(DiffIdCacheTest, PairThatDisagreesWithTheConfigIsNotUsed) {
  TestImage img = Image();
  WriteDir(dir_ + "/layout", OciLayoutFiles({img}));
  cache_.Put(DigestOf(img.layers[0]),
             "sha256:" + std::string(64, 'e'));  // wrong (or another config's)
  auto r = Load("oci-dir:" + dir_ + "/layout");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->layer_stats[0].diff_id, DiffIdCheck::kHashed);
  EXPECT_EQ(cache_.Get(DigestOf(img.layers[0])),
            DiffId(img.layers[0]));  // the verified pair replaced it
}

TEST_F(DiffIdCacheTest, CachedPairCannotHideAChangedBlob) {
  TestImage img = Image();
  auto files = OciLayoutFiles({img});
  WriteDir(dir_ + "/layout", files);
  ASSERT_TRUE(Load("oci-dir:" + dir_ + "/layout").ok());
  // Same tar content, other compressed bytes under the old digest's name: the digest check (on
  // every read) still fails, although the cached diff_id would match.
  std::string path = "blobs/sha256/" + std::string(DigestHex(DigestOf(img.layers[0])));
  ASSERT_TRUE(files.count(path));
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/layout/" + path,
                              GzipBytes(img.layers[0].tar + std::string(1024, '\0')))
                  .ok());
  auto r = Load("oci-dir:" + dir_ + "/layout");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("digest mismatch"));
}

}  // namespace
}  // namespace distill::image
