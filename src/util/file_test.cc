#include "util/file.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "testing/image_builder.h"
#include "util/text.h"

namespace distill {
namespace {

TEST(AtomicFileTest, AppearsOnlyOnCommit) {
  std::string dir = testing::TempDir();
  std::string path = dir + "/out.json";
  {
    auto f = AtomicFile::Create(path);
    ASSERT_TRUE(f.ok()) << f.error().message;
    (*f)->stream() << "partial";
    EXPECT_FALSE(std::filesystem::exists(path));
  }  // no Commit: an error on the way
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir)) << "the temporary file is removed";

  auto f = AtomicFile::Create(path);
  ASSERT_TRUE(f.ok());
  (*f)->stream() << "whole";
  ASSERT_TRUE((*f)->Commit().ok());
  auto back = ReadFile(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "whole");
}

TEST(AtomicFileTest, MissingDirectoryIsAnErrorNamingThePath) {
  auto f = AtomicFile::Create("/nonexistent-dir/x.json");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("/nonexistent-dir/x.json"), std::string::npos)
      << f.error().message;
}

// Resident kilobytes of the mapping that holds `address` (/proc/self/smaps), -1 if none.
long MappingRssKb(const void* address) {
  std::ifstream in_file("/proc/self/smaps");  // size 0 to stat: read as a stream
  std::string smaps((std::istreambuf_iterator<char>(in_file)), std::istreambuf_iterator<char>());
  auto at = reinterpret_cast<uintptr_t>(address);
  bool in = false;
  for (std::string_view line : Split(smaps, '\n')) {
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(std::string(line).c_str(), "%lx-%lx ", &lo, &hi) == 2)
      in = lo <= at && at < hi;
    else if (in && line.starts_with("Rss:"))
      return std::strtol(std::string(line.substr(4)).c_str(), nullptr, 10);
  }
  return -1;
}

// Release drops a mapping's pages from the resident set, and the bytes read the same afterwards
// (they come back from the page cache); heap bytes are never touched.
TEST(FileBytesTest, ReleaseDropsMappedPagesOnly) {
  std::string dir = testing::TempDir();
  std::string data(4 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + i / 4096);
  ASSERT_TRUE(WriteFileAtomic(dir + "/big", data).ok());
  auto m = FileBytes::Map(dir + "/big");
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->view(), data);  // touches every page
  EXPECT_GE(MappingRssKb(m->view().data()), 3000);
  m->Release(m->view());
  EXPECT_LT(MappingRssKb(m->view().data()), 512) << "released pages are no longer resident";
  EXPECT_EQ(m->view(), data) << "and read back the same";
  m->Release(m->view().substr(100, 5000));  // a part: only whole pages inside it
  EXPECT_EQ(m->view(), data);

  FileBytes owned(data);
  owned.Release(owned.view());
  EXPECT_EQ(owned.view(), data) << "heap bytes are kept";
}

TEST(FileBytesTest, MapsRefusesAndMoves) {
  std::string dir = testing::TempDir();
  ASSERT_TRUE(WriteFileAtomic(dir + "/f", "mapped bytes").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/empty", "").ok());
  std::filesystem::create_symlink(dir + "/f", dir + "/link");
  auto m = FileBytes::Map(dir + "/f");
  ASSERT_TRUE(m.ok()) << m.error().message;
  FileBytes moved = std::move(*m);
  EXPECT_EQ(moved.view(), "mapped bytes");
  EXPECT_TRUE(m->view().empty());
  auto e = FileBytes::Map(dir + "/empty");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->view().empty());
  EXPECT_FALSE(FileBytes::Map(dir + "/link").ok()) << "a symlink is refused";
  EXPECT_FALSE(FileBytes::Map(dir).ok()) << "a directory is refused";
  auto big = FileBytes::Map(dir + "/f", 4);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("too large"), std::string::npos) << big.error().message;
  FileBytes owned(std::string(100, 'o'));  // longer than the small-string buffer, and shorter:
  FileBytes small(std::string("ab"));
  FileBytes a = std::move(owned), b = std::move(small);
  EXPECT_EQ(a.view(), std::string(100, 'o'));
  EXPECT_EQ(b.view(), "ab");
}

// Files up to kReadBelow bytes are read, larger ones mapped: the same bytes either way.
TEST(FileBytesTest, ReadAndMappedAgreeAtTheBoundary) {
  std::string dir = testing::TempDir();
  for (uint64_t n : {FileBytes::kReadBelow - 1, FileBytes::kReadBelow, FileBytes::kReadBelow + 1}) {
    std::string data(n, '\0');
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<char>(i * 13 + 5);
    ASSERT_TRUE(WriteFileAtomic(dir + "/f", data).ok());
    auto m = FileBytes::Map(dir + "/f");
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->view(), data) << n;
    FileBytes moved = std::move(*m);
    EXPECT_EQ(moved.view(), data) << n;
  }
}

// With the size a walk saw: the same bytes whether the file kept that size, grew or shrank since,
// and the same refusals as Map (a FIFO put in its place neither blocks nor is read).
TEST(FileBytesTest, MapKnownSizeReadsWhatIsThereNow) {
  std::string dir = testing::TempDir();
  std::string data(5000, 'k');
  ASSERT_TRUE(WriteFileAtomic(dir + "/f", data).ok());
  for (uint64_t seen :
       {uint64_t{5000}, uint64_t{4000}, uint64_t{6000}, uint64_t{0}, FileBytes::kReadBelow + 1}) {
    auto m = FileBytes::MapKnownSize(dir + "/f", seen, 1 << 20);
    ASSERT_TRUE(m.ok()) << seen << ": " << m.error().message;
    EXPECT_EQ(m->view(), data) << seen;
    EXPECT_EQ(std::move(*m).TakeString(), data) << seen;
  }
  auto big = FileBytes::MapKnownSize(dir + "/f", 5000, 4000);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("too large"), std::string::npos) << big.error().message;
  std::filesystem::create_symlink(dir + "/f", dir + "/link");
  EXPECT_FALSE(FileBytes::MapKnownSize(dir + "/link", 5000, 1 << 20).ok())
      << "a symlink is refused";
  EXPECT_FALSE(FileBytes::MapKnownSize(dir, 5000, 1 << 20).ok()) << "a directory is refused";
  ASSERT_EQ(::mkfifo((dir + "/fifo").c_str(), 0600), 0);
  EXPECT_FALSE(FileBytes::MapKnownSize(dir + "/fifo", 10, 1 << 20).ok()) << "a FIFO is refused";
}

TEST(FileBytesDeathTest, AFileThatShrinksWhileMappedIsAnErrorNotACrash) {
  std::string dir = testing::TempDir();
  std::string path = dir + "/shrinks";
  ASSERT_TRUE(WriteFileAtomic(path, std::string(3 << 20, 'x')).ok());
  EXPECT_EXIT(
      {
        auto m = FileBytes::Map(path);
        if (!m.ok()) std::_Exit(9);
        std::filesystem::resize_file(path, 0);
        volatile char c = m->view()[2 << 20];  // past the new end: SIGBUS
        (void)c;
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(2), "a file shrank while distill read it.*/shrinks");
}

}  // namespace
}  // namespace distill
