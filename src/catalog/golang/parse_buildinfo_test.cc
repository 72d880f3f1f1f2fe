// ReadBuildInfo and ParseModInfo on the build info Debian's Go 1.19.8 linked into skopeo
// (testdata/PROVENANCE.md: the section's bytes, and what `go version -m` prints for them), alone
// and inside an ELF file, whole and cut short. The synthetic layouts (pointer format, sectionless
// files) are in cataloger_test.cc, binaries built here by Go in real_build_test.cc.
#include "catalog/golang/parse_buildinfo.h"

#include <gtest/gtest.h>

#include "util/file.h"
#include "util/testing/elf_builder.h"

namespace distill::catalog::golang {
namespace {

using Settings = std::vector<std::pair<std::string, std::string>>;

std::string Section() {
  return ReadFile(std::string(DISTILL_SOURCE_DIR) +
                  "/src/catalog/golang/testdata/skopeo.go.buildinfo")
      .value();
}

void ExpectSkopeo(const BuildInfo& bi) {
  EXPECT_EQ(bi.go_version, "go1.19.8");
  EXPECT_EQ(bi.path, "github.com/containers/skopeo/cmd/skopeo");
  EXPECT_EQ(bi.main.path, "");  // GOPATH mode: no "mod" line
  EXPECT_TRUE(bi.deps.empty());
  EXPECT_EQ(bi.settings, (Settings{{"-compiler", "gc"},
                                   {"-trimpath", "true"},
                                   {"CGO_ENABLED", "1"},
                                   {"GOARCH", "amd64"},
                                   {"GOOS", "linux"},
                                   {"GOAMD64", "v1"}}));
  EXPECT_EQ(bi.Setting("GOARCH"), "amd64");
  EXPECT_EQ(bi.Setting("GOARM"), "");
}

TEST(GoParseBuildInfoTest, RealSkopeoSection) {
  std::string section = Section();
  ASSERT_EQ(section.size(), 240u);
  EXPECT_TRUE(MayHoldBuildInfo(section));
  auto bi = ReadBuildInfo(section);  // not ELF: found by its aligned magic
  ASSERT_TRUE(bi.ok()) << bi.error().message;
  ExpectSkopeo(*bi);
  // The same bytes as the .go.buildinfo section of an ELF file, and 16-byte aligned in a blob.
  auto in_elf = ReadBuildInfo(
      elf::testing::MakeElf64({{".text", std::string(100, 'x')}, {".go.buildinfo", section}}));
  ASSERT_TRUE(in_elf.ok()) << in_elf.error().message;
  ExpectSkopeo(*in_elf);
  auto in_blob = ReadBuildInfo(std::string(16 * 5, 'z') + section);
  ASSERT_TRUE(in_blob.ok()) << in_blob.error().message;
  ExpectSkopeo(*in_blob);
  // Misaligned, the magic is not build info (Go's debug/buildinfo searches aligned offsets).
  auto misaligned = ReadBuildInfo(std::string(8, 'z') + section);
  ASSERT_TRUE(misaligned.ok());
  EXPECT_EQ(misaligned->go_version, "");
}

// Cut anywhere, the section reads as no Go binary, a header too short, or strings cut short;
// never a partial result.
TEST(GoParseBuildInfoTest, RealSectionCutShort) {
  std::string section = Section();
  for (size_t cut = 0; cut < section.size(); ++cut) {
    SCOPED_TRACE(cut);
    auto bi = ReadBuildInfo(section.substr(0, cut));
    if (cut < 14) {  // no whole magic: not a Go binary
      ASSERT_TRUE(bi.ok());
      EXPECT_EQ(bi->go_version, "");
    } else if (cut < 32) {
      ASSERT_FALSE(bi.ok());
      EXPECT_EQ(bi.error().message, ".go.buildinfo: no build info header");
    } else if (cut < 233) {  // 32 + 1 + 8 + 2 + 190: the end of the module text's bytes
      ASSERT_FALSE(bi.ok());
      EXPECT_EQ(bi.error().message, ".go.buildinfo: truncated version or module strings");
    } else {  // the zero padding after the strings
      ASSERT_TRUE(bi.ok()) << bi.error().message;
      ExpectSkopeo(*bi);
    }
  }
  // A length that runs past the end, and a varint that never ends.
  std::string bad = section;
  bad[32] = '\x7f';
  EXPECT_EQ(ReadBuildInfo(bad.substr(0, 64)).error().message,
            ".go.buildinfo: truncated version or module strings");
  bad = section.substr(0, 32) + std::string(12, '\xff');
  EXPECT_EQ(ReadBuildInfo(bad).error().message,
            ".go.buildinfo: truncated version or module strings");
  EXPECT_FALSE(MayHoldBuildInfo(section.substr(1)));
}

TEST(GoParseBuildInfoTest, ModInfoLines) {
  auto bi = ParseModInfo(
      "path\texample.com/app\n"
      "mod\texample.com/app\tv1.2.3\th1:main=\n"
      "=>\t../app\t\t\n"
      "dep\tgolang.org/x/text\tv0.3.0\n"
      "=>\tgolang.org/x/text\tv0.14.0\th1:new=\n"
      "dep\tshort\n"
      "unknown\tline\n"
      "\n"
      "build\tnoequals\n"
      "build\t=novalue\n"
      "build\tGOOS=linux\n");
  ASSERT_TRUE(bi.ok()) << bi.error().message;
  EXPECT_EQ(bi->main.path + " " + bi->main.version + " " + bi->main.sum,
            "example.com/app v1.2.3 h1:main=");
  EXPECT_EQ(bi->main.replace_path, "../app");
  EXPECT_EQ(bi->main.replace_version, "");
  ASSERT_EQ(bi->deps.size(), 1u);  // "dep\tshort" has no version: skipped
  EXPECT_EQ(bi->deps[0].sum, "");
  EXPECT_EQ(
      bi->deps[0].replace_path + " " + bi->deps[0].replace_version + " " + bi->deps[0].replace_sum,
      "golang.org/x/text v0.14.0 h1:new=");
  EXPECT_EQ(bi->settings, (Settings{{"GOOS", "linux"}}));  // malformed settings are skipped
  EXPECT_EQ(ParseModInfo("=>\t../x\n").error().message, "line 1: replacement without a module");
  EXPECT_EQ(ParseModInfo("path\tp\n\n=>\t../x\tv1\n").error().message,
            "line 3: replacement without a module");
  EXPECT_EQ(ParseModInfo("")->path, "");
}

}  // namespace
}  // namespace distill::catalog::golang
