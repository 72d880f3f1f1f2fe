#include "image/layer_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "util/digest.h"

namespace distill::image {
namespace {

using testing::GzipBytes;
using ::testing::HasSubstr;
using testing::MakeTar;
using testing::ParseTree;
using testing::ZstdBytes;

Result<LayerData> Read(std::string blob, std::optional<Compression> c = std::nullopt,
                       ContentPlan plan = {}, LayerLimits limits = {}) {
  return ReadLayer(std::make_unique<StringReader>(std::move(blob)), plan,
                   {.compression = c, .limits = limits});
}

const char* kTree = R"(
dir  etc 0755
file etc/hostname 0644 box\n
file etc/shadow 0640 secret
link etc/localtime /usr/share/zoneinfo/UTC
hard etc/hostname2 etc/hostname
char dev/null 1 3
whiteout etc/motd
opaque var/cache
)";

TEST(LayerReaderTest, ListsEntriesAndHashes) {
  std::string tar = MakeTar(ParseTree(kTree));
  std::string gz = GzipBytes(tar);
  ContentPlan plan;
  plan.globs = {"etc/hostname"};
  auto r = Read(gz, Compression::kGzip, plan);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->digest, Sha256Digest(gz));
  EXPECT_EQ(r->diff_id, Sha256Digest(tar));
  EXPECT_EQ(r->tar_size, tar.size());
  ASSERT_EQ(r->entries.size(), 8u);
  EXPECT_EQ(r->entries[1].path, "etc/hostname");
  EXPECT_EQ(r->entries[1].size, 4u);
  EXPECT_EQ(r->entries[3].type, FileType::kSymlink);
  EXPECT_EQ(r->entries[3].link, "/usr/share/zoneinfo/UTC");
  EXPECT_EQ(r->entries[4].type, FileType::kHardlink);
  EXPECT_EQ(r->entries[4].link, "etc/hostname");
  EXPECT_EQ(r->entries[5].type, FileType::kCharDevice);
  EXPECT_EQ(r->entries[5].dev_major, 1u);
  EXPECT_EQ(r->entries[5].dev_minor, 3u);
  EXPECT_EQ(r->entries[6].type, FileType::kWhiteout);
  EXPECT_EQ(r->entries[6].path, "etc/motd");
  EXPECT_EQ(r->entries[7].type, FileType::kOpaque);
  EXPECT_EQ(r->entries[7].path, "var/cache");
  ASSERT_EQ(r->contents.size(), 1u);
  EXPECT_EQ(r->contents.at("etc/hostname"), "box\n");
}

TEST(LayerReaderTest, SniffsZstdAndPlain) {
  std::string tar = MakeTar(ParseTree("file a 0644 x"));
  for (const std::string& blob : {ZstdBytes(tar), tar}) {
    auto r = Read(blob);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->diff_id, Sha256Digest(tar));
    ASSERT_EQ(r->entries.size(), 1u);
  }
}

TEST(LayerReaderTest, ZlibBackendAgrees) {
  std::string tar = MakeTar(ParseTree(kTree));
  auto a = ReadLayer(std::make_unique<StringReader>(GzipBytes(tar)), {},
                     {.compression = Compression::kGzip, .gzip = GzipBackend::kZlib});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->diff_id, Sha256Digest(tar));
}

TEST(LayerReaderTest, MultiMemberGzip) {
  std::string tar = MakeTar(ParseTree(kTree));
  std::string blob = GzipBytes(tar.substr(0, 1000)) + GzipBytes(tar.substr(1000));
  auto r = Read(blob, Compression::kGzip);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->diff_id, Sha256Digest(tar));
}

TEST(LayerReaderTest, TruncatedGzip) {
  std::string gz = GzipBytes(MakeTar(ParseTree(kTree)));
  auto r = Read(gz.substr(0, gz.size() / 2), Compression::kGzip);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, fmt::format("gzip stream truncated after {} bytes", gz.size() / 2));
}

