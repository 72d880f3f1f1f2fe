#include "imagebuild/deb/apt/index.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "imagebuild/deb/apt/release.h"
#include "testing/image_builder.h"
#include "util/file.h"

namespace distill::imagebuild::apt {
namespace {

namespace fs = std::filesystem;

const std::string kTestdata = std::string(DISTILL_SOURCE_DIR) + "/src/imagebuild/deb/apt/testdata";

// A private copy of testdata/repo (made by make-repo.sh, signed by testdata/keyring.gpg) that a
// test may tamper with, and an empty cache.
struct Repo {
  std::string dir = testing::TempDir();
  std::string root = dir + "/repo";
  std::string cache = dir + "/cache";
  Repo() { fs::copy(kTestdata + "/repo", root, fs::copy_options::recursive); }
  Source source() const {
    return {"file:" + root, "distilltest", {"main"}, kTestdata + "/keyring.gpg", false};
  }
  IndexOptions options(bool offline = false) const { return {"amd64", "", cache, offline}; }
  void Replace(const std::string& rel, std::string_view from, std::string_view to) const {
    auto text = ReadFile(root + "/" + rel);
    ASSERT_TRUE(text.ok());
    size_t at = text->find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text->replace(at, from.size(), to);
    ASSERT_TRUE(WriteFileAtomic(root + "/" + rel, *text).ok());
  }
};

TEST(AptIndexTest, LoadsVerifiedRepository) {
  Repo repo;
  auto idx = LoadIndex({repo.source()}, repo.options());
  ASSERT_TRUE(idx.ok()) << idx.error().message;
  ASSERT_EQ(idx->packages.size(), 2u);
  const PackageInfo* hello = idx->Find("hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->ref.url, "file:" + repo.root + "/pool/main/hello_1.0_amd64.deb");
  EXPECT_EQ(hello->suite, "distilltest");
  EXPECT_EQ(hello->depends, "libc6 (>= 2.36)");
  // Kept for offline use: the InRelease and the uncompressed Packages (under its SHA256).
  EXPECT_TRUE(fs::exists(repo.cache + "/apt/lists/" + ListsName(repo.source().uri, "distilltest")));
  EXPECT_TRUE(
      fs::exists(repo.cache +
                 "/blobs/sha256/f344429d8af597083eb31e3c1e127c13dc79706a8221a5cbab5836d9c0a442db"));

  // Offline, with the repository gone: the same index from the cache.
  fs::remove_all(repo.root);
  auto offline = LoadIndex({repo.source()}, repo.options(true));
  ASSERT_TRUE(offline.ok()) << offline.error().message;
  EXPECT_EQ(offline->packages.size(), 2u);
  EXPECT_FALSE(LoadIndex({repo.source()}, repo.options(false)).ok());
}

TEST(AptIndexTest, RefusesTamperedCache) {
  Repo repo;
  ASSERT_TRUE(LoadIndex({repo.source()}, repo.options()).ok());
  std::string blob =
      repo.cache + "/blobs/sha256/f344429d8af597083eb31e3c1e127c13dc79706a8221a5cbab5836d9c0a442db";
  auto text = ReadFile(blob);
  ASSERT_TRUE(text.ok());
  text->replace(text->find("Version: 1.0"), 12, "Version: 9.0");
  ASSERT_TRUE(WriteFileAtomic(blob, *text).ok());
  auto r = LoadIndex({repo.source()}, repo.options(true));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no longer matches the Release"), std::string::npos)
      << r.error().message;
}

TEST(AptIndexTest, OfflineWithoutCacheFails) {
  Repo repo;
  auto r = LoadIndex({repo.source()}, repo.options(true));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not in the cache"), std::string::npos) << r.error().message;
}

TEST(AptIndexTest, RefusesTamperedInRelease) {
  Repo repo;
  repo.Replace("dists/distilltest/InRelease", "Label: distill", "Label: distilL");
  auto r = LoadIndex({repo.source()}, repo.options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("BAD signature"), std::string::npos) << r.error().message;
  EXPECT_FALSE(fs::exists(repo.cache + "/apt/lists/" + ListsName(repo.source().uri, "distilltest")))
      << "a refused InRelease is not kept";
}

TEST(AptIndexTest, RefusesTamperedPackages) {
  Repo repo;
  // Same size, other bytes: the SHA256 check refuses it (xz's own CRC is not what protects us).
  std::string xz = repo.root + "/dists/distilltest/main/binary-amd64/Packages.xz";
  auto data = ReadFile(xz);
  ASSERT_TRUE(data.ok());
  (*data)[data->size() / 2] ^= 1;
  ASSERT_TRUE(WriteFileAtomic(xz, *data).ok());
  auto r = LoadIndex({repo.source()}, repo.options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("differs from the Release's"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(fs::exists(repo.cache + "/blobs")) << "nothing enters the cache";
}

TEST(AptIndexTest, FallsBackToGzip) {
  Repo repo;
  fs::remove(repo.root + "/dists/distilltest/main/binary-amd64/Packages.xz");
  auto idx = LoadIndex({repo.source()}, repo.options());
  ASSERT_TRUE(idx.ok()) << idx.error().message;
  EXPECT_EQ(idx->packages.size(), 2u);
}

TEST(AptIndexTest, WrongSuiteAndUnsigned) {
  Repo repo;
  Source s = repo.source();
  fs::rename(repo.root + "/dists/distilltest", repo.root + "/dists/other");
  s.suite = "other";
  auto r = LoadIndex({s}, repo.options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not 'other'"), std::string::npos) << r.error().message;

  // The wrong keyring refuses; allow_unsigned (file: only) accepts with a warning.
  Repo repo2;
  Source u = repo2.source();
  u.signed_by = "/usr/share/keyrings/debian-archive-keyring.gpg";
  EXPECT_FALSE(LoadIndex({u}, repo2.options()).ok());
  u.allow_unsigned = true;
  auto ok = LoadIndex({u}, repo2.options());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  u.uri = "http://127.0.0.1:9/none";
  EXPECT_FALSE(LoadIndex({u}, repo2.options()).ok());
}

TEST(AptIndexTest, UnsignedReleaseOnlyWhenAllowed) {
  Repo repo;
  std::string dists = repo.root + "/dists/distilltest";
  auto text = ClearsignedText(*ReadFile(dists + "/InRelease"));
  ASSERT_TRUE(text.ok());
  ASSERT_TRUE(WriteFileAtomic(dists + "/Release", *text).ok());
  fs::remove(dists + "/InRelease");
  Source s = repo.source();
  auto r = LoadIndex({s}, repo.options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("InRelease: not found"), std::string::npos) << r.error().message;
  s.allow_unsigned = true;
  r = LoadIndex({s}, repo.options());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->packages.size(), 2u);
  r = LoadIndex({s}, repo.options(true));
  ASSERT_TRUE(r.ok()) << r.error().message;
}

TEST(AptIndexTest, ListsName) {
  EXPECT_EQ(ListsName("http://h.invalid/debian", "bookworm"),
            "h.invalid_debian_dists_bookworm_InRelease");
  EXPECT_EQ(ListsName("file:/srv/r", "s"), "srv_r_dists_s_InRelease");
}

TEST(AptIndexTest, CloseMatches) {
  std::vector<PackageInfo> pkgs;
  for (const char* n : {"python3", "python3-flask", "python3.11", "libpython3.11", "perl"}) {
    PackageInfo p;
    p.ref.name = n;
    p.ref.version = "1";
    pkgs.push_back(p);
  }
  auto idx = Index::From(pkgs);
  EXPECT_EQ(idx.CloseMatches("pyton3"), (std::vector<std::string>{"python3"}));
  EXPECT_EQ(idx.CloseMatches("python3.1"),
            (std::vector<std::string>{"python3.11", "python3", "libpython3.11"}));
  EXPECT_TRUE(idx.CloseMatches("zzzzzzzz").empty());
}

}  // namespace
}  // namespace distill::imagebuild::apt
