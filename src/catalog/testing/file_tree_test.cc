// The fixture loaders every catalog test reads its inputs through: a txtar archive (trivy's
// md5sums.txtar), a directory on disk (with a symlink and a plan that captures some files only),
// and a path -> contents map. A loader that lost a file or a byte would hide a parser's bugs.
#include "catalog/testing/file_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "util/file.h"

namespace distill::catalog::testing {
namespace {

namespace fs = std::filesystem;
using V = std::vector<std::string>;

V Listing(const image::FileIndex& files) {
  V out;
  for (const image::Entry& e : files.entries())
    out.push_back(e.path + (e.type == image::FileType::kDirectory ? "/" : ""));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FileTreeTest, TxtarSectionsAreFiles) {
  std::string archive =
      ReadFile(FixtureDir() +
               "/aquasecurity_trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/md5sums.txtar")
          .value();
  image::FileIndex files = IndexFromTxtar(archive);
  // The comment before the first "-- name --" line is no file; parents are directories.
  EXPECT_EQ(Listing(files), (V{"var/", "var/lib/", "var/lib/dpkg/", "var/lib/dpkg/info/",
                               "var/lib/dpkg/info/tar.md5sums", "var/lib/dpkg/status"}));
  auto sums = files.Contents("var/lib/dpkg/info/tar.md5sums");
  ASSERT_TRUE(sums.ok());
  size_t from = archive.find("-- var/lib/dpkg/info/tar.md5sums --\n") + 36;
  EXPECT_EQ(*sums,
            archive.substr(from) + (archive.ends_with('\n') ? "" : "\n"));  // the last section
  auto status = files.Contents("var/lib/dpkg/status");
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(status->starts_with("Package: tar\n")) << *status;
  EXPECT_TRUE(
      status->ends_with("\n\n"));  // the blank line before the next section is the status file's
  EXPECT_EQ(files.layer_digests(), V{"sha256:test"});
  EXPECT_EQ(files.Find("var/lib/dpkg/status")->size, status->size());
}

TEST(FileTreeTest, DirectoryWithSymlinkAndPlan) {
  fs::path root = fs::path(::testing::TempDir()) / "file_tree_test";
  fs::remove_all(root);
  fs::create_directories(root / "etc");
  ASSERT_TRUE(
      WriteFileAtomic((root / "etc/os-release").string(), "ID=debian\n", Durable::kNo).ok());
  ASSERT_TRUE(WriteFileAtomic((root / "etc/hostname").string(), "box\n", Durable::kNo).ok());
  fs::create_symlink("../etc/os-release", root / "os-release");
  image::FileIndex all = IndexFromDir(root.string());
  EXPECT_EQ(Listing(all), (V{"etc/", "etc/hostname", "etc/os-release", "os-release"}));
  const image::Entry* link = all.Find("os-release");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, image::FileType::kSymlink);
  EXPECT_EQ(std::string(link->link.view()), "../etc/os-release");
  EXPECT_EQ(all.Find("etc/hostname")->size, 4u);
  EXPECT_EQ(all.Contents("etc/hostname").value(), "box\n");
  image::ContentPlan plan;
  plan.globs = {"etc/os-release"};
  image::FileIndex some = IndexFromDir(root.string(), plan);
  EXPECT_EQ(Listing(some), Listing(all));  // listed alike, captured as the plan says
  EXPECT_TRUE(some.HasCaptured("etc/os-release"));
  EXPECT_FALSE(some.HasCaptured("etc/hostname"));
  fs::remove_all(root);
}

TEST(FileTreeTest, FilesWithParents) {
  image::FileIndex files = IndexFromFiles({{"a/b/c.txt", "xyz"}, {"a/d", ""}});
  EXPECT_EQ(Listing(files), (V{"a/", "a/b/", "a/b/c.txt", "a/d"}));
  EXPECT_EQ(files.Contents("a/b/c.txt").value(), "xyz");
  EXPECT_EQ(files.Find("a/b/c.txt")->size, 3u);
  EXPECT_EQ(files.Find("a/b/c.txt")->layer, 0);
  EXPECT_EQ(files.Contents("a/d").value(), "");
}

}  // namespace
}  // namespace distill::catalog::testing
