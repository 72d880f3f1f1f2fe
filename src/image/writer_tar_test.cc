#include "image/writer_tar.h"

#include <archive.h>
#include <archive_entry.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace distill::image {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Type = TarItem::Type;

TarItem F(std::string path, std::string data, uint32_t mode = 0644) {
  TarItem t;
  t.path = std::move(path);
  t.data = std::move(data);
  t.mode = mode;
  return t;
}

struct Read {
  std::string path, link, data;
  int type;
  unsigned mode;
  int64_t mtime, uid;
  bool has_atime, has_ctime;
};

std::vector<Read> ReadBack(const std::string& tar) {
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(
      a);  // what the writer produces (filter_all would pull lz4 & co. into the static link)
  EXPECT_EQ(archive_read_open_memory(a, tar.data(), tar.size()), ARCHIVE_OK);
  std::vector<Read> out;
  archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    Read r{archive_entry_pathname(e),
           "",
           "",
           static_cast<int>(archive_entry_filetype(e)),
           archive_entry_perm(e),
           archive_entry_mtime(e),
           archive_entry_uid(e),
           archive_entry_atime_is_set(e) != 0,
           archive_entry_ctime_is_set(e) != 0};
    if (archive_entry_hardlink(e)) r.link = archive_entry_hardlink(e);
    if (archive_entry_symlink(e)) r.link = archive_entry_symlink(e);
    r.data.resize(archive_entry_size(e));
    if (!r.data.empty()) archive_read_data(a, r.data.data(), r.data.size());
    out.push_back(r);
  }
  archive_read_free(a);
  return out;
}

TEST(WriterTarTest, SortsEntriesAndNormalizesTimes) {
  TarItem dir;
  dir.path = "usr";
  dir.type = Type::kDir;
  dir.mode = 0755;
  TarItem tmp = dir;
  tmp.path = "tmp";
  tmp.mode = 01777;
  auto tar = WriteTar({F("usr/b", "bb"), F("usr/a", "a", 0755), dir, tmp}, 1700000000);
  ASSERT_TRUE(tar.ok()) << tar.error().message;
  auto r = ReadBack(*tar);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].path, "tmp/");
  EXPECT_EQ(r[0].mode, 01777u);
  EXPECT_EQ(r[1].path, "usr/");
  EXPECT_EQ(r[2].path, "usr/a");
  EXPECT_EQ(r[2].mode, 0755u);
  EXPECT_EQ(r[3].data, "bb");
  for (const auto& e : r) {
    EXPECT_EQ(e.mtime, 1700000000);
    EXPECT_FALSE(e.has_atime);
    EXPECT_FALSE(e.has_ctime);
  }
  EXPECT_EQ(tar->size() % 512, 0u);
}

TEST(WriterTarTest, SameItemsInAnyOrderGiveTheSameBytes) {
  auto a = WriteTar({F("x", "1"), F("y", "2"), F("a/b", "3")}, 5);
  auto b = WriteTar({F("a/b", "3"), F("y", "2"), F("x", "1")}, 5);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(WriterTarTest, LongPathsUsePrefixOrPax) {
  std::string mid = std::string(90, 'd') + "/" + std::string(90, 'f');  // fits prefix + name
  std::string longname = "d/" + std::string(150, 'n');                  // needs pax
  TarItem l;
  l.path = "link";
  l.type = Type::kSymlink;
  l.link = std::string(120, 't');
  auto tar = WriteTar({F(mid, "m"), F(longname, "p"), l}, 0);
  ASSERT_TRUE(tar.ok());
  auto r = ReadBack(*tar);
  ASSERT_EQ(r.size(), 3u);
  std::vector<std::string> paths;
  for (auto& e : r) paths.push_back(e.path);
  EXPECT_THAT(paths, ElementsAre(longname, mid, "link"));  // sorted: '/' < 'd'
  EXPECT_EQ(r[2].link, std::string(120, 't'));
}

TEST(WriterTarTest, HardlinkDataMovesToTheFirstPath) {
  TarItem h;
  h.path = "a/hard";
  h.type = Type::kHardlink;
  h.link = "z/data";
  auto tar = WriteTar({F("z/data", "payload", 0755), h}, 0);
  ASSERT_TRUE(tar.ok()) << tar.error().message;
  auto r = ReadBack(*tar);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].path, "a/hard");
  EXPECT_EQ(r[0].data, "payload");
  EXPECT_EQ(r[0].mode, 0755u);
  EXPECT_EQ(r[1].path, "z/data");
  EXPECT_EQ(r[1].link, "a/hard");
}

TEST(WriterTarTest, RejectsBadInput) {
  EXPECT_THAT(WriteTar({F("a", "1"), F("a", "2")}, 0).error().message,
              HasSubstr("duplicate tar path 'a'"));
  EXPECT_THAT(WriteTar({F("/abs", "1")}, 0).error().message, HasSubstr("bad tar path '/abs'"));
  EXPECT_THAT(WriteTar({F("a/../b", "1")}, 0).error().message, HasSubstr("bad tar path"));
  TarItem h;
  h.path = "h";
  h.type = Type::kHardlink;
  h.link = "missing";
  EXPECT_THAT(WriteTar({h}, 0).error().message, HasSubstr("hardlink to 'missing'"));
}

}  // namespace
}  // namespace distill::image
