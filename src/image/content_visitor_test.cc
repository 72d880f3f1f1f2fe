// ContentPlan::visitor: files stream past it during the single read, are not kept, and files a
// glob captures are both visited and kept.
#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "image/image.h"
#include "testing/image_builder.h"

namespace distill::image {
namespace {

using namespace distill::testing;

TEST(ContentVisitorTest, VisitsWithoutKeeping) {
  TestImage img;
  img.tag = "v";
  img.layers.push_back(
      Layer("file a 0644 alpha\nfile big 0644 0123456789abcdef\nfile keep 0644 kept\nlink l a\n"));
  img.layers.push_back(Layer("file a 0644 again\n", Compression::kZstd));
  std::string path = TempDir() + "/visit.oci.tar";
  WriteTar(path, OciLayoutFiles({img}));
  std::mutex mu;
  std::map<std::pair<std::string, int>, std::string> seen;
  LoadOptions opt;
  opt.plan.globs = {"keep"};
  opt.plan.visit = [](const Entry& e) { return e.size <= 8; };
  opt.plan.visitor = [&](const Entry& e, std::string_view data) {
    std::lock_guard<std::mutex> lock(mu);
    seen[{e.path, e.layer}] = std::string(data);
  };
  auto loaded = LoadImage("oci-archive:" + path, opt);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  std::map<std::pair<std::string, int>, std::string> want = {
      {{"a", 0}, "alpha"}, {{"a", 1}, "again"}, {{"keep", 0}, "kept"}};
  EXPECT_EQ(seen, want);  // "big" is over the visit predicate's size; links are not files
  EXPECT_TRUE(loaded->files.HasCaptured("keep"));
  EXPECT_FALSE(loaded->files.HasCaptured("a"));
}

}  // namespace
}  // namespace distill::image
