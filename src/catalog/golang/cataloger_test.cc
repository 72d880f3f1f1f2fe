// Go build info: synthetic binaries in the Go ≥ 1.18 layout (32-byte header, inline strings) and
// the Go 1.13-1.17 one (pointers to string variables), checked the way `go version -m` prints
// them. Binaries built by Debian's Go and a bullseye package's: real_build_test.cc here and
// catalog/real_lang_test.cc.
#include "catalog/golang/cataloger.h"

#include <gtest/gtest.h>

#include "catalog/golang/parse_buildinfo.h"
#include "catalog/golang/testing/build_info.h"
#include "util/elf.h"
#include "util/testing/elf_builder.h"

#include <set>

#include "util/file.h"

namespace distill::catalog::golang {
namespace {

using testing::BuildInfoBlob;
using testing::Framed;
using testing::PointerFormatElf;

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
  std::string elf =
      elf::testing::MakeElf64({{".text", std::string(100, 'x')}, {".go.buildinfo", blob}});
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
  std::string elf =
      elf::testing::MakeElf64({{".go.buildinfo", BuildInfoBlob("go1.19.8", kModInfo)}});
  auto pkgs = PackagesOfBinary(elf, {"usr/local/bin/app", "sha256:l"});
  ASSERT_TRUE(pkgs.ok());
  std::vector<std::string> got;
  for (const Package& p : *pkgs) got.push_back(p.name + " " + p.version + " " + p.purl);
  EXPECT_EQ(got,
            (std::vector<std::string>{
                "example.com/app (devel) pkg:golang/example.com/app@%28devel%29",
                "github.com/google/uuid v1.3.0 pkg:golang/github.com/google/uuid@v1.3.0",
                "example.com/lib (devel) pkg:golang/example.com/lib@%28devel%29",  // local replace
                "golang.org/x/text v0.14.0 pkg:golang/golang.org/x/text@v0.14.0",  // module replace
                "stdlib go1.19.8 pkg:golang/stdlib@1.19.8",
            }));
  EXPECT_EQ(std::get<LanguageMetadata>((*pkgs)[1].metadata).integrity,
            "h1:t6FiXkTQn7jsoP4YhmWT1smYF0ZSBwsH6sMYbScZpIk=");
  EXPECT_EQ((*pkgs)[4].cpes, std::vector<std::string>{"cpe:2.3:a:golang:go:1.19.8:-:*:*:*:*:*:*"});
  EXPECT_EQ((*pkgs)[0].arch, "amd64");
  EXPECT_EQ((*pkgs)[0].type, "go-module");
}

TEST(GoBuildInfoTest, NotGoAndBrokenData) {
  auto none = PackagesOfBinary(elf::testing::MakeElf64({{".text", "x"}}), {"", ""});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  std::string blob = BuildInfoBlob("go1.19.8", kModInfo);
  for (size_t cut = 14; cut < blob.size(); cut += 5)
    (void)ReadBuildInfo(std::string(16, '\0') + blob.substr(0, cut));
  std::string old = blob;
  old[15] = 0;  // pointer format (Go < 1.18), which only an ELF file's segments can resolve
  auto r = ReadBuildInfo(old);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, ".go.buildinfo: pointer-format build info outside an ELF file");
}