TEST(LayerReaderTest, CorruptGzip) {
  std::string gz = GzipBytes(MakeTar(ParseTree(kTree)));
  gz[gz.size() - 6] ^= 0x55;  // CRC
  auto r = Read(gz, Compression::kGzip);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("gzip stream corrupt"));
}

TEST(LayerReaderTest, TruncatedZstd) {
  std::string z = ZstdBytes(MakeTar(ParseTree(kTree)));
  auto r = Read(z.substr(0, z.size() - 10), Compression::kZstd);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("zstd stream truncated after"));
}

TEST(LayerReaderTest, MediaTypeDisagreesWithBytes) {
  auto r = Read(MakeTar(ParseTree("file a 0644 x")), Compression::kGzip);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "layer data is not gzip (media type says it is)");
}

TEST(LayerReaderTest, CorruptTarHeader) {
  std::string tar = MakeTar(ParseTree("file a 0644 x\nfile b 0644 y"));
  tar[512 * 2 + 100] ^= 0x7f;  // mode field of the second header: checksum no longer matches
  auto r = Read(tar);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("corrupt tar after 1 entries"));
}

TEST(LayerReaderTest, RefusesDotDotNames) {
  testing::TarEntry e{.name = "../../etc/passwd", .data = "x"};
  auto r = Read(MakeTar({e}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "entry '../../etc/passwd' climbs out of the image root");
}

TEST(LayerReaderTest, RefusesAbsoluteNames) {
  testing::TarEntry e{.name = "/etc/passwd", .data = "x"};
  auto r = Read(MakeTar({e}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "entry '/etc/passwd' has an absolute path");
}

TEST(LayerReaderTest, InnerDotDotThatStaysInsideIsFine) {
  testing::TarEntry e{.name = "./usr/../etc/x", .data = "x"};
  auto r = Read(MakeTar({e}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->entries[0].path, "etc/x");
}

TEST(LayerReaderTest, HardlinkTargetOutsideRoot) {
  testing::TarEntry e{.name = "a", .type = '1', .link = "../../x"};
  auto r = Read(MakeTar({e}));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("leaves the image root"));
}

TEST(LayerReaderTest, DecompressionBombByBytes) {
  std::string big(8 << 20, '\0');
  std::string gz = GzipBytes(MakeTar({{.name = "zeros", .data = big}}));
  LayerLimits limits;
  limits.max_tar_bytes = 1 << 20;
  auto r = Read(gz, Compression::kGzip, {}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "layer expands to more than the 1048576 byte limit (decompression bomb?)");
  EXPECT_LT(gz.size(), 64u << 10);  // the point of a bomb: tiny in, huge out
}

TEST(LayerReaderTest, DecompressionBombByEntries) {
  std::vector<testing::TarEntry> many;
  for (int i = 0; i < 100; ++i) many.push_back({.name = "f" + std::to_string(i)});
  LayerLimits limits;
  limits.max_entries = 50;
  auto r = Read(GzipBytes(MakeTar(many)), Compression::kGzip, {}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "layer has more than 50 entries (the entry limit)");
}

TEST(LayerReaderTest, TenGigabyteSparseFileIsListedNotRead) {
  testing::TarEntry e{
      .name = "huge.img", .data = std::string(4096, 'x'), .sparse_size = 10ull << 30};
  ContentPlan plan;
  plan.globs = {"**"};
  auto r = Read(GzipBytes(MakeTar({e, {.name = "small", .data = "ok"}})), Compression::kGzip, plan);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->entries.size(), 2u);
  EXPECT_EQ(r->entries[0].size, 10ull << 30);
  EXPECT_EQ(r->contents.count("huge.img"), 0u);  // over max_file_bytes: listed, never captured
  EXPECT_EQ(r->contents.at("small"), "ok");
}

TEST(LayerReaderTest, EmptyLayer) {
  auto r = Read(GzipBytes(""), Compression::kGzip);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->entries.empty());
}

TEST(LayerReaderTest, GarbageIsNotATar) {
  auto r = Read(std::string(2048, 'Z'));
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace distill::image
