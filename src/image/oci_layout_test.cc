#include <gtest/gtest.h>

#include "image/image.h"

namespace distill::image {
namespace {

const std::string kApkoLayout =
    std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/apko-e2e/golden-oci";

// apko's golden output (go-containerregistry's layout writer): index.json lists the two images with
// their platforms and artifactType = the config media type. They are images, not artifacts.
TEST(OciLayoutTest, ApkosLayoutReads) {
  for (const auto& [arch, digest] :
       {std::pair{"amd64",
                  "sha256:69f0237c7f8cf0b8a329d1bf1d6870c870c4ec323e39d3a6da59596632d0f2f4"},
        std::pair{"arm64",
                  "sha256:124c885f834cfaf1329987457a9651a68c4fb9733d4462ae6288b98011277858"}}) {
    LoadOptions opt;
    opt.platform = {"linux", arch, ""};
    opt.plan.globs = {"usr/lib/apk/db/installed"};
    auto img = LoadImage("oci-dir:" + kApkoLayout, opt);
    ASSERT_TRUE(img.ok()) << img.error().message;
    EXPECT_EQ(img->meta.manifest_digest, digest);
    auto installed = img->files.Contents("usr/lib/apk/db/installed");
    ASSERT_TRUE(installed.ok());
    EXPECT_NE(installed->find("P:replayout\n"), std::string::npos);
  }
}

}  // namespace
}  // namespace distill::image
