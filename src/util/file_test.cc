#include "util/file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "testing/image_builder.h"

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
  EXPECT_NE(f.error().message.find("/nonexistent-dir/x.json"), std::string::npos) << f.error().message;
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
