// Manifests, indexes and configs with fields of the wrong type ("mediaType": 5): every one is a
// clear error naming the blob and the field, never an exception (nlohmann's value()/get<> throw).
#include "image/manifest.h"

#include <gtest/gtest.h>

#include "image/archive_internal.h"
#include "util/digest.h"

namespace distill::image {
namespace {

using nlohmann::json;

const std::string kDigest = "sha256:" + std::string(64, 'a');

json Desc(std::string media_type = "application/vnd.oci.image.layer.v1.tar+gzip") {
  return {{"mediaType", media_type}, {"digest", kDigest}, {"size", 10}};
}

std::string DescError(json d) {
  auto r = ParseDescriptor(d, "x: manifests[0]");
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error().message;
}

TEST(JsonFieldsTest, TypedFieldsNeverThrow) {
  json j = {{"s", "v"}, {"n", 5}, {"b", true}, {"null", nullptr}, {"big", 18446744073709551615ull}};
  EXPECT_EQ(*JsonString(j, "s", "w"), "v");
  EXPECT_EQ(*JsonString(j, "missing", "w", "dflt"), "dflt");
  EXPECT_EQ(*JsonString(j, "null", "w", "dflt"), "dflt");
  EXPECT_EQ(JsonString(j, "n", "blob x").error().message, "blob x: n is a number, not a string");
  EXPECT_EQ(*JsonInt(j, "n", "w", -1), 5);
  EXPECT_EQ(JsonInt(j, "s", "w", -1).error().message, "w: s is a string, not an integer");
  EXPECT_EQ(JsonInt(j, "big", "w", -1).error().message, "w: big is out of range");
  EXPECT_EQ(*JsonBool(j, "b", "w", false), true);
  EXPECT_EQ(JsonBool(j, "s", "w", false).error().message, "w: s is a string, not a boolean");
  EXPECT_EQ(JsonString(json::array(), "s", "w", "d").value(),
            "d");  // not an object: nothing to find
}

TEST(ManifestTest, DescriptorFieldsOfTheWrongType) {
  json d = Desc();
  d["mediaType"] = 5;
  EXPECT_EQ(DescError(d), "x: manifests[0]: mediaType is a number, not a string");
  d = Desc();
  d["digest"] = json::array();
  EXPECT_EQ(DescError(d), "x: manifests[0]: digest is an array, not a string");
  d = Desc();
  d["size"] = "10";
  EXPECT_EQ(DescError(d), "x: manifests[0]: size is a string, not an integer");
  d = Desc();
  d["size"] = 1.5;
  EXPECT_EQ(DescError(d), "x: manifests[0]: size is a number, not an integer");
  d = Desc();
  d["size"] = -7;
  EXPECT_EQ(DescError(d), "x: manifests[0]: size -7 is negative");
  d = Desc();
  d["annotations"] = "ref";
  EXPECT_EQ(DescError(d), "x: manifests[0]: annotations is a string, not an object");
  d = Desc();
  d["annotations"] = {{"org.opencontainers.image.ref.name", 1}};
  EXPECT_EQ(
      DescError(d),
      "x: manifests[0]: annotations: org.opencontainers.image.ref.name is a number, not a string");
  d = Desc();
  d["platform"] = "linux/amd64";
  EXPECT_EQ(DescError(d), "x: manifests[0]: platform is a string, not an object");
  d = Desc();
  d["platform"] = {{"os", "linux"}, {"architecture", false}};
  EXPECT_EQ(DescError(d), "x: manifests[0]: platform: architecture is a boolean, not a string");
  d = Desc();
  d["size"] = nullptr;  // null reads as absent
  EXPECT_EQ(ParseDescriptor(d, "x").value().size, -1);
}

TEST(ManifestTest, IndexManifestsOfTheWrongType) {
  auto r = ParseIndexManifests(json{{"manifests", {{"a", 1}}}}, "img: index.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "img: index.json: manifests is an object, not an array");
  r = ParseIndexManifests(json{{"manifests", json::array({5})}}, "img: index.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "img: index.json: manifests[0]: descriptor is not an object");
}

// Resolves a manifest (and config) given as JSON through ResolveImage, as every source does.
Result<ImageMeta> Resolve(const json& manifest, const json& config) {
  std::string mbytes = manifest.dump(), cbytes = config.dump();
  Descriptor top;
  top.digest = Sha256Digest(mbytes);
  top.media_type = "application/vnd.oci.image.manifest.v1+json";
  auto fetch = [&](const Descriptor&, BlobKind kind) -> Result<std::string> {
    return kind == BlobKind::kConfig ? cbytes : mbytes;
  };
  return ResolveImage(top, fetch, Platform{"linux", "amd64", ""}, "img");
}

json Manifest() {
  return {{"schemaVersion", 2},
          {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
          {"config", Desc("application/vnd.oci.image.config.v1+json")},
          {"layers", json::array({Desc()})}};
}

json Config() {
  return {{"os", "linux"},
          {"architecture", "amd64"},
          {"rootfs", {{"type", "layers"}, {"diff_ids", json::array({kDigest})}}},
          {"history", json::array({{{"created_by", "RUN x"}}})}};
}

std::string ResolveError(const json& manifest, const json& config) {
  auto r = Resolve(manifest, config);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  // The manifest's digest changes with its content: name it generically.
  std::string m = r.error().message;
  std::string d = ShortDigest(Sha256Digest(manifest.dump())),
              c = ShortDigest(Sha256Digest(config.dump()));
  (void)c;
  if (auto p = m.find(d); p != std::string::npos) m.replace(p, d.size(), "M");
  if (auto p = m.find(ShortDigest(kDigest)); p != std::string::npos)
    m.replace(p, ShortDigest(kDigest).size(), "C");
  return m;
}

TEST(ManifestTest, WellFormedResolves) {
  auto r = Resolve(Manifest(), Config());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->layers.size(), 1u);
  EXPECT_EQ(r->layers[0].created_by, "RUN x");
  EXPECT_EQ(r->platform.ToString(), "linux/amd64");
}

TEST(ManifestTest, ManifestFieldsOfTheWrongType) {
  json m = Manifest();
  m["mediaType"] = 5;
  EXPECT_EQ(ResolveError(m, Config()), "img: manifest M: mediaType is a number, not a string");
  m = Manifest();
  m["schemaVersion"] = "2";
  EXPECT_EQ(ResolveError(m, Config()),
            "img: manifest M: schemaVersion is a string, not an integer");
  m = Manifest();
  m["layers"] = {{"a", 1}};
  EXPECT_EQ(ResolveError(m, Config()), "img: manifest M: layers is an object, not an array");
  m = Manifest();
  m["layers"][0]["mediaType"] = 5;
  EXPECT_EQ(ResolveError(m, Config()),
            "img: manifest M: layers[0]: mediaType is a number, not a string");
  m = Manifest();
  m["config"] = "sha256:x";
  EXPECT_EQ(ResolveError(m, Config()), "img: manifest M: config: descriptor is not an object");
  m = Manifest();
  m["config"]["size"] = true;
  EXPECT_EQ(ResolveError(m, Config()),
            "img: manifest M: config: size is a boolean, not an integer");
}

TEST(ManifestTest, ConfigFieldsOfTheWrongType) {
  struct Case {
    const char* field;
    json value;
    std::string want;
  };
  const Case cases[] = {
      {"os", 5, "img: config C: os is a number, not a string"},
      {"architecture", json::array(), "img: config C: architecture is an array, not a string"},
      {"variant", json::object(), "img: config C: variant is an object, not a string"},
      {"created", 1700000000, "img: config C: created is a number, not a string"},
      {"config", "User=root", "img: config C: config is a string, not an object"},
      {"rootfs", "layers", "img: config C: rootfs is a string, not an object"},
      {"history", json::object(), "img: config C: history is an object, not an array"},
  };
  for (const auto& c : cases) {
    json cfg = Config();
    cfg[c.field] = c.value;
    EXPECT_EQ(ResolveError(Manifest(), cfg), c.want) << c.field;
  }
  json cfg = Config();
  cfg["rootfs"]["diff_ids"] = kDigest;
  EXPECT_EQ(ResolveError(Manifest(), cfg),
            "img: config C: rootfs.diff_ids is a string, not an array");
  cfg = Config();
  cfg["rootfs"]["diff_ids"] = json::array({7});
  EXPECT_EQ(ResolveError(Manifest(), cfg), "img: config C: rootfs.diff_ids[0] is not a string");
  cfg = Config();
  cfg["history"] = json::array({{{"empty_layer", "yes"}}});
  EXPECT_EQ(ResolveError(Manifest(), cfg),
            "img: config C: history[0]: empty_layer is a string, not a boolean");
  cfg = Config();
  cfg["history"] = json::array({{{"created_by", json::array({"sh", "-c"})}}});
  EXPECT_EQ(ResolveError(Manifest(), cfg),
            "img: config C: history[0]: created_by is an array, not a string");
  cfg = Config();
  cfg["history"] = json::array({"RUN x"});
  EXPECT_EQ(ResolveError(Manifest(), cfg), "img: config C: history[0] is not an object");
}

// What a registry serves for a tag may be an index although the caller expected a manifest, and
// an index's entry (mediaType left out) may lead to another such index: each is one more level.
// Every step is a new blob, so a hostile registry can make the chain as long as it likes; the
// fuzzer found that each "manifest that is an index" started the count again (a stack overflow).
TEST(ManifestTest, IndexChainsStopAtTheDepthLimitHoweverReached) {
  bool typed = true;  // whether the index says "mediaType" (without it, "manifests" tells)
  auto index_to = [&](int n) {
    json entry = {{"digest", "sha256:" + fmt::format("{:064x}", n)},
                  {"size", 1},
                  {"platform", {{"os", "linux"}, {"architecture", "amd64"}}}};
    json index = {{"schemaVersion", 2}, {"manifests", json::array({entry})}};
    if (typed) index["mediaType"] = "application/vnd.oci.image.index.v1+json";
    return index.dump();
  };
  for (bool t : {true, false}) {
    typed = t;
    for (const char* top_type : {"", "application/vnd.oci.image.manifest.v1+json",
                                 "application/vnd.oci.image.index.v1+json"}) {
      if (!typed && top_type == std::string_view("application/vnd.oci.image.manifest.v1+json"))
        continue;
      int fetched = 0;
      auto fetch = [&](const Descriptor&, BlobKind) -> Result<std::string> {
        return index_to(++fetched);
      };
      Descriptor top;
      top.digest = kDigest;
      top.media_type = top_type;
      auto r = ResolveImage(top, fetch, Platform{"linux", "amd64", ""}, "img");
      ASSERT_FALSE(r.ok()) << top_type;
      EXPECT_EQ(r.error().message, "img: image indexes nested too deeply")
          << top_type << " typed " << typed;
      EXPECT_LE(fetched, 12) << top_type;
    }
  }
  // Five levels (an index of an index ... of a manifest) are still read.
  int fetched = 0;
  std::string mbytes = Manifest().dump(), cbytes = Config().dump();
  auto fetch = [&](const Descriptor&, BlobKind kind) -> Result<std::string> {
    if (kind == BlobKind::kConfig) return cbytes;
    return ++fetched <= 5 ? index_to(fetched) : mbytes;
  };
  Descriptor top;
  top.digest = kDigest;
  top.media_type = "application/vnd.oci.image.index.v1+json";
  auto r = ResolveImage(top, fetch, Platform{"linux", "amd64", ""}, "img");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->layers.size(), 1u);
}

}  // namespace
}  // namespace distill::image
