#include "image/squash.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "testing/image_builder.h"

namespace distill::image {
namespace {

std::vector<LayerData> Layers(std::vector<std::string_view> trees, ContentPlan plan = {}) {
  std::vector<LayerData> out;
  for (size_t i = 0; i < trees.size(); ++i) {
    auto r =
        ReadLayer(std::make_unique<StringReader>(testing::MakeTar(testing::ParseTree(trees[i]))),
                  plan, {.layer_index = static_cast<int32_t>(i)});
    EXPECT_TRUE(r.ok()) << r.error().message;
    out.push_back(std::move(*r));
  }
  return out;
}

std::vector<std::string> Paths(const Squashed& s) {
  std::vector<std::string> p;
  for (const auto& e : s.entries) p.push_back(e.path + "@" + std::to_string(e.layer));
  return p;
}

TEST(SquashTest, WhiteoutsAndOpaqueDirectories) {
  auto layers = Layers({R"(
dir etc
file etc/motd 0644 hi
file etc/keep 0644 k
dir var/cache
file var/cache/a 0644 a
dir var/cache/sub
file var/cache/sub/b 0644 b
)",
                        R"(
whiteout etc/motd
opaque var/cache
file var/cache/new 0644 n
)"});
  auto s = Squash(layers, false);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_THAT(Paths(*s), ::testing::ElementsAre("etc@0", "etc/keep@0", "var@0", "var/cache@0",
                                                "var/cache/new@1"));
}

TEST(SquashTest, FileReplacesDirectorySubtree) {
  auto layers = Layers({"dir a\nfile a/x 0644 1\n", "file a 0644 now-a-file\n"});
  auto s = Squash(layers, false);
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(Paths(*s), ::testing::ElementsAre("a@1"));
}

TEST(SquashTest, WhiteoutOfDirectoryRemovesChildren) {
  auto layers = Layers({"dir a\nfile a/x 0644 1\nfile b 0644 2\n", "whiteout a\n"});
  auto s = Squash(layers, false);
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(Paths(*s), ::testing::ElementsAre("b@0"));
}

TEST(SquashTest, SameLayerWhiteoutDoesNotHideOwnEntry) {
  auto layers = Layers({"file a 0644 old\n", "whiteout a\nfile a 0644 new\n"});
  ContentPlan plan;
  auto s = Squash(layers, false);
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(Paths(*s), ::testing::ElementsAre("a@1"));
}

TEST(SquashTest, ImpliesMissingParents) {
  auto layers = Layers({"file usr/bin/x 0755 x\n"});
  auto s = Squash(layers, false);
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(Paths(*s), ::testing::ElementsAre("usr@0", "usr/bin@0", "usr/bin/x@0"));
  EXPECT_EQ(s->entries[0].type, FileType::kDirectory);
}

TEST(SquashTest, HardlinkSizeAndContents) {
  ContentPlan plan;
  plan.globs = {"**"};
  auto layers = Layers({"file a 0644 hello\nhard b a\n"}, plan);
  auto s = Squash(layers, false);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->entries.size(), 2u);
  EXPECT_EQ(s->entries[1].type, FileType::kHardlink);
  EXPECT_EQ(s->entries[1].size, 5u);
  EXPECT_EQ(s->contents.at("b"), "hello");
}

TEST(SquashTest, HardlinkToMissingFile) {
  auto layers = Layers({"file a 0644 x\n", "hard b missing\n"});
  auto s = Squash(layers, false);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, ::testing::EndsWith("hardlink 'b' to missing file 'missing'"));
}

TEST(SquashTest, HardlinkAcrossLayersIsAllowed) {
  auto layers = Layers({"file a 0644 x\n", "hard b a\n"});
  auto s = Squash(layers, false);
  ASSERT_TRUE(s.ok()) << s.error().message;
}

TEST(SquashTest, KeepLayers) {
  auto layers = Layers({"file a 0644 x\n", "whiteout a\n"});
  auto s = Squash(layers, true);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->entries.empty());
  ASSERT_EQ(layers[1].entries.size(), 1u);
  EXPECT_EQ(layers[1].entries[0].type, FileType::kWhiteout);
}

// Squash's two ways of applying a layer give the same result (or the same error), on random
// layers: well-formed ones (each path once, directories first, links to earlier files), the
// same shuffled, and chaotic ones (a small name alphabet, so paths collide: files over
// directories and below files, whiteouts of what the layer itself writes, links to anything).
std::string Describe(const Entry& e) {
  std::string x;
  for (const auto& [k, v] : e.xattrs) x += k + "=" + v + ",";
  return fmt::format("{} {} link={} size={} mtime={} mode={:o} {}:{} layer={} x={}", e.path,
                     FileTypeName(e.type), e.link, e.size, e.mtime, e.mode, e.uid, e.gid, e.layer,
                     x);
}

std::string Describe(const Result<Squashed>& r, const std::vector<LayerData>& layers) {
  if (!r.ok()) return "error: " + r.error().message;
  std::string out;
  for (const Entry& e : r->entries) out += Describe(e) + "\n";
  std::map<std::string, std::string> sorted(r->contents.begin(), r->contents.end());
  for (const auto& [path, bytes] : sorted) out += "contents " + path + " = " + bytes + "\n";
  for (const LayerData& l : layers)
    for (const Entry& e : l.entries) out += "kept " + Describe(e) + "\n";
  return out;
}

