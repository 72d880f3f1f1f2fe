#include "image/writer.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "image/image.h"
#include "image/writer_gzip.h"
#include "image/writer_tar.h"
#include "testing/image_builder.h"
#include "util/file.h"

namespace distill::image {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ImageInput Input(std::string arch, std::string content) {
  TarItem dir;
  dir.path = "etc";
  dir.type = TarItem::Type::kDir;
  dir.mode = 0755;
  TarItem f;
  f.path = "etc/hello";
  f.data = std::move(content);
  ImageInput in;
  in.platform = {"linux", std::move(arch), ""};
  in.config = {{"User", "65532"}, {"Entrypoint", {"/hello"}}};
  in.created = 1700000000;
  in.layers.push_back({WriteTar({dir, f}, 1700000000).value(), "test layer"});
  return in;
}

ImageSet OneImage(std::vector<std::string> tags = {"app:1"}) {
  ImageSet set;
  set.images.push_back(BuildImage(Input("amd64", "hi\n")).value());
  set.tags = std::move(tags);
  return set;
}

class WriterTest : public ::testing::Test {
 protected:
  std::string dir_ = distill::testing::TempDir();
  std::string P(const std::string& rel) { return dir_ + "/" + rel; }
};

TEST_F(WriterTest, EveryOutputReadsBackVerified) {
  ImageSet set = OneImage();
  for (std::string out :
       {"oci-dir:" + P("layout"), "oci-archive:" + P("oci.tar"), "docker-archive:" + P("d.tar")}) {
    auto t = ParseOutputTarget(out);
    ASSERT_TRUE(t.ok());
    auto digest = WriteImageSet(set, *t);
    ASSERT_TRUE(digest.ok()) << digest.error().message;
    EXPECT_EQ(*digest, set.images[0].manifest.digest);
    LoadOptions opt;
    opt.plan.globs = {"etc/*"};
    auto img = LoadImage(out, opt);
    ASSERT_TRUE(img.ok()) << out << ": " << img.error().message;
    EXPECT_EQ(img->meta.config["config"]["User"], "65532");
    EXPECT_EQ(img->meta.config["created"], "2023-11-14T22:13:20Z");
    EXPECT_EQ(img->meta.config["rootfs"]["diff_ids"][0], set.images[0].diff_ids[0]);
    ASSERT_NE(img->files.Find("etc/hello"), nullptr);
    EXPECT_EQ(img->files.Contents("etc/hello").value(), "hi\n");
    EXPECT_THAT(img->meta.tags, ElementsAre("app:1"));
  }
}

TEST_F(WriterTest, SameInputSameBytes) {
  ImageSet a = OneImage(), b = OneImage();
  EXPECT_EQ(a.images[0].manifest.bytes, b.images[0].manifest.bytes);
  ASSERT_TRUE(WriteImageSet(a, {"oci-archive", P("a.tar")}).ok());
  ASSERT_TRUE(WriteImageSet(b, {"oci-archive", P("b.tar")}).ok());
  EXPECT_EQ(ReadFile(P("a.tar")).value(), ReadFile(P("b.tar")).value());
}

TEST_F(WriterTest, MultiArchIndex) {
  ImageSet set;
  set.images.push_back(BuildImage(Input("amd64", "x86\n")).value());
  set.images.push_back(BuildImage(Input("arm64", "arm\n")).value());
  set.images[1].platform.variant = "v8";
  set.tags = {"multi"};
  auto digest = WriteImageSet(set, {"oci-dir", P("multi")});
  ASSERT_TRUE(digest.ok());
  EXPECT_NE(*digest, set.images[0].manifest.digest);
  LoadOptions opt;
  opt.platform = {"linux", "arm64", ""};
  opt.plan.globs = {"etc/*"};
  auto img = LoadImage("oci-dir:" + P("multi"), opt);
  ASSERT_TRUE(img.ok()) << img.error().message;
  EXPECT_EQ(img->meta.index_digest, *digest);
  EXPECT_EQ(img->files.Contents("etc/hello").value(), "arm\n");
  EXPECT_THAT(WriteImageSet(set, {"docker-archive", P("m.tar")}).error().message,
              HasSubstr("docker-archive holds one platform"));
  EXPECT_FALSE(std::filesystem::exists(P("m.tar")));
}

TEST_F(WriterTest, ReplacesALayoutButNeverOtherDirectories) {
  ImageSet set = OneImage();
  ASSERT_TRUE(WriteImageSet(set, {"oci-dir", P("l")}).ok());
  ASSERT_TRUE(WriteImageSet(set, {"oci-dir", P("l")}).ok());
  std::filesystem::create_directories(P("precious"));
  WriteFileAtomic(P("precious/file"), "keep");
  EXPECT_THAT(WriteImageSet(set, {"oci-dir", P("precious")}).error().message,
              HasSubstr("exists and is not an OCI layout"));
  EXPECT_EQ(ReadFile(P("precious/file")).value(), "keep");
  // Nothing but the outputs is left behind (no temporary directories).
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir_))
    n += e.path().filename().string().starts_with(".");
  EXPECT_EQ(n, 0);
}

