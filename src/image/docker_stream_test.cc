#include "image/docker_stream.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "util/digest.h"

namespace distill::image {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace distill::testing;

TestImage TwoLayers() {
  TestImage img;
  img.tag = "docker.io/test/app:1";
  img.layers.push_back(
      Layer("dir etc\nfile etc/os-release 0644 ID=test\\n\nfile etc/motd 0644 hi\n"));
  img.layers.push_back(Layer("whiteout etc/motd\nfile usr/bin/tool 0755 x\n"));
  return img;
}

std::vector<std::string> Paths(const LayerData& l) {
  std::vector<std::string> out;
  for (const auto& e : l.entries) out.push_back(fmt::format("{}@{}", e.path, e.layer));
  return out;
}

StreamOptions Options() {
  StreamOptions o;
  o.name = "podman (/run/test.sock): app:1";
  o.pipeline = false;
  return o;
}

// A `docker save` tar from files in the order given.
std::string Tar(const std::vector<std::pair<std::string, std::string>>& files,
                const std::vector<std::pair<std::string, std::string>>& links = {}) {
  std::vector<TarEntry> entries;
  for (const auto& [path, data] : files) entries.push_back({.name = path, .data = data});
  for (const auto& [path, target] : links)
    entries.push_back({.name = path, .type = '2', .link = target});
  return MakeTar(entries);
}

// The layout podman's GET /images/{name}/get sends: layer tars named by diff_id first, legacy
// <id>/layer.tar symlinks to them, the config, manifest.json near the end.
struct PodmanStream {
  std::string tar;
  std::vector<std::string> diff_ids;
};
PodmanStream Podman(const TestImage& img, bool reverse_layers = false) {
  auto legacy = DockerArchiveFiles({img});
  nlohmann::json manifest = nlohmann::json::parse(legacy["manifest.json"]);
  std::vector<std::pair<std::string, std::string>> files, links;
  PodmanStream out;
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : img.layers) {
    std::string hex(DigestHex(Sha256Digest(l.tar)));
    files.emplace_back(hex + ".tar", l.tar);
    links.emplace_back("id" + hex.substr(0, 8) + "/layer.tar", "../" + hex + ".tar");
    layers.push_back(hex + ".tar");
    out.diff_ids.push_back("sha256:" + hex);
  }
  if (reverse_layers) std::reverse(files.begin(), files.end());
  std::string config = manifest[0]["Config"];
  files.emplace_back(config, legacy[config]);
  manifest[0]["Layers"] = layers;
  files.emplace_back("manifest.json", manifest.dump());
  files.emplace_back("repositories", R"({"docker.io/test/app":{"1":"x"}})");
  out.tar = Tar(files, links);
  return out;
}

TEST(DockerStreamTest, ReadsDockersOrderManifestLast) {
  auto files = DockerArchiveFiles({TwoLayers()});
  std::vector<std::pair<std::string, std::string>> ordered;
  for (const auto& [path, data] : files)
    if (path != "manifest.json") ordered.emplace_back(path, data);
  ordered.emplace_back("manifest.json", files["manifest.json"]);
  StringReader in(Tar(ordered));
  auto r = ReadDockerStream(in, Options());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->meta.tags, ElementsAre("docker.io/test/app:1"));
  ASSERT_EQ(r->layers.size(), 2u);
  ASSERT_TRUE(r->layers[0].ok() && r->layers[1].ok());
  EXPECT_THAT(Paths(*r->layers[0]), ElementsAre("etc@0", "etc/os-release@0", "etc/motd@0"));
  EXPECT_THAT(Paths(*r->layers[1]), ElementsAre("etc/motd@1", "usr/bin/tool@1"));
  EXPECT_EQ(r->layers[0]->diff_id, r->meta.layers[0].diff_id);
  EXPECT_EQ(r->layers[1]->diff_id, r->meta.layers[1].diff_id);
}