// Go 1.13-1.17: the header's two pointers lead to string variables, and those to the bytes.
TEST(GoBuildInfoTest, PointerFormatAsGo117WroteIt) {
  for (auto [ptr_size, big_endian] : {std::pair{8, false}, {4, false}, {8, true}, {4, true}}) {
    SCOPED_TRACE(::testing::Message()
                 << "pointer size " << ptr_size << (big_endian ? " big" : " little") << " endian");
    auto pkgs = PackagesOfBinary(
        PointerFormatElf("go1.17.13", Framed(kModInfo), ptr_size, big_endian), {"app", ""});
    ASSERT_TRUE(pkgs.ok()) << pkgs.error().message;
    std::vector<std::string> got;
    for (const Package& p : *pkgs) got.push_back(p.name + " " + p.version);
    EXPECT_EQ(got,
              (std::vector<std::string>{"example.com/app (devel)", "github.com/google/uuid v1.3.0",
                                        "example.com/lib (devel)", "golang.org/x/text v0.14.0",
                                        "stdlib go1.17.13"}));
  }
  // A GOPATH-mode build (Debian's bullseye packages): an empty runtime.modinfo, the stdlib only.
  auto gopath = PackagesOfBinary(PointerFormatElf("go1.15.9", ""), {"app", ""});
  ASSERT_TRUE(gopath.ok()) << gopath.error().message;
  ASSERT_EQ(gopath->size(), 1u);
  EXPECT_EQ((*gopath)[0].purl, "pkg:golang/stdlib@1.15.9");
  // An empty version string: no Go executable (as debug/buildinfo says), no packages.
  auto none = PackagesOfBinary(PointerFormatElf("", Framed(kModInfo)), {"app", ""});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// Strings the pointers lead out of the file's bytes read as "", as Go's debug/buildinfo reads them
// (an uninitialised runtime.modinfo lies in .bss): no version is no Go executable, no module text
// leaves the stdlib. Program headers outside the file are an error.
TEST(GoBuildInfoTest, PointerFormatUnreadableStringsAreEmpty) {
  std::string elf = PointerFormatElf("go1.16.15", Framed(kModInfo));
  const size_t data = elf.find("\xff Go buildinf:");  // the data segment's start
  ASSERT_NE(data, std::string::npos);
  auto with = [&](size_t off, uint64_t v, int n) {
    std::string b = elf;
    elf::testing::PutLE(&b, off, v, n);
    auto r = PackagesOfBinary(b, {"app", ""});
    if (!r.ok()) return r.error().message;
    std::string out;
    for (const Package& p : *r) out += p.name + "@" + p.version + " ";
    return out;
  };
  EXPECT_EQ(with(data, 0, 1), "");           // no magic: no Go binary
  EXPECT_EQ(with(data + 16, 0x10, 8), "");   // the version variable unmapped
  EXPECT_EQ(with(data + 32 + 8, 0, 8), "");  // a zero-length version
  EXPECT_EQ(with(data + 32 + 16 + 8, 1 << 20, 8),
            "stdlib@go1.16.15 ");                            // modinfo's bytes past the segment
  EXPECT_EQ(with(data + 24, 0x10, 8), "stdlib@go1.16.15 ");  // modinfo's variable unmapped
  EXPECT_EQ(with(data + 14, 3, 1), ".go.buildinfo: pointer size 3 (neither 4 nor 8)");
  // The text segment, where the strings are, larger than the file.
  EXPECT_EQ(with(64 + 32, 1 << 20, 8),
            ".go.buildinfo: runtime.buildVersion: ELF: segment 0 (1048576 bytes at 176) outside "
            "the file");
  for (size_t cut = data; cut < elf.size(); cut += 3) (void)ReadBuildInfo(elf.substr(0, cut));
}

// The version strings as Go's linker writes them (cmd/link/internal/ld/main.go appends " X:" and
// the experiments; the first three from `go version` of binaries built here with Go 1.19.8 and
// GOEXPERIMENT=fieldtrack / boringcrypto / fieldtrack,staticlockranking; the last is Go 1.22's
// loopvar experiment, from the issue that reported it).
TEST(GoBuildInfoTest, ToolchainVersionDropsTheExperiments) {
  EXPECT_EQ(ToolchainVersion("go1.19.8"), "go1.19.8");
  EXPECT_EQ(ToolchainVersion("go1.19.8 X:fieldtrack"), "go1.19.8");
  EXPECT_EQ(ToolchainVersion("go1.19.8 X:boringcrypto"), "go1.19.8");
  EXPECT_EQ(ToolchainVersion("go1.19.8 X:fieldtrack,staticlockranking"), "go1.19.8");
  EXPECT_EQ(ToolchainVersion("go1.22.1 X:loopvar"), "go1.22.1");
  for (std::string v : {"go1.22.1 X:loopvar", "go1.21rc2"}) {
    auto pkgs = PackagesOfBinary(
        elf::testing::MakeElf64({{".go.buildinfo", BuildInfoBlob(v, kModInfo)}}), {"app", ""});
    ASSERT_TRUE(pkgs.ok());
    const Package& std = pkgs->back();
    ASSERT_EQ(std.name, "stdlib");
    if (v == "go1.21rc2") {
      EXPECT_EQ(std.version + " " + std.purl, "go1.21rc2 pkg:golang/stdlib@1.21rc2");
      EXPECT_EQ(std.cpes,
                std::vector<std::string>{
                    "cpe:2.3:a:golang:go:1.21:rc2:*:*:*:*:*:*"});  // as syft's generateStdlibCpe
    } else {
      EXPECT_EQ(std.version + " " + std.purl, "go1.22.1 pkg:golang/stdlib@1.22.1");
      EXPECT_EQ(std.cpes, std::vector<std::string>{"cpe:2.3:a:golang:go:1.22.1:-:*:*:*:*:*:*"});
    }
  }
}

// Build settings as runtime/debug.BuildInfo.String() writes them: a key or value with spaces or
// quotes is a Go string literal (strconv.Quote); ParseModInfo reads the value, as ParseBuildInfo.
TEST(GoBuildInfoTest, QuotedBuildSettings) {
  auto bi = ParseModInfo(
      "build\tCGO_CFLAGS=\"-g -O2\"\n"  // go1.19.8's own spelling
      "build\t-ldflags=\"-X 'main.version=1.2.3'\"\n"
      "build\t\"we=ird\"=\"a\\tb\\\"c\\x41\\u00e9\\101\"\n"
      "build\traw=`a\\b`\n"
      "build\tCGO_LDFLAGS=\n"
      "build\tbad=\"unterminated\n"
      "build\tbad2=\"x\"y\n"
      "build\tGOARCH=amd64\n");
  ASSERT_TRUE(bi.ok());
  EXPECT_EQ(bi->settings, (std::vector<std::pair<std::string, std::string>>{
                              {"CGO_CFLAGS", "-g -O2"},
                              {"-ldflags", "-X 'main.version=1.2.3'"},
                              {"we=ird",
                               "a\tb\"cA\xc3\xa9"
                               "A"},
                              {"raw", "a\\b"},
                              {"CGO_LDFLAGS", ""},
                              {"GOARCH", "amd64"}}));
}

// `go build -ldflags "-X main.version=1.2.3"` in a checkout: cmd/go records the flags in quotes.
TEST(GoBuildInfoTest, MainModuleVersionFromLdflags) {
  std::string mod =
      "path\texample.com/app\nmod\texample.com/app\t(devel)\t\n"
      "build\t-ldflags=\"-s -w -X main.version=1.2.3\"\nbuild\tGOARCH=amd64\n";
  auto pkgs = PackagesOfBinary(
      elf::testing::MakeElf64({{".go.buildinfo", BuildInfoBlob("go1.19.8", mod)}}), {"app", ""});
  ASSERT_TRUE(pkgs.ok());
  ASSERT_EQ(pkgs->size(), 2u);
  EXPECT_EQ((*pkgs)[0].version, "v1.2.3");
  EXPECT_EQ((*pkgs)[0].purl, "pkg:golang/example.com/app@v1.2.3");
}

}  // namespace
}  // namespace distill::catalog::golang

