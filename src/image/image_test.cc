#include "image/image.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "util/digest.h"

namespace distill::image {
namespace {

using ::testing::HasSubstr;
using namespace distill::testing;

TestImage TwoLayers(std::string tag = "app") {
  TestImage img;
  img.tag = tag;
  img.layers.push_back(Layer(R"(
dir etc
file etc/os-release 0644 PRETTY_NAME="Test"\n
file etc/motd 0644 hello
dir usr/bin
file usr/bin/app 0755 ELF
link bin usr/bin
)"));
  img.layers.push_back(
      Layer("whiteout etc/motd\nfile usr/bin/tool 4755 x\n", image::Compression::kZstd));
  img.config = {{"User", "65532"}, {"Entrypoint", {"/usr/bin/app"}}};
  return img;
}

std::vector<std::string> View(const LoadedImage& img) {
  std::vector<std::string> out;
  for (const auto& e : img.files.entries())
    out.push_back(
        fmt::format("{} {} {:o} {} {}", e.path, FileTypeName(e.type), e.mode, e.size, e.link));
  return out;
}

class ImageTest : public ::testing::Test {
 protected:
  std::string dir_ = TempDir();
  std::string P(std::string_view name) { return dir_ + "/" + std::string(name); }
};

TEST_F(ImageTest, ThreeFormatsGiveTheSameView) {
  auto img = TwoLayers();
  WriteDir(P("layout"), OciLayoutFiles({img}));
  WriteTar(P("oci.tar"), OciLayoutFiles({img}));
  WriteTar(P("docker.tar"), DockerArchiveFiles({img}));
  auto a = LoadImage("oci-dir:" + P("layout"), {});
  auto b = LoadImage("oci-archive:" + P("oci.tar"), {});
  auto c = LoadImage("docker-archive:" + P("docker.tar"), {});
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(View(*a), View(*b));
  EXPECT_EQ(View(*a), View(*c));
  EXPECT_THAT(View(*a), ::testing::ElementsAre("bin symlink 777 0 usr/bin", "etc dir 755 0 ",
                                               "etc/os-release file 644 19 ", "usr dir 755 0 ",
                                               "usr/bin dir 755 0 ", "usr/bin/app file 755 3 ",
                                               "usr/bin/tool file 4755 1 "));
  EXPECT_EQ(a->meta.layers.size(), 2u);
  EXPECT_EQ(a->meta.layers[1].created_by, "layer 1");
  EXPECT_EQ(a->meta.config["config"]["User"], "65532");
  EXPECT_EQ(a->meta.platform.ToString(), "linux/amd64");
  EXPECT_EQ(a->meta.scheme, "oci-dir");
  EXPECT_EQ(c->meta.scheme, "docker-archive");
  // Legacy docker-archive layers get their digest from the content (uncompressed: = diff_id).
  EXPECT_EQ(c->meta.layers[0].digest, c->meta.layers[0].diff_id);
  // Which layer last wrote each path.
  EXPECT_EQ(a->files.Find("usr/bin/tool")->layer, 1);
  EXPECT_EQ(a->files.LocationOf(*a->files.Find("usr/bin/tool")).layer_digest,
            a->meta.layers[1].digest);
}

TEST_F(ImageTest, DetectsFormatWithoutScheme) {
  auto img = TwoLayers();
  WriteDir(P("layout"), OciLayoutFiles({img}));
  WriteTar(P("oci.tar"), OciLayoutFiles({img}));
  WriteTar(P("docker.tar"), DockerArchiveFiles({img}));
  EXPECT_EQ(LoadImage(P("layout"), {})->meta.scheme, "oci-dir");
  EXPECT_EQ(LoadImage(P("oci.tar"), {})->meta.scheme, "oci-archive");
  EXPECT_EQ(LoadImage(P("docker.tar"), {})->meta.scheme, "docker-archive");
  std::filesystem::create_directories(P("rootfs/etc"));
  EXPECT_EQ(LoadImage(P("rootfs"), {})->meta.scheme, "dir");
}

TEST_F(ImageTest, PicksByRefAndListsTagsWhenAmbiguous) {
  auto one = TwoLayers("one"), two = TwoLayers("two");
  two.layers.pop_back();
  WriteDir(P("layout"), OciLayoutFiles({one, two}));
  auto amb = LoadImage("oci-dir:" + P("layout"), {});
  ASSERT_FALSE(amb.ok());
  EXPECT_EQ(amb.error().message,
            fmt::format("{0}: holds several images; pick one with {0}:REF (tags present: one, two)",
                        P("layout")));
  auto picked = LoadImage("oci-dir:" + P("layout") + ":two", {});
  ASSERT_TRUE(picked.ok()) << picked.error().message;
  EXPECT_EQ(picked->meta.layers.size(), 1u);
  auto missing = LoadImage("oci-dir:" + P("layout") + ":three", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            fmt::format("{}: no image tagged 'three' (tags present: one, two)", P("layout")));
  WriteTar(P("docker.tar"), DockerArchiveFiles({one, two}));
  auto d = LoadImage("docker-archive:" + P("docker.tar") + ":two", {});
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->meta.layers.size(), 1u);
}

TEST_F(ImageTest, PicksPlatformFromIndex) {
  auto amd = TwoLayers("multi"), arm = TwoLayers("multi");
  arm.arch = "arm64";
  arm.variant = "v8";
  arm.layers.pop_back();
  WriteDir(P("layout"), OciLayoutFiles({amd, arm}, /*as_index=*/true));
  LoadOptions opt;
  opt.platform = *Platform::Parse("linux/arm64");
  auto a = LoadImage("oci-dir:" + P("layout"), opt);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->meta.platform.ToString(), "linux/arm64/v8");
  EXPECT_EQ(a->meta.layers.size(), 1u);
  EXPECT_FALSE(a->meta.index_digest.empty());
  opt.platform = *Platform::Parse("linux/s390x");
  auto none = LoadImage("oci-dir:" + P("layout"), opt);
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(
      none.error().message,
      HasSubstr("no image for platform linux/s390x (present: linux/amd64, linux/arm64/v8)"));
}

TEST_F(ImageTest, UnknownFormat) {
  WriteTar(P("x.tar"), {{"hello.txt", "hi"}});
  auto r = LoadImage(P("x.tar"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message,
      fmt::format("unknown image format for '{}' (no index.json or manifest.json)", P("x.tar")));
  auto d = LoadImage("docker-archive:" + P("x.tar"), {});
  EXPECT_EQ(d.error().message,
            fmt::format("unknown image format for '{}' (no manifest.json)", P("x.tar")));
}

TEST_F(ImageTest, DanglingLayerBlob) {
  auto files = OciLayoutFiles({TwoLayers()});
  // Remove the biggest blob: the first layer.
  std::string victim;
  for (const auto& [p, d] : files)
    if (p.starts_with("blobs/") && (victim.empty() || d.size() > files[victim].size())) victim = p;
  files.erase(victim);
  WriteDir(P("layout"), files);
  auto r = LoadImage("oci-dir:" + P("layout"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("blob missing (" + victim + ")"));
}

TEST_F(ImageTest, LayerDigestMismatch) {
  auto img = TwoLayers();
  auto files = OciLayoutFiles({img});
  std::string gz = GzipBytes(img.layers[0].tar);
  std::string path = "blobs/sha256/" + std::string(DigestHex(Sha256Digest(gz)));
  ASSERT_TRUE(files.count(path));
  files[path] =
      GzipBytes(img.layers[0].tar + std::string(1024, '\0'));  // same tar content, other bytes
  WriteTar(P("app.tar"), files);
  auto r = LoadImage(P("app.tar"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              ::testing::StartsWith(P("app.tar") + ": layer " + ShortDigest(Sha256Digest(gz)) +
                                    ": digest mismatch"));
}

TEST_F(ImageTest, DiffIdMismatch) {
  auto img = TwoLayers();
  auto files = DockerArchiveFiles({img});
  for (auto& [p, d] : files)
    if (p.ends_with("/layer.tar")) {
      d = MakeTar(ParseTree("file other 0644 x"));
      break;
    }
  WriteTar(P("docker.tar"), files);
  auto r = LoadImage(P("docker.tar"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("diff_id mismatch: config says"));
}

// A config that names another diff_id than its compressed layer's tar has: the blob's digest
// (which the manifest pins) is what is always checked; the tar's hash only when asked for, as
// docker pull checks it. A blob that is the tar is checked at no cost: its digest is the hash.
TEST_F(ImageTest, DiffIdOfACompressedLayerIsCheckedWhenAsked) {
  auto img = TwoLayers();
  const std::string wrong = Sha256Digest("another tar");
  img.layers[0].config_diff_id = wrong;
  WriteDir(P("layout"), OciLayoutFiles({img}));

  auto trusted = LoadImage("oci-dir:" + P("layout"), {});
  ASSERT_TRUE(trusted.ok()) << trusted.error().message;
  EXPECT_EQ(trusted->layer_stats[0].diff_id, DiffIdCheck::kTrusted);
  EXPECT_EQ(trusted->layer_stats[1].diff_id, DiffIdCheck::kTrusted);
  EXPECT_EQ(trusted->meta.layers[0].diff_id, wrong);  // reported as the config says it

  LoadOptions verify;
  verify.verify_diff_ids = true;
  auto checked = LoadImage("oci-dir:" + P("layout"), verify);
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.error().message, HasSubstr("diff_id mismatch: config says " +
                                                 ShortDigest(wrong) + ", uncompressed content is " +
                                                 ShortDigest(Sha256Digest(img.layers[0].tar))));
  img.layers[0].config_diff_id.clear();
  WriteDir(P("good"), OciLayoutFiles({img}));
  auto good = LoadImage("oci-dir:" + P("good"), verify);
  ASSERT_TRUE(good.ok()) << good.error().message;
  for (const auto& s : good->layer_stats) EXPECT_EQ(s.diff_id, DiffIdCheck::kHashed);
  EXPECT_EQ(View(*good), View(*trusted));
}

TEST_F(ImageTest, DiffIdOfAnUncompressedLayerIsAlwaysChecked) {
  auto img = TwoLayers();
  img.layers[0].compression = Compression::kNone;
  img.layers[0].config_diff_id = Sha256Digest("another tar");
  WriteDir(P("layout"), OciLayoutFiles({img}));
  auto r = LoadImage("oci-dir:" + P("layout"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("diff_id mismatch: config says"));
}

TEST_F(ImageTest, ManifestDigestMismatch) {
  auto files = OciLayoutFiles({TwoLayers()});
  auto index = nlohmann::json::parse(files["index.json"]);
  std::string mpath =
      "blobs/sha256/" + std::string(DigestHex(index["manifests"][0]["digest"].get<std::string>()));
  files[mpath][files[mpath].size() - 2] = ' ';
  WriteDir(P("layout"), files);
  auto r = LoadImage("oci-dir:" + P("layout"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("digest mismatch"));
}

TEST_F(ImageTest, CorruptOuterTar) {
  WriteTar(P("docker.tar"), DockerArchiveFiles({TwoLayers()}));
  std::string bytes = *ReadFile(P("docker.tar"));
  bytes[10] ^= 0x40;  // a name byte of the first header: checksum fails
  ASSERT_TRUE(WriteFileAtomic(P("bad.tar"), bytes).ok());
  auto r = LoadImage(P("bad.tar"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, P("bad.tar") + ": corrupt tar header at offset 0 (bad checksum)");
}

TEST_F(ImageTest, TruncatedOuterTar) {
  WriteTar(P("docker.tar"), DockerArchiveFiles({TwoLayers()}));
  std::string bytes = *ReadFile(P("docker.tar"));
  ASSERT_TRUE(WriteFileAtomic(P("cut.tar"), bytes.substr(0, 3000)).ok());
  auto r = LoadImage(P("cut.tar"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("is truncated"));
}

TEST_F(ImageTest, LayerErrorNamesArchiveAndLayer) {
  auto img = TwoLayers();
  img.layers[1] = {MakeTar({{.name = "../escape", .data = "x"}}), image::Compression::kGzip};
  WriteDir(P("layout"), OciLayoutFiles({img}));
  auto r = LoadImage("oci-dir:" + P("layout"), {});
  ASSERT_FALSE(r.ok());
  std::string digest = Sha256Digest(GzipBytes(img.layers[1].tar));
  EXPECT_EQ(r.error().message,
            fmt::format("{}: layer {}: entry '../escape' climbs out of the image root", P("layout"),
                        ShortDigest(digest)));
}

TEST_F(ImageTest, CapturesPlannedContents) {
  WriteDir(P("layout"), OciLayoutFiles({TwoLayers()}));
  LoadOptions opt;
  opt.plan.globs = {"etc/os-release"};
  auto r = LoadImage(P("layout"), opt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->files.Contents("etc/os-release"), "PRETTY_NAME=\"Test\"\n");
  EXPECT_FALSE(r->files.HasCaptured("usr/bin/app"));
}

TEST_F(ImageTest, DirSourceReadsContentsOnDemand) {
  std::filesystem::create_directories(P("root/etc"));
  ASSERT_TRUE(WriteFileAtomic(P("root/etc/hostname"), "box\n").ok());
  std::filesystem::create_symlink("../../../../etc/passwd", P("root/etc/escape"));
  auto r = LoadImage("dir:" + P("root"), {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r->files.Contents("etc/hostname"), "box\n");
  // The host's /etc/passwd is out of reach: the link resolves inside the root, where it is absent.
  EXPECT_FALSE(r->files.Contents("etc/escape").ok());
}

TEST(SourceTest, ParseSource) {
  EXPECT_EQ(ParseSource("registry:example.com/x").value().scheme, "registry");
  EXPECT_EQ(ParseSource("registry:example.com/X").error().message,
            "example.com/X: invalid repository name component 'X' (lowercase letters, digits and . "
            "_ - only)");
  // A reference that is not a path is looked up: docker, podman, then its registry.
  EXPECT_EQ(ParseSource("127.0.0.1:5000/team/app:1").value().scheme, "lookup");
  EXPECT_EQ(ParseSource("alpine:3.18").value().scheme, "lookup");
  EXPECT_EQ(ParseSource("ghcr.io/org/app@sha256:" + std::string(64, 'a')).value().path,
            "ghcr.io/org/app@sha256:" + std::string(64, 'a'));
  EXPECT_EQ(ParseSource("docker:alpine:3.18").value().scheme, "docker");
  EXPECT_EQ(ParseSource("docker:alpine:3.18").value().path, "alpine:3.18");
  EXPECT_EQ(ParseSource("podman:localhost/app").value().path, "localhost/app");
  EXPECT_EQ(ParseSource("docker:").error().message,
            "docker:: missing image reference after 'docker:'");
  // A misspelt scheme, or a word and a path, is not sent to a registry as an image name.
  EXPECT_EQ(ParseSource("dockr-archive:x.tar").error().message,
            "dockr-archive:x.tar: unknown scheme 'dockr-archive:'; did you mean 'docker-archive:'? "
            "(known: docker-archive, "
            "oci-archive, oci-dir, dir, registry, docker, podman, oci)");
  EXPECT_THAT(ParseSource("podmn:app").error().message, HasSubstr("did you mean 'podman:'?"));
  EXPECT_THAT(ParseSource("tarball:/x/y.tar").error().message,
              HasSubstr("unknown scheme 'tarball:' (known: "));
  EXPECT_EQ(ParseSource("").error().message, "empty image source");
  EXPECT_EQ(ParseSource("dir:/definitely/not/here").error().message,
            "/definitely/not/here: no such file or directory");
  EXPECT_THAT(ParseSource("/definitely/not/here").error().message,
              HasSubstr("no such file or directory"));
}

// skopeo's oci:PATH[:REF] is oci-dir:; --from forces a scheme on a source that names none.
TEST_F(ImageTest, SkopeoOciSpellingAndFrom) {
  WriteDir(P("layout"), OciLayoutFiles({TwoLayers("app")}));
  auto s = ParseSource("oci:" + P("layout") + ":app");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->scheme, "oci-dir");
  EXPECT_EQ(s->ref, "app");
  auto img = LoadImage("oci:" + P("layout") + ":app", {});
  ASSERT_TRUE(img.ok()) << img.error().message;
  EXPECT_EQ(img->meta.scheme, "oci-dir");
  EXPECT_EQ(*WithScheme("podman", "alpine"), "podman:alpine");
  EXPECT_EQ(*WithScheme("podman", "podman:alpine"), "podman:alpine");
  EXPECT_EQ(WithScheme("docker", "podman:alpine").error().message,
            "--from docker conflicts with the scheme of 'podman:alpine'");
  EXPECT_EQ(WithScheme("tarball", "x").error().message,
            "--from tarball: unknown source (one of docker, podman, registry, docker-archive, "
            "oci-archive, oci-dir, dir)");
}

}  // namespace
}  // namespace distill::image