std::vector<LayerData> RandomLayers(std::mt19937& rng, int mode) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  static const char* const kNames[] = {"a", "b", "a-b", "a.b", "b0", "\x01"};  // (\x01 sorts first)
  std::vector<LayerData> layers(1 + pick(4));
  std::vector<std::string> files;  // regular files written so far (hardlink targets)
  for (size_t li = 0; li < layers.size(); ++li) {
    LayerData& layer = layers[li];
    layer.digest = "sha256:" + std::string(64, static_cast<char>('0' + li));
    const size_t n = pick(14);
    std::set<std::string> used;
    for (size_t k = 0; k < n; ++k) {
      Entry e;
      e.layer = static_cast<int32_t>(li);
      e.mtime = static_cast<int64_t>(rng() % 1000);
      e.mode = 0600 + static_cast<uint32_t>(pick(0200));
      e.uid = static_cast<uint32_t>(pick(3));
      const size_t depth = 1 + pick(3);
      for (size_t d = 0; d < depth; ++d)
        e.path += (d ? "/" : "") + std::string(kNames[pick(std::size(kNames))]);
      const size_t kind = pick(100);
      if (mode == 2) {  // chaos
        e.type = kind < 35   ? FileType::kDirectory
                 : kind < 65 ? FileType::kRegular
                 : kind < 72 ? FileType::kSymlink
                 : kind < 84 ? FileType::kHardlink
                 : kind < 94 ? FileType::kWhiteout
                             : FileType::kOpaque;
        if (kind >= 98) e.path.clear();  // the root made opaque
      } else {  // well-formed: each path once, its parents (as directories) first
        if (used.count(e.path)) continue;
        bool parent_is_file = false;
        for (std::string_view d = Dirname(e.path); !d.empty(); d = Dirname(d))
          if (used.count(std::string(d)) && !used.count(std::string(d) + "/"))
            parent_is_file = true;
        if (parent_is_file) continue;
        for (std::string_view d = Dirname(e.path); !d.empty(); d = Dirname(d)) {
          if (used.count(std::string(d))) continue;
          Entry dir = e;
          dir.path = std::string(d);
          dir.type = FileType::kDirectory;
          used.insert(dir.path);
          used.insert(dir.path + "/");
          layer.entries.push_back(dir);
        }
        e.type = kind < 30   ? FileType::kDirectory
                 : kind < 75 ? FileType::kRegular
                 : kind < 80 ? FileType::kSymlink
                 : kind < 90 ? FileType::kHardlink
                 : kind < 97 ? FileType::kWhiteout
                             : FileType::kOpaque;
        if (e.type == FileType::kDirectory || e.type == FileType::kOpaque)
          used.insert(e.path + "/");
        used.insert(e.path);
      }
      if (e.type == FileType::kSymlink) e.link = std::string_view("a");
      if (e.type == FileType::kHardlink) {
        if (files.empty() || (mode == 2 && pick(4) == 0))
          e.link = std::string_view(kNames[pick(std::size(kNames))]);
        else
          e.link = std::string_view(files[pick(files.size())]);
        if (mode != 2 && e.link.view() == e.path) continue;
      }
      if (e.type == FileType::kRegular) {
        e.size = 1 + pick(50);
        files.push_back(e.path);
        if (pick(2)) layer.contents[e.path] = fmt::format("{}@{}#{}", e.path, li, k);
      }
      if (pick(10) == 0) e.xattrs.emplace_back("security.capability", "x");
      layer.entries.push_back(std::move(e));
    }
    if (mode == 1) std::shuffle(layer.entries.begin(), layer.entries.end(), rng);
  }
  return layers;
}

TEST(SquashTest, SortedMergeAgreesWithTheInOrderApply) {
  std::mt19937 rng(20261205);
  size_t sorted_layers[3] = {}, layers_seen[3] = {}, errors[3] = {};
  for (int round = 0; round < 6000; ++round) {
    const int mode = round % 3;
    const bool keep = round % 5 == 0;
    std::vector<LayerData> a = RandomLayers(rng, mode), b = a;
    auto in_order = Squash(a, keep, SquashOrder::kInOrder);
    auto sorted = Squash(b, keep, SquashOrder::kSortedWhereSame);
    ASSERT_EQ(Describe(sorted, b), Describe(in_order, a)) << "round " << round;
    if (!sorted.ok()) {
      ++errors[mode];
      continue;
    }
    sorted_layers[mode] += sorted->sorted_layers;
    layers_seen[mode] += a.size();
  }
  // Not vacuous: both ways were taken, in every kind of layer list, and some rounds failed.
  for (int mode = 0; mode < 3; ++mode) {
    SCOPED_TRACE(mode);
    EXPECT_GT(sorted_layers[mode], layers_seen[mode] / 10);
    EXPECT_LT(sorted_layers[mode], layers_seen[mode]);
    EXPECT_GT(errors[mode], 20u);
  }
  EXPECT_GT(sorted_layers[0], layers_seen[0] * 8 / 10);  // well-formed layers: mostly sorted
}

}  // namespace
}  // namespace distill::image
