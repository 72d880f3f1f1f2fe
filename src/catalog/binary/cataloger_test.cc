// The binary cataloger on a dir: source, where large files no classifier names are first probed
// with a few reads (elf::ProbeFile) and read whole only if they could hold Go or Rust modules.
// Every case here is a file over FileBytes::kReadBelow, so the probe decides.
#include "catalog/binary/cataloger.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "catalog/golang/testing/build_info.h"
#include "image/dir_source.h"
#include "testing/image_builder.h"
#include "util/elf.h"
#include "util/file.h"
#include "util/testing/elf_builder.h"

namespace distill::catalog::binary {
namespace {

namespace fs = std::filesystem;

using elf::testing::MakeSectionlessElf64;

std::string BuildInfoBlob() {
  return golang::testing::BuildInfoBlob("go1.21.0",
                                        "path\texample.com/app\nmod\texample.com/app\tv1.2.3\t\n");
}

const std::string kPad(100 << 10, 'x');  // makes every file larger than FileBytes::kReadBelow

Found CatalogDir(const std::map<std::string, std::string>& files) {
  std::string root = distill::testing::TempDir() + "/root";
  for (const auto& [path, bytes] : files) {
    fs::create_directories(fs::path(root + "/" + path).parent_path());
    EXPECT_TRUE(WriteFileAtomic(root + "/" + path, bytes).ok());
    EXPECT_EQ(::chmod((root + "/" + path).c_str(), 0755), 0);
  }
  auto index = image::IndexDirectory(root);
  EXPECT_TRUE(index.ok());
  return Catalog(*index, {});
}

std::vector<std::string> Purls(const Found& f) {
  std::vector<std::string> out;
  for (const Package& p : f.packages) out.push_back(p.purl);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BinaryCatalogerTest, ProbedFilesWithModulesAreReadWhole) {
  std::string blob = BuildInfoBlob();
  Found f = CatalogDir({
      // .go.buildinfo as a section
      {"usr/bin/sectioned", elf::testing::MakeElf64({{".text", kPad}, {".go.buildinfo", blob}})},
      // no section headers: the magic in the first data segment, as Go's debug/buildinfo finds it
      {"usr/bin/stripped", MakeSectionlessElf64(kPad, std::string(48, 'd') + blob)},
  });
  EXPECT_EQ(Purls(f), (std::vector<std::string>{
                          "pkg:golang/example.com/app@v1.2.3", "pkg:golang/example.com/app@v1.2.3",
                          "pkg:golang/stdlib@1.21.0", "pkg:golang/stdlib@1.21.0"}));
  EXPECT_TRUE(f.unknowns.empty());
}

TEST(BinaryCatalogerTest, ProbedFilesWithoutModulesGiveNothing) {
  Found f = CatalogDir({
      {"usr/bin/c-program", elf::testing::MakeElf64({{".text", kPad}, {".data", "plain"}})},
      {"usr/bin/script", "#!/bin/sh\n" + kPad},
      // the magic only in executable code, or past Go's 64 KiB window: not build info
      {"usr/bin/in-text", MakeSectionlessElf64(BuildInfoBlob() + kPad, "data")},
      {"usr/bin/late", MakeSectionlessElf64("text", kPad + BuildInfoBlob())},
  });
  EXPECT_TRUE(f.packages.empty()) << Purls(f).front();
  EXPECT_TRUE(f.unknowns.empty());
}

TEST(BinaryCatalogerTest, ProbedFilesWithBrokenHeadersAreReportedAsBefore) {
  std::string bad = elf::testing::MakeElf64({{".text", kPad}, {".dep-v0", "x"}});
  // The .dep-v0 section's offset far past the end: Rust's reader reports it; the probe, in doubt,
  // hands the file to it.
  auto shoff =
      bad.size() - 4 * 64;  // MakeElf64: null, .text, .dep-v0, .shstrtab headers at the end
  elf::testing::PutLE(&bad, shoff + 2 * 64 + 24, 1ull << 40, 8);
  ASSERT_FALSE(elf::Section(bad, ".dep-v0").ok());
  Found f = CatalogDir({{"usr/bin/broken", bad}});
  EXPECT_TRUE(f.packages.empty());
  ASSERT_EQ(f.unknowns.size(), 1u);
  EXPECT_EQ(f.unknowns[0].location.path, "usr/bin/broken");
}

TEST(ElfProbeTest, AgreesWithTheInMemoryReaders) {
  std::string dir = distill::testing::TempDir();
  std::string blob = BuildInfoBlob();
  std::vector<std::string> files = {
      elf::testing::MakeElf64({{".text", "code"}, {".dep-v0", "deps"}, {".go.buildinfo", blob}}),
      elf::testing::MakeElf64({{".text", "code"}}),
      MakeSectionlessElf64("text", blob),
      "not an ELF file at all, but long enough to be read as one........",
  };
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& data = files[i];
    std::string path = dir + "/f" + std::to_string(i);
    ASSERT_TRUE(WriteFileAtomic(path, data).ok());
    auto file = RandomAccessFile::OpenRegular(path);
    ASSERT_TRUE(file.ok());
    auto probe = elf::ProbeFile(**file, {".dep-v0", ".go.buildinfo"}, 64 << 10);
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    EXPECT_EQ(probe->elf, elf::IsElf(data));
    if (!probe->elf) continue;
    std::vector<std::string> want;
    for (std::string_view name : {".dep-v0", ".go.buildinfo"})
      if (auto s = elf::Section(data, name); s.ok() && s->has_value()) want.emplace_back(name);
    EXPECT_EQ(probe->sections, want) << i;
    auto seg = elf::FirstDataSegment(data);
    ASSERT_TRUE(seg.ok());
    EXPECT_EQ(probe->data, seg->value_or("")) << i;
  }
  // Truncated headers are errors, as in memory; and never a read past the end.
  std::string whole = elf::testing::MakeElf64({{".text", "code"}});
  for (size_t cut = 0; cut < whole.size(); cut += 5) {
    std::string path = dir + "/cut";
    ASSERT_TRUE(WriteFileAtomic(path, whole.substr(0, cut)).ok());
    auto file = RandomAccessFile::OpenRegular(path);
    ASSERT_TRUE(file.ok());
    auto probe = elf::ProbeFile(**file, {".text"}, 64 << 10);
    auto mem = elf::Section(whole.substr(0, cut), ".text");
    if (probe.ok() && probe->elf) {
      EXPECT_TRUE(mem.ok()) << cut;
    }
  }
  // Not a regular file, or a symlink: refused.
  fs::create_symlink(dir + "/f0", dir + "/link");
  EXPECT_FALSE(RandomAccessFile::OpenRegular(dir + "/link").ok());
  EXPECT_FALSE(RandomAccessFile::OpenRegular(dir).ok());
}

}  // namespace
}  // namespace distill::catalog::binary