namespace distill::catalog::golang {
namespace {

// go.mod and the other declared-dependency files (EXPECTED.json: parse_go_mod_test,
// parse_cargo_lock_test, pdm, composer.lock, Gemfile.lock).
TEST(DeclaredDependenciesTest, GoMod) {
  std::string dir =
      std::string(DISTILL_SOURCE_DIR) +
      "/tests/fixtures/sbom/anchore_syft/syft/pkg/cataloger/golang/testdata/go-mod-fixtures/";
  auto one = ParseGoMod(*ReadFile(dir + "one-package/go.mod"), {"", ""});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].purl, "pkg:golang/github.com/bmatcuk/doublestar@v1.3.1");
  auto many = ParseGoMod(*ReadFile(dir + "many-packages/go.mod"), {"", ""});
  ASSERT_TRUE(many.ok());
  std::set<std::string> got;
  for (const Package& p : *many) got.insert(p.purl);
  EXPECT_EQ(got,
            (std::set<std::string>{
                "pkg:golang/github.com/anchore/archiver/v3@v3.5.2",
                "pkg:golang/github.com/anchore/go-testutils@v0.0.0-20200624184116-66aa578126db",
                "pkg:golang/github.com/anchore/go-version@v1.2.2-0.20200701162849-18adb9c92b9b",
                "pkg:golang/github.com/anchore/stereoscope@v0.0.0-20200706164556-7cf39d7f4639",
                "pkg:golang/github.com/bmatcuk/doublestar@v8.8.8",
                "pkg:golang/github.com/go-test/deep@v1.0.6"}));
}

}  // namespace
}  // namespace distill::catalog::golang