TEST(DockerStreamTest, ReadsPodmansOrderAndVisitsWithFinalLayerIndexes) {
  auto stream = Podman(TwoLayers(), /*reverse_layers=*/true);
  StreamOptions o = Options();
  o.diff_ids = stream.diff_ids;
  std::mutex mu;
  std::vector<std::string> visited;
  o.plan.visit = [](const Entry& e) { return e.type == FileType::kRegular; };
  o.plan.visitor = [&](const Entry& e, std::string_view) {
    std::lock_guard lock(mu);
    visited.push_back(fmt::format("{}@{}", e.path, e.layer));
  };
  StringReader in(stream.tar);
  auto r = ReadDockerStream(in, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->layers.size(), 2u);
  EXPECT_THAT(Paths(*r->layers[0]), ElementsAre("etc@0", "etc/os-release@0", "etc/motd@0"));
  EXPECT_THAT(Paths(*r->layers[1]), ElementsAre("etc/motd@1", "usr/bin/tool@1"));
  // The second layer streamed by first, yet its files were visited as layer 1's.
  EXPECT_THAT(visited, ElementsAre("usr/bin/tool@1", "etc/os-release@0", "etc/motd@0"));
}

TEST(DockerStreamTest, FollowsTheLegacyLayerLinks) {
  auto stream = Podman(TwoLayers());
  // manifest.json names the <id>/layer.tar links instead of the tars.
  auto files = DockerArchiveFiles({TwoLayers()});
  nlohmann::json manifest = nlohmann::json::parse(files["manifest.json"]);
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& d : stream.diff_ids) layers.push_back("id" + d.substr(7, 8) + "/layer.tar");
  manifest[0]["Layers"] = layers;
  std::vector<std::pair<std::string, std::string>> ordered, links;
  for (size_t i = 0; i < 2; ++i) {
    std::string hex = stream.diff_ids[i].substr(7);
    ordered.emplace_back(hex + ".tar", TwoLayers().layers[i].tar);
    links.emplace_back("id" + hex.substr(0, 8) + "/layer.tar", "../" + hex + ".tar");
  }
  std::string config = manifest[0]["Config"];
  ordered.emplace_back(config, files[config]);
  ordered.emplace_back("manifest.json", manifest.dump());
  StringReader in(Tar(ordered, links));
  auto r = ReadDockerStream(in, Options());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(Paths(*r->layers[1]), ElementsAre("etc/motd@1", "usr/bin/tool@1"));
}

TEST(DockerStreamTest, ATruncatedStreamIsAnError) {
  std::string tar = Podman(TwoLayers()).tar;
  StringReader in(tar.substr(0, 1500));
  auto r = ReadDockerStream(in, Options());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("podman (/run/test.sock): app:1: "));
  EXPECT_THAT(r.error().message, HasSubstr("truncated"));
}

// Gives `good` bytes, then fails as a daemon that breaks off does.
class Failing : public ByteStream {
 public:
  Failing(std::string data, size_t good) : data_(std::move(data)), good_(good) {}
  Result<size_t> Read(void* buf, size_t n) override {
    if (pos_ >= good_) return Errorf("connection reset by the daemon");
    size_t take = std::min(n, good_ - pos_);
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string data_;
  size_t good_, pos_ = 0;
};

TEST(DockerStreamTest, AnErrorMidStreamIsReported) {
  std::string tar = Podman(TwoLayers()).tar;
  Failing in(tar, tar.size() / 2);
  auto r = ReadDockerStream(in, Options());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("podman (/run/test.sock): app:1: "));
  EXPECT_THAT(r.error().message, HasSubstr("connection reset by the daemon"));
}

TEST(DockerStreamTest, NoManifestOrAManifestNamingNoLayer) {
  StringReader only_layer(Tar({{"abc.tar", TwoLayers().layers[0].tar}}));
  auto r = ReadDockerStream(only_layer, Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "podman (/run/test.sock): app:1: no manifest.json in the image the engine sent");

  auto files = DockerArchiveFiles({TwoLayers()});
  nlohmann::json manifest = nlohmann::json::parse(files["manifest.json"]);
  std::string config = manifest[0]["Config"];
  manifest[0]["Layers"] = {config, config};  // the config where the layers should be
  StringReader json_layer(Tar({{config, files[config]}, {"manifest.json", manifest.dump()}}));
  r = ReadDockerStream(json_layer, Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "podman (/run/test.sock): app:1: layer " + config + ": not a layer tar in the stream");
}

}  // namespace
}  // namespace distill::image
