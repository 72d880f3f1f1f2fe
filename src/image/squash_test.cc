#include "image/squash.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/image_builder.h"

namespace distill::image {
namespace {

std::vector<LayerData> Layers(std::vector<std::string_view> trees, ContentPlan plan = {}) {
  std::vector<LayerData> out;
  for (size_t i = 0; i < trees.size(); ++i) {
    auto r = ReadLayer(std::make_unique<StringReader>(testing::MakeTar(testing::ParseTree(trees[i]))), std::nullopt,
                       static_cast<int32_t>(i), plan, {});
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
)", R"(
whiteout etc/motd
opaque var/cache
file var/cache/new 0644 n
)"});
  auto s = Squash(layers, false);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_THAT(Paths(*s), ::testing::ElementsAre("etc@0", "etc/keep@0", "var@0", "var/cache@0", "var/cache/new@1"));
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

}  // namespace
}  // namespace distill::image
