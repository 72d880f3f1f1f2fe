#include "util/file.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace distill
