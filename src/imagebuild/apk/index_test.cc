#include "imagebuild/apk/index.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <dirent.h>

#include <memory>
#include <string>

#include "util/archive_data.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

std::string Fixture(std::string_view rel) {
  return std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/" + std::string(rel);
}

// The APKINDEX member of an APKINDEX.tar.gz (signature checks are signed_index's job).
std::string ApkIndexText(const std::string& path) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), &archive_read_free);
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  EXPECT_EQ(archive_read_open_filename(a.get(), path.c_str(), 1 << 16), ARCHIVE_OK) << path;
  archive_entry* e;
  while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
    if (std::string_view(archive_entry_pathname(e)) != "APKINDEX") continue;
    std::string out;
    EXPECT_TRUE(ReadEntryData(a.get(), archive_entry_size(e), &out).ok());
    return out;
  }
  ADD_FAILURE() << "no APKINDEX in " << path;
  return "";
}

const IndexEntry* Find(const std::vector<IndexEntry>& entries, std::string_view name) {
  for (const auto& e : entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

TEST(ApkIndexTest, ReadsAlpine316Main) {
  std::string text = ApkIndexText(Fixture("alpine/v3.16-main-x86_64/APKINDEX.tar.gz"));
  auto entries = ParseIndex(text, "APKINDEX");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  EXPECT_EQ(entries->size(), 4929u);
  size_t with_install_if = 0, broken = 0;
  for (const auto& e : *entries) {
    with_install_if += !e.install_if.empty();
    broken += !e.broken.empty();
    EXPECT_EQ(e.broken, "") << e.name;
    EXPECT_EQ(e.arch, "x86_64") << e.name;
  }
  EXPECT_EQ(with_install_if, 1538u);  // grep -c '^i:'
  EXPECT_EQ(broken, 0u);

  const IndexEntry* bb = Find(*entries, "busybox");
  ASSERT_NE(bb, nullptr);
  EXPECT_EQ(bb->checksum, "Q1iZ+C2JJdBlm2KKtAOkSkM7zZegY=");
  EXPECT_EQ(bb->version, "1.35.0-r17");
  EXPECT_EQ(bb->size, 507831u);
  EXPECT_EQ(bb->installed_size, 962560u);
  EXPECT_EQ(bb->description, "Size optimized toolbox of many common UNIX utilities");
  EXPECT_EQ(bb->url, "https://busybox.net/");
  EXPECT_EQ(bb->license, "GPL-2.0-only");
  EXPECT_EQ(bb->origin, "busybox");
  EXPECT_EQ(bb->maintainer, "Sören Tempel <soeren+alpine@soeren-tempel.net>");
  EXPECT_EQ(bb->build_time, 1659366884);
  EXPECT_EQ(bb->commit, "2bf6ec48e526113f87216683cd341a78af5f0b3f");
  ASSERT_EQ(bb->depends.size(), 1u);
  EXPECT_EQ(bb->depends[0].name, "so:libc.musl-x86_64.so.1");
  ASSERT_EQ(bb->provides.size(), 3u);
  EXPECT_EQ(bb->provides[0].ToString(), "/bin/sh");
  EXPECT_EQ(bb->provides[1].ToString(), "cmd:busybox=1.35.0-r17");
  EXPECT_EQ(bb->provides[2].ToString(), "cmd:sh=1.35.0-r17");

  const IndexEntry* musl = Find(*entries, "musl");
  ASSERT_NE(musl, nullptr);
  EXPECT_EQ(musl->checksum, "Q1s+0ABSdjudKn+n+ccJIUrG93mAk=");
  EXPECT_EQ(musl->version, "1.2.3-r2");
  ASSERT_EQ(musl->provides.size(), 1u);
  EXPECT_EQ(musl->provides[0].name, "so:libc.musl-x86_64.so.1");
  EXPECT_EQ(musl->provides[0].op, VersionOp::kEqual);
  EXPECT_EQ(musl->provides[0].version, "1");

  const IndexEntry* rtmp = Find(*entries, "rtmpdump-dev");  // a provide apk's grammar rejects
  ASSERT_NE(rtmp, nullptr);
  ASSERT_FALSE(rtmp->provides.empty());
  EXPECT_EQ(rtmp->provides.back().ToString(), "pc:librtmp=v2.4");

  const IndexEntry* curl = Find(*entries, "curl");
  ASSERT_NE(curl, nullptr);
  ASSERT_EQ(curl->depends.size(), 4u);
  EXPECT_EQ(curl->depends[0].ToString(), "ca-certificates");
  EXPECT_EQ(curl->depends[3].ToString(), "so:libz.so.1");
}

TEST(ApkIndexTest, ReadsApkoE2eIndex) {
  std::string text = ApkIndexText(Fixture("apko-e2e/packages/x86_64/APKINDEX.tar.gz"));
  auto entries = ParseIndex(text, "APKINDEX");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 4u);
  const IndexEntry& first = (*entries)[0];
  EXPECT_EQ(first.line, 1);
  EXPECT_EQ(first.checksum, "Q1L7EnY9Q9b23ejRHAmb0g09QaLEo=");
  EXPECT_EQ(first.name, "custom-ca-certs-1");
  EXPECT_EQ(first.build_time, 0);
  ASSERT_EQ(first.provides.size(), 1u);
  EXPECT_EQ(first.provides[0].ToString(), "custom-ca-certificates");
  const IndexEntry* rep = Find(*entries, "replayout");
  ASSERT_NE(rep, nullptr);
  EXPECT_EQ(rep->checksum, "Q11/HhSewwwOXgl0r0ffb0O0BRtYc=");
  ASSERT_EQ(rep->depends.size(), 1u);
  EXPECT_EQ(rep->depends[0].name, "pretend-baselayout");
}

TEST(ApkIndexTest, ReadsAnInstalledDatabase) {
  std::string text = ReadFile(Fixture("apko-installed/wolfi-base")).value();
  auto entries = ParseIndex(text, "installed");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  EXPECT_EQ(entries->size(), 15u);
  const IndexEntry* busybox = Find(*entries, "busybox");
  ASSERT_NE(busybox, nullptr);
  EXPECT_FALSE(busybox->depends.empty());
}

TEST(ApkIndexTest, ReadsEverySolverSuiteRepository) {
  std::string dir = Fixture("apk-tools-solver");
  DIR* d = opendir(dir.c_str());
  ASSERT_NE(d, nullptr);
  int files = 0;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (!n.ends_with(".repo") && !n.ends_with(".installed")) continue;
    ++files;
    auto entries = ParseIndex(ReadFile(dir + "/" + n).value(), n);
    ASSERT_TRUE(entries.ok()) << entries.error().message;
    EXPECT_FALSE(entries->empty()) << n;
  }
  closedir(d);
  EXPECT_EQ(files, 49);

  auto provides = ParseIndex(ReadFile(dir + "/provides.repo").value(), "provides.repo").value();
  const IndexEntry* self = Find(provides, "selfconflicting");
  ASSERT_NE(self, nullptr);
  ASSERT_EQ(self->provides.size(), 2u);  // two p: lines add up
  EXPECT_EQ(self->provides[1].ToString(), "selfprovided=3");
  auto prio = ParseIndex(ReadFile(dir + "/provides-prio.repo").value(), "x").value();
  EXPECT_EQ(prio[0].provider_priority, 100);

  auto error = ParseIndex(ReadFile(dir + "/error.repo").value(), "error.repo").value();
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0].broken,
            "line 7: 'invalid-dependency@tag' is not a valid dependency: a repository tag is not "
            "allowed here");
}

