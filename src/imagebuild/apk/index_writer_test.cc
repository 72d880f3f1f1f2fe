// Indexes checked against apko's melange-built test repository (the same packages must give the
// same APKINDEX text), GNU tar/gzip, and openssl through the research's verify.py.
#include "imagebuild/apk/index_writer.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "imagebuild/apk/testing/apk_fixture.h"
#include "imagebuild/apk/writer.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

namespace fs = std::filesystem;
using distill::testing::Shell;

std::string Fixture(const std::string& name) { return testing::WriterFixture(name); }

// The four melange-built packages of apko's test repository, without their index.
std::string CopyRepository(const std::string& tmp) {
  std::string repo = tmp + "/x86_64";
  fs::create_directories(repo);
  for (const auto& e : fs::directory_iterator(Fixture("x86_64")))
    if (e.path().extension() == ".apk")
      fs::copy_file(e.path(), repo + "/" + e.path().filename().string());
  return repo;
}

TEST(ApkIndexTest, ApkosPackagesGiveApkosIndexText) {
  const std::string tmp = distill::testing::TempDir();
  std::string repo = CopyRepository(tmp);
  auto r = BuildIndex(repo, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->packages, 4u);
  int rc = -1;
  std::string real = Shell("tar -xzOf " + Fixture("x86_64/APKINDEX.tar.gz") + " APKINDEX", &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(r->text, real);
}

TEST(ApkIndexTest, SignedIndexVerifiesWithOpensslAndTarReadsIt) {
  const std::string tmp = distill::testing::TempDir();
  std::string repo = CopyRepository(tmp);
  fs::copy_file(Fixture("melange.rsa.pub"), repo + "/melange.rsa.pub");
  auto key = SigningKey::Load(Fixture("melange.rsa"));
  ASSERT_TRUE(key.ok());
  auto r = WriteIndex(repo, {"v1-test", 0, &*key});
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string index = repo + "/APKINDEX.tar.gz";
  EXPECT_EQ(*ReadFile(index), r->archive);
  int rc = -1;
  std::string out =
      Shell("python3 " + Fixture("verify.py") + " " + repo + " | grep APKINDEX.tar.gz", &rc);
  EXPECT_EQ(
      out,
      "APKINDEX.tar.gz\tindex\tAPKINDEX\tmembers=2\tRSA256:melange.rsa.pub:OK\tdatahash=-\tC:-\n");
  Shell("gzip -t " + index, &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(Shell("tar -tzf " + index), ".SIGN.RSA256.melange.rsa.pub\nAPKINDEX\nDESCRIPTION\n");
  EXPECT_EQ(Shell("tar -xzOf " + index + " DESCRIPTION"), "v1-test");
  EXPECT_EQ(Shell("tar -xzOf " + index + " APKINDEX"), r->text);

  // One byte changed after the signature: openssl refuses it.
  std::string bytes = r->archive;
  bytes[bytes.size() - 20] ^= 1;
  ASSERT_TRUE(WriteFileAtomic(index, bytes).ok());
  out = Shell("python3 " + Fixture("verify.py") + " " + repo + " 2>&1 | grep APKINDEX.tar.gz");
  EXPECT_EQ(out.find(":OK"), std::string::npos) << out;
}

TEST(ApkIndexTest, OurPackagesAreListedWithFileSizeAndIdentity) {
  const std::string tmp = distill::testing::TempDir();
  fs::create_directories(tmp + "/root/usr/bin");
  std::ofstream(tmp + "/root/usr/bin/tool") << "#!/bin/sh\n";
  fs::permissions(tmp + "/root/usr/bin/tool", fs::perms(0755));
  fs::create_directories(tmp + "/repo");
  std::vector<Apk> made;
  for (const char* version : {"2.0-r1", "10.0-r0"}) {
    PackOptions opt;
    opt.info.name = "tool";
    opt.info.version = version;
    opt.info.description = "a tool";
    opt.info.url = "https://example.org/tool";
    opt.info.provider_priority = 10;
    opt.info.depends = {"so:libc.musl-x86_64.so.1", "busybox"};
    auto apk = PackDirectory(tmp + "/root", opt);
    ASSERT_TRUE(apk.ok()) << apk.error().message;
    ASSERT_TRUE(WriteFileAtomic(tmp + "/repo/" + apk->file_name, apk->bytes).ok());
    made.push_back(std::move(*apk));
  }
  auto r = BuildIndex(tmp + "/repo", {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto entry = [](const Apk& a, const std::string& v) {
    return "C:" + a.identity + "\nP:tool\nV:" + v +
           "\nA:x86_64\nS:" + std::to_string(a.bytes.size()) +
           "\nI:10\nT:a tool\nU:https://example.org/tool\no:tool\nt:0\nk:10\nD:busybox "
           "so:libc.musl-x86_64.so.1\n"
           "p:cmd:tool=" +
           v + "\n\n";
  };
  // Sorted by apk version order (2.0 before 10.0), not by file name.
  EXPECT_EQ(r->text, entry(made[0], "2.0-r1") + entry(made[1], "10.0-r0"));
}

TEST(ApkIndexTest, RepeatedLicenseLinesGiveTheFirstAsGoApk) {
  // Wolfi's ruby3.2-base64 (melange) has "license = Ruby" and "license = BSD-2-Clause": go-apk,
  // which made the indexes apko reads, keeps the first; .PKGINFO's reader joins them with AND.
  const std::string tmp = distill::testing::TempDir();
  fs::copy_file(testing::FixturePath("wolfi/x86_64/ruby3.2-base64-0.2.0-r2.apk"),
                tmp + "/ruby3.2-base64-0.2.0-r2.apk");
  auto r = BuildIndex(tmp, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(
      r->text,
      "C:Q1kQfQXs+MLbCqi4Tb9KF229uRI10=\nP:ruby3.2-base64\nV:0.2.0-r2\nA:x86_64\nS:7550\nI:92844\n"
      "T:Support for encoding and decoding binary data using a Base64 representation.\n"
      "L:Ruby\no:ruby3.2-base64\nt:1721404986\nc:6c3e34c97c3fc70a86207abd16afe6de997cd7c6\n"
      "D:ruby-3.2\n\n");
}

TEST(ApkIndexTest, BadPackageIsAnErrorNamingItAndNothingIsWritten) {
  const std::string tmp = distill::testing::TempDir();
  std::string repo = CopyRepository(tmp);
  ASSERT_TRUE(WriteFileAtomic(repo + "/APKINDEX.tar.gz", "old").ok());
  ASSERT_TRUE(WriteFileAtomic(repo + "/junk.apk", "not a package").ok());
  auto key = SigningKey::Load(Fixture("melange.rsa"));
  ASSERT_TRUE(key.ok());
  auto r = WriteIndex(repo, {"", 0, &*key});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, repo + "/junk.apk: first gzip member: no gzip member at offset 0");
  EXPECT_EQ(*ReadFile(repo + "/APKINDEX.tar.gz"), "old");

  // A package whose data member is not the one its .PKGINFO hashes.
  fs::remove(repo + "/junk.apk");
  std::string bytes = *ReadFile(repo + "/replayout-1.0.0-r0.apk");
  bytes[bytes.size() - 30] ^= 1;
  ASSERT_TRUE(WriteFileAtomic(repo + "/replayout-1.0.0-r0.apk", bytes).ok());
  r = WriteIndex(repo, {"", 0, &*key});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            repo +
                "/replayout-1.0.0-r0.apk: datahash mismatch: .PKGINFO says "
                "ce688706f6aa287b05f02c507876b43389992b08fb4f84f99117bd5694e45d4c, the data member "
                "(bytes 1661-2960) hashes to "
                "3d51adf8ae8dd36ff40c37988da72b5f06a673952976f29ecdbeb9f5ce700a76");
  EXPECT_EQ(*ReadFile(repo + "/APKINDEX.tar.gz"), "old");
}

}  // namespace
}  // namespace distill::imagebuild::apk
