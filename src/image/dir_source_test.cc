#include "image/dir_source.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "util/file.h"

namespace distill::image {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A tree with more directories than the walk keeps queued for its lstat helper, every file type
// a root file system holds, and symlinks (to directories too, which must not be descended).
std::string MakeTree() {
  std::string root = distill::testing::TempDir() + "/root";
  for (int i = 0; i < 120; ++i) {
    std::string d = fmt::format("{}/usr/lib/d{:03}", root, i);
    fs::create_directories(d + "/sub/deeper");
    EXPECT_TRUE(WriteFileAtomic(d + "/file", std::string(static_cast<size_t>(i), 'x')).ok());
    EXPECT_EQ(::chmod((d + "/file").c_str(), i % 2 ? 0755 : 04640), 0);
    fs::create_symlink("../d000", d + "/link");
    fs::create_symlink("sub", d + "/dirlink");
    EXPECT_TRUE(WriteFileAtomic(d + "/sub/deeper/leaf", "leaf").ok());
  }
  fs::create_directories(root + "/empty");
  EXPECT_EQ(::mkfifo((root + "/fifo").c_str(), 0600), 0);
  return root;
}

// What lstat says of every entry below root, found by std::filesystem: the oracle.
std::map<std::string, std::string> Expected(const std::string& root) {
  std::map<std::string, std::string> out;
  for (const auto& it : fs::recursive_directory_iterator(root)) {
    struct stat sb;
    EXPECT_EQ(::lstat(it.path().c_str(), &sb), 0);
    std::string link = S_ISLNK(sb.st_mode) ? fs::read_symlink(it.path()).string() : "";
    char type = S_ISDIR(sb.st_mode)    ? 'd'
                : S_ISLNK(sb.st_mode)  ? 'l'
                : S_ISFIFO(sb.st_mode) ? 'p'
                                       : '-';
    out[it.path().lexically_relative(root).string()] =
        fmt::format("{} {:o} {} {} {}", type, sb.st_mode & 07777,
                    S_ISREG(sb.st_mode) ? sb.st_size : 0, sb.st_mtim.tv_sec, link);
  }
  return out;
}

std::map<std::string, std::string> Listed(const FileIndex& index) {
  std::map<std::string, std::string> out;
  for (const auto& e : index.entries()) {
    char type = e.type == FileType::kDirectory ? 'd'
                : e.type == FileType::kSymlink ? 'l'
                : e.type == FileType::kFifo    ? 'p'
                                               : '-';
    out[e.path] = fmt::format("{} {:o} {} {} {}", type, e.mode, e.size, e.mtime, e.link.view());
  }
  return out;
}

TEST(DirSourceTest, EveryEntryAsLstatSeesIt) {
  std::string root = MakeTree();
  auto expected = Expected(root);
  ASSERT_EQ(expected.size(), 2u + 120u * 7u + 2u);  // usr, usr/lib; 7 per dN; empty, fifo
  for (unsigned threads : {1u, 2u, 4u}) {
    DirIndexOptions opt;
    opt.threads = threads;
    auto index = IndexDirectory(root, opt);
    ASSERT_TRUE(index.ok()) << index.error().message;
    EXPECT_EQ(Listed(*index), expected) << threads << " threads";
    // Sorted by path, whatever order the threads found them in.
    EXPECT_TRUE(std::is_sorted(index->entries().begin(), index->entries().end(),
                               [](const Entry& a, const Entry& b) { return a.path < b.path; }));
  }
}

size_t OpenDescriptors() {
  return static_cast<size_t>(
      std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator()));
}

TEST(DirSourceTest, WithoutStatAllOnlyRegularFilesHaveMetadata) {
  std::string root = MakeTree();
  auto expected = Expected(root);
  for (unsigned threads : {1u, 2u}) {
    DirIndexOptions opt;
    opt.threads = threads;
    opt.stat_all = false;
    auto index = IndexDirectory(root, opt);
    ASSERT_TRUE(index.ok()) << index.error().message;
    auto listed = Listed(*index);
    ASSERT_EQ(listed.size(), expected.size());
    for (const auto& [path, want] : expected) {
      const std::string& got = listed[path];
      if (want[0] == 'd')
        EXPECT_EQ(got, "d 0 0 0 ") << path;
      else if (want[0] == 'l')
        EXPECT_EQ(got, "l 777 0 0 " + want.substr(want.rfind(' ') + 1)) << path;
      else
        EXPECT_EQ(got, want) << path;  // regular files and the fifo: lstat'ed
    }
  }
}

TEST(DirSourceTest, EntryLimitIsAnErrorAndLeaksNoDescriptor) {
  std::string root = MakeTree();
  size_t fds = OpenDescriptors();
  for (unsigned threads : {1u, 2u}) {
    DirIndexOptions opt;
    opt.threads = threads;
    opt.max_entries = 100;
    auto index = IndexDirectory(root, opt);
    ASSERT_FALSE(index.ok());
    EXPECT_THAT(index.error().message, HasSubstr("more than 100 entries"));
    EXPECT_EQ(OpenDescriptors(), fds);
  }
}

TEST(DirSourceTest, MissingRootIsAnError) {
  auto index = IndexDirectory(distill::testing::TempDir() + "/absent");
  ASSERT_FALSE(index.ok());
  EXPECT_THAT(index.error().message, HasSubstr("no such directory"));
}

}  // namespace
}  // namespace distill::image
