// Integration tests on real images made by real tools (scripts/make-test-images.sh: mmdebstrap,
// umoci, skopeo). Run by ctest's "real" test, which makes the images first and sets
// DISTILL_TEST_IMAGES.
#include <cstdio>
#include <cstdlib>
#include <map>

#include <gtest/gtest.h>

#include "image/image.h"
#include "testing/shell.h"

namespace distill::image {
namespace {

std::string Images() {
  const char* d = std::getenv("DISTILL_TEST_IMAGES");
  return d ? d : "";
}

using distill::testing::Shell;

// path type mode size link — as GNU find prints it, with hardlinks as the files they are.
std::map<std::string, std::string> ViewOf(const LoadedImage& img) {
  std::map<std::string, std::string> v;
  for (const auto& e : img.files.entries()) {
    char t = e.type == FileType::kDirectory     ? 'd'
             : e.type == FileType::kSymlink     ? 'l'
             : e.type == FileType::kCharDevice  ? 'c'
             : e.type == FileType::kBlockDevice ? 'b'
             : e.type == FileType::kFifo        ? 'p'
                                                : 'f';
    uint64_t size = e.type == FileType::kRegular || e.type == FileType::kHardlink ? e.size : 0;
    std::string link = e.type == FileType::kSymlink ? e.link.str() : "";
    v[e.path] = fmt::format("{} {:o} {} {}", t, e.mode, size, link);
  }
  return v;
}

std::map<std::string, std::string> FindView(const std::string& root) {
  std::map<std::string, std::string> v;
  std::string out = Shell("find '" + root + "' -mindepth 1 -printf '%P\\t%y %m %s %l\\n'");
  size_t i = 0;
  while (i < out.size()) {
    size_t nl = out.find('\n', i);
    std::string line = out.substr(i, nl - i);
    i = nl + 1;
    auto tab = line.find('\t');
    std::string path = line.substr(0, tab), rest = line.substr(tab + 1);
    // find prints sizes of directories and symlinks; the image view records 0 for those.
    char t = rest[0];
    if (t != 'f') {
      auto a = rest.find(' '), b = rest.find(' ', a + 1), c = rest.find(' ', b + 1);
      rest = rest.substr(0, b + 1) + "0" + rest.substr(c);
    }
    v[path] = rest;
  }
  return v;
}

class RealImages : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Images().empty())
        << "DISTILL_TEST_IMAGES is not set: run through ctest (test 'real')";
  }
  LoadedImage Load(const std::string& src) {
    auto r = LoadImage(src, {});
    EXPECT_TRUE(r.ok()) << src << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? std::move(*r) : LoadedImage{};
  }
};

TEST_F(RealImages, AllFormatsEqualTheRootfsOnDisk) {
  std::string d = Images();
  auto expected = FindView(d + "/rootfs-pyflask");
  ASSERT_GT(expected.size(), 5000u);
  for (std::string src : {"docker-archive:" + d + "/pyflask.docker.tar",
                          "oci-archive:" + d + "/pyflask.oci.tar", "oci-dir:" + d + "/oci:pyflask",
                          "oci-dir:" + d + "/oci-zstd", "dir:" + d + "/rootfs-pyflask"}) {
    SCOPED_TRACE(src);
    auto img = Load(src);
    auto got = ViewOf(img);
    EXPECT_EQ(got.size(), expected.size());
    size_t shown = 0;
    for (const auto& [path, want] : expected) {
      auto it = got.find(path);
      if (it == got.end() || it->second != want) {
        if (++shown <= 5)
          ADD_FAILURE() << path << ": want '" << want << "', got '"
                        << (it == got.end() ? "(missing)" : it->second) << "'";
      }
    }
    EXPECT_EQ(shown, 0u);
  }
}

TEST_F(RealImages, MetadataAgreesAcrossFormats) {
  std::string d = Images();
  auto a = Load("docker-archive:" + d + "/pyflask.docker.tar");
  auto b = Load("oci-archive:" + d + "/pyflask.oci.tar");
  auto c = Load("oci-dir:" + d + "/oci-zstd");
  ASSERT_EQ(a.meta.layers.size(), 2u);
  for (const auto* img : {&b, &c}) {
    ASSERT_EQ(img->meta.layers.size(), 2u);
    for (size_t i = 0; i < 2; ++i) EXPECT_EQ(img->meta.layers[i].diff_id, a.meta.layers[i].diff_id);
  }
  EXPECT_EQ(c.meta.layers[0].media_type, "application/vnd.oci.image.layer.v1.tar+zstd");
  EXPECT_EQ(a.meta.platform.ToString(), "linux/amd64");
}

TEST_F(RealImages, SkopeoAgreesOnDigests) {
  std::string d = Images();
  auto b = Load("oci-archive:" + d + "/pyflask.oci.tar");
  std::string out =
      Shell("skopeo inspect --raw oci-archive:" + d + "/pyflask.oci.tar 2>/dev/null | sha256sum");
  EXPECT_EQ(out.substr(0, 64), std::string(b.meta.manifest_digest).substr(7));
}

}  // namespace
}  // namespace distill::image