// SBOM-style referrers: OCI 1.1 artifact manifests whose subject is the image manifest, listed with
// their artifactType in an image index that index.json's annotation names, while index.json lists
// only the image (named "latest" when untagged): readers find the one image without a REF, in a
// directory updated in place and in an archive written again.
TEST_F(WriterTest, ReferrersAreListedAndReadersSkipThem) {
  for (std::vector<std::string> tags :
       {std::vector<std::string>{}, std::vector<std::string>{"app:1"}}) {
    ImageSet set = OneImage(tags);
    std::string dir = P(tags.empty() ? "untagged" : "tagged");
    std::vector<OutputTarget> outs = {{"oci-dir", dir}, {"oci-archive", dir + ".tar"}};
    for (const auto& o : outs) ASSERT_TRUE(WriteImageSet(set, o).ok());
    Artifact a;
    a.artifact_type = "application/spdx+json";
    a.bytes = R"({"spdxVersion":"SPDX-2.3"})";
    a.title = "sbom.spdx.json";
    a.annotations["org.opencontainers.image.created"] = "2023-11-14T22:13:20Z";
    Blob m = AddReferrer(&set, set.images[0].manifest, a);
    a.artifact_type = "application/vnd.cyclonedx+json";
    AddReferrer(&set, set.images[0].manifest, a);
    for (const auto& o : outs) ASSERT_TRUE(UpdateOutput(set, o).ok());

    auto index = nlohmann::json::parse(ReadFile(dir + "/index.json").value());
    ASSERT_EQ(index["manifests"].size(), 1u);
    EXPECT_EQ(index["manifests"][0]["digest"], set.images[0].manifest.digest);
    EXPECT_EQ(index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"],
              tags.empty() ? "latest" : tags[0]);
    std::string listed = index["annotations"][kReferrersAnnotation];
    auto referrers =
        nlohmann::json::parse(ReadFile(dir + "/blobs/sha256/" + listed.substr(7)).value());
    EXPECT_EQ(referrers["mediaType"], "application/vnd.oci.image.index.v1+json");
    ASSERT_EQ(referrers["manifests"].size(), 2u);
    EXPECT_EQ(referrers["manifests"][0]["artifactType"], "application/spdx+json");
    EXPECT_EQ(referrers["manifests"][0]["digest"], m.digest);
    EXPECT_EQ(referrers["manifests"][1]["artifactType"], "application/vnd.cyclonedx+json");
    auto man = nlohmann::json::parse(ReadFile(dir + "/blobs/sha256/" + m.digest.substr(7)).value());
    EXPECT_EQ(man["mediaType"], "application/vnd.oci.image.manifest.v1+json");
    EXPECT_EQ(man["artifactType"], "application/spdx+json");
    EXPECT_EQ(man["config"]["mediaType"], "application/vnd.oci.empty.v1+json");
    EXPECT_EQ(man["config"]["digest"],
              "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    EXPECT_EQ(
        ReadFile(dir +
                 "/blobs/sha256/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
            .value(),
        "{}");
    EXPECT_EQ(man["subject"]["digest"], set.images[0].manifest.digest);
    EXPECT_EQ(man["subject"]["size"], set.images[0].manifest.bytes.size());
    EXPECT_EQ(man["layers"][0]["mediaType"], "application/spdx+json");
    EXPECT_EQ(man["layers"][0]["annotations"]["org.opencontainers.image.title"], "sbom.spdx.json");
    EXPECT_EQ(
        ReadFile(dir + "/blobs/sha256/" + man["layers"][0]["digest"].get<std::string>().substr(7))
            .value(),
        a.bytes);
    for (std::string src : {"oci-dir:" + dir, "oci-archive:" + dir + ".tar"}) {
      LoadOptions opt;
      opt.plan.globs = {"etc/*"};
      auto img = LoadImage(src, opt);
      ASSERT_TRUE(img.ok()) << src << ": " << img.error().message;
      EXPECT_EQ(img->meta.manifest_digest, set.images[0].manifest.digest);
      EXPECT_EQ(img->meta.tags, tags.empty() ? std::vector<std::string>{"latest"} : tags);
    }
    // The archive written again equals a fresh write of the whole set.
    ASSERT_TRUE(WriteImageSet(set, {"oci-archive", dir + ".fresh.tar"}).ok());
    EXPECT_TRUE(ReadFile(dir + ".tar").value() == ReadFile(dir + ".fresh.tar").value());
  }
}

// With a layer cache the gzip of each layer is kept by diff_id and encoder; a rebuild takes it from
// there and gives the same bytes.
TEST_F(WriterTest, LayerCacheGivesTheSameImage) {
  ImageInput in = Input("amd64", std::string(3 << 20, 'z') + "tail");
  in.layer_cache = P("layers");
  BuiltImage first = BuildImage(in).value();
  auto name =
      fmt::format("{}/{}.{}", in.layer_cache, first.diff_ids[0].substr(7), GzipEncoderId(6));
  ASSERT_TRUE(std::filesystem::exists(name)) << name;
  EXPECT_EQ(ReadFile(name).value(), first.layers[0].bytes);
  ASSERT_TRUE(WriteFileAtomic(name, first.layers[0].bytes).ok());
  BuiltImage again = BuildImage(in).value();
  EXPECT_EQ(again.manifest.bytes, first.manifest.bytes);
  EXPECT_TRUE(again.layers[0].bytes == first.layers[0].bytes);
  in.layer_cache.clear();
  EXPECT_EQ(BuildImage(in).value().manifest.digest, first.manifest.digest);
}

TEST_F(WriterTest, BadOutputs) {
  EXPECT_THAT(ParseOutputTarget("registry:x").error().message, HasSubstr("expected oci-dir:DIR"));
  EXPECT_FALSE(ParseOutputTarget("oci-dir:").ok());
}

}  // namespace
}  // namespace distill::image
