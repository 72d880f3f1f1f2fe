// ParseManifest and Zstd on the chiselled-Ubuntu jsonwall (tests/fixtures/sbom/chisel), directly:
// packages, slices, the paths each package owns, and the errors naming the line.
#include <gtest/gtest.h>
#include <zstd.h>

#include "catalog/chisel/cataloger.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::chisel {
namespace {

using V = std::vector<std::string>;

const image::Location kWhere{"var/lib/chisel/manifest.wall", "sha256:test"};

std::string Jsonwall() {
  return ReadFile(testing::FixtureDir() + "/chisel/manifest.jsonwall").value();
}

TEST(ChiselManifestTest, PackagesSlicesAndFiles) {
  auto got = ParseManifest(Jsonwall(), Distro{.id = "ubuntu", .version_id = "22.04"}, kWhere);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 2u);
  const Package& base = got->at(0);
  const Package& libc = got->at(1);
  EXPECT_EQ(base.name, "base-files");
  EXPECT_EQ(base.version, "12ubuntu4.6");
  EXPECT_EQ(base.arch, "amd64");
  EXPECT_EQ(base.found_by, "chisel-manifest-cataloger");
  EXPECT_EQ(base.purl, "pkg:deb/ubuntu/base-files@12ubuntu4.6?arch=amd64&distro=ubuntu-22.04");
  EXPECT_EQ(base.locations, std::vector<image::Location>{kWhere});
  const auto& bm = std::get<DpkgMetadata>(base.metadata);
  EXPECT_EQ(bm.slices, (V{"base-files_chisel", "base-files_release-info"}));
  V files;
  for (const OwnedFile& f : base.files)
    files.push_back(f.path + " " + f.algorithm.str() + " " + f.digest.str());
  EXPECT_EQ(files,
            (V{"etc/os-release  ", "var/lib/chisel/manifest.wall  "}));  // sorted; no digests given
  EXPECT_EQ(libc.purl, "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.8?arch=amd64&distro=ubuntu-22.04");
  EXPECT_EQ(std::get<DpkgMetadata>(libc.metadata).slices, V{"libc6_libs"});
  ASSERT_EQ(libc.files.size(), 1u);  // "/usr/lib/x86_64-linux-gnu/" is a directory
  EXPECT_EQ(libc.files[0].path, "usr/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(libc.files[0].algorithm, "sha256");
  EXPECT_EQ(libc.files[0].digest.str(),
            "0b1f8b8a3e3f0ac4b2c8f4a1e2d3c4b5a69788776655443322110ffeeddccbbaa");
}

TEST(ChiselManifestTest, FinalSha256WinsAndSharedPaths) {
  std::string text =
      "{\"jsonwall\":\"1.0\",\"schema\":\"1.0\",\"count\":4}\n"
      "{\"kind\":\"package\",\"name\":\"a\",\"version\":\"1\",\"arch\":\"all\"}\n"
      "{\"kind\":\"package\",\"name\":\"b\",\"version\":\"2\",\"arch\":\"all\"}\n"
      "{\"kind\":\"path\",\"path\":\"/"
      "x\",\"slices\":[\"a_s\",\"b_s\",\"a_t\"],\"sha256\":\"11\",\"final_sha256\":\"22\"}\n";
  auto got = ParseManifest(text, Distro{.id = "ubuntu", .version_id = "24.04"}, kWhere);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 2u);
  for (const Package& p : *got) {
    ASSERT_EQ(p.files.size(), 1u) << p.name;  // once per package, though two of a's slices own it
    EXPECT_EQ(p.files[0].digest.str(), "22");
  }
  EXPECT_EQ(got->at(0).purl, "pkg:deb/ubuntu/a@1?arch=all&distro=ubuntu-24.04");
  EXPECT_EQ(ParseManifest(text, Distro{}, kWhere)->at(0).purl,
            "");  // as dpkg's: no distro, no purl
}

TEST(ChiselManifestTest, ErrorsNameTheLine) {
  std::string text = Jsonwall();
  EXPECT_EQ(ParseManifest(text.substr(0, 10), Distro{}, kWhere).error().message,
            "line 1: not a JSON object");
  // Cut in the middle of line 5 (the first package).
  size_t line5 = 0;
  for (int i = 0; i < 4; ++i) line5 = text.find('\n', line5) + 1;
  EXPECT_EQ(ParseManifest(text.substr(0, line5 + 20), Distro{}, kWhere).error().message,
            "line 5: not a JSON object");
  EXPECT_EQ(ParseManifest("{\"schema\":\"1.0\"}\n", Distro{}, kWhere).error().message,
            "line 1: not a jsonwall 1.0 header");
  std::string header = "{\"jsonwall\":\"1.0\",\"schema\":\"1.0\"}\n";
  EXPECT_EQ(ParseManifest(header + "{\"kind\":\"package\",\"version\":\"1\"}\n", Distro{}, kWhere)
                .error()
                .message,
            "line 2: package without a name");
  EXPECT_EQ(
      ParseManifest(header + "\n{\"kind\":\"slice\",\"name\":\"noslice\"}\n", Distro{}, kWhere)
          .error()
          .message,
      "line 3: slice \"noslice\" is not <package>_<slice>");
}

std::string Compress(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3));
  return out;
}

TEST(ChiselManifestTest, Zstd) {
  std::string text = Jsonwall();
  std::string z = Compress(text);
  EXPECT_EQ(Zstd(z, text.size()).value(), text);
  EXPECT_EQ(Zstd(z + Compress("more\n"), 1 << 20).value(), text + "more\n");  // concatenated frames
  EXPECT_EQ(Zstd(z, text.size() - 1).error().message,
            fmt::format("zstd: more than {} bytes decompressed", text.size() - 1));
  EXPECT_EQ(Zstd(z.substr(0, z.size() - 1), 1 << 20).error().message, "zstd: truncated input");
  EXPECT_EQ(Zstd("not zstd", 1 << 20).error().message, "zstd: Unknown frame descriptor");
}

}  // namespace
}  // namespace distill::catalog::chisel