TEST(ApkIndexTest, ErrorsNameTheFileAndLine) {
  auto err = [](std::string_view text) {
    auto r = ParseIndex(text, "APKINDEX");
    return r.ok() ? "parsed" : r.error().message;
  };
  EXPECT_EQ(err("P:a\nV:1\n\nP:b\ngarbage\n"), "APKINDEX:5: expected 'X:value', got 'garbage'");
  EXPECT_EQ(err("P:a\nV:1\nS:12x\n"), "APKINDEX:3: field S: '12x' is not a number");
  EXPECT_EQ(err("C:Q1x\nP:a\n\n"), "APKINDEX:1: package a without a version (V:)");
  EXPECT_EQ(err("V:1\n"), "APKINDEX:1: package without a name (P:)");
  EXPECT_EQ(err("P:a\nV:1.2.3-rX\n"),
            "APKINDEX:1: package a: '1.2.3-rX' is not a valid apk version");
  auto ok = ParseIndex("P:a\nV:1\n\n\nP:b\nV:2", "APKINDEX");  // no final newline
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].line, 5);
  EXPECT_TRUE(ParseIndex("", "APKINDEX").value().empty());
  // Bad atoms, as apk-tools: D: marks the package broken, i: drops the rule, p: keeps the rest.
  auto atoms = ParseIndex("P:a\nV:1\nD:b= c\ni:x y=\np:=1 p2=1\n", "APKINDEX").value();
  ASSERT_EQ(atoms.size(), 1u);
  EXPECT_EQ(atoms[0].broken, "line 3: 'b=' is not a valid dependency: no version after '='");
  EXPECT_TRUE(atoms[0].install_if.empty());
  ASSERT_EQ(atoms[0].provides.size(), 1u);
  EXPECT_EQ(atoms[0].provides[0].ToString(), "p2=1");
}

}  // namespace
}  // namespace distill::imagebuild::apk
