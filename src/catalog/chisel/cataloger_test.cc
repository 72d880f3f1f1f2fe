#include "catalog/chisel/cataloger.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include "catalog/catalog.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::chisel {
namespace {

using V = std::vector<std::string>;

std::string Compress(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string Jsonwall() {
  auto r = ReadFile(testing::FixtureDir() + "/chisel/manifest.jsonwall");
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : "";
}

TEST(ChiselTest, ChiselledUbuntu) {
  auto files = testing::IndexFromFiles(
      {{"var/lib/chisel/manifest.wall", Compress(Jsonwall())},
       {"usr/lib/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\nID_LIKE=debian\n"}});
  auto c = CatalogOs(files);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->unknowns.empty());
  ASSERT_EQ(c->packages.size(), 2u);
  const Package& base = c->packages[0];
  const Package& libc = c->packages[1];
  EXPECT_EQ(base.name, "base-files");
  EXPECT_EQ(base.found_by, "chisel-manifest-cataloger");
  EXPECT_EQ(base.type, "deb");
  EXPECT_EQ(std::get<DpkgMetadata>(base.metadata).slices,
            (V{"base-files_chisel", "base-files_release-info"}));
  EXPECT_EQ(libc.purl, "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.8?arch=amd64&distro=ubuntu-22.04");
  EXPECT_EQ(libc.locations[0].path, "var/lib/chisel/manifest.wall");
  ASSERT_EQ(libc.files.size(), 1u);  // the directory line is not a file
  EXPECT_EQ(libc.files[0].path, "usr/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(libc.files[0].algorithm, "sha256");
  EXPECT_EQ(base.files.size(), 2u);
}

TEST(ChiselTest, BadManifestsAreUnknowns) {
  image::Location where{"var/lib/chisel/manifest.wall", ""};
  EXPECT_EQ(ParseManifest("{\"jsonwall\":\"1.0\",\"schema\":\"2.0\",\"count\":1}\n", {}, where)
                .error()
                .message,
            "line 1: unknown manifest schema \"2.0\"");
  EXPECT_EQ(ParseManifest("{\"jsonwall\":\"1.0\",\"schema\":\"1.0\"}\n{oops\n", {}, where)
                .error()
                .message,
            "line 2: not a JSON object");
  auto files = testing::IndexFromFiles({{"var/lib/chisel/manifest.wall", "not zstd"}});
  auto c = CatalogOs(files);
  ASSERT_EQ(c->unknowns.size(), 1u);
  EXPECT_EQ(c->unknowns[0].message, "zstd: Unknown frame descriptor");
  std::string truncated = Compress(Jsonwall());
  truncated.resize(truncated.size() / 2);
  EXPECT_FALSE(Zstd(truncated, 1 << 20).ok());
  EXPECT_EQ(Zstd(Compress(std::string(4096, 'a')), 100).error().message,
            "zstd: more than 100 bytes decompressed");
}

}  // namespace
}  // namespace distill::catalog::chisel
