// `distill apk keygen|pack|index` run as a user runs them: files written, exit codes, messages;
// what they write is checked by openssl (through the research's verify.py) and GNU tar.
#include "cli/apk_pack.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::cli {
namespace {

namespace fs = std::filesystem;
using testing::Shell;

// testing::Run, under a name gtest's Test::Run does not hide.
testing::Ran RunCmd(const std::string& cmd) { return testing::Run(cmd); }

std::string Distill(const std::string& args) { return std::string(DISTILL_BINARY) + " " + args; }

TEST(ApkPackCliTest, KeygenPackIndexMakeARepositoryOpensslVerifies) {
  const std::string tmp = distill::testing::TempDir();
  auto r = RunCmd(Distill("apk keygen --name test -o " + tmp));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, tmp + "/test.rsa\n" + tmp + "/test.rsa.pub\n");
  // melange's default size.
  EXPECT_NE(
      Shell("openssl rsa -in " + tmp + "/test.rsa -noout -text").find("Private-Key: (4096 bit"),
      std::string::npos);
  struct stat st;
  ASSERT_EQ(::stat((tmp + "/test.rsa").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  fs::create_directories(tmp + "/root/usr/bin");
  std::ofstream(tmp + "/root/usr/bin/app") << "#!/bin/sh\necho app\n";
  fs::permissions(tmp + "/root/usr/bin/app", fs::perms(0755));
  fs::create_directories(tmp + "/repo/x86_64");
  std::string pack =
      "apk pack " + tmp + "/root --name app --version 1.0-r0 --arch x86_64 --depends busybox " +
      "--depends /bin/sh --license MIT -o " + tmp + "/repo/x86_64 --sign " + tmp + "/test.rsa";
  r = RunCmd("SOURCE_DATE_EPOCH=1700000000 " + Distill(pack));
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string apk = tmp + "/repo/x86_64/app-1.0-r0.apk";
  ASSERT_TRUE(r.out.starts_with(apk + " Q1")) << r.out;
  std::string first = *ReadFile(apk);
  // Reproducible: the same command gives the same bytes.
  r = RunCmd("SOURCE_DATE_EPOCH=1700000000 " + Distill(pack));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(*ReadFile(apk), first);

  r = RunCmd(Distill("apk index " + tmp + "/repo/x86_64 --sign " + tmp + "/test.rsa"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, tmp + "/repo/x86_64/APKINDEX.tar.gz (1 packages)\n");
  fs::copy_file(tmp + "/test.rsa.pub", tmp + "/repo/test.rsa.pub");
  std::string verified =
      Shell("python3 " + std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/writer/verify.py " +
            tmp + "/repo | cut -f1,5,6");
  EXPECT_EQ(verified,
            "x86_64/APKINDEX.tar.gz\tRSA256:test.rsa.pub:OK\tdatahash=-\n"
            "x86_64/app-1.0-r0.apk\tRSA256:test.rsa.pub:OK\tdatahash=ok\n");
  std::string index = Shell("tar -xzOf " + tmp + "/repo/x86_64/APKINDEX.tar.gz APKINDEX");
  EXPECT_NE(index.find("\nP:app\nV:1.0-r0\nA:x86_64\n"), std::string::npos) << index;
  EXPECT_NE(index.find("\nt:1700000000\nD:/bin/sh busybox\np:cmd:app=1.0-r0\n\n"),
            std::string::npos)
      << index;
}

TEST(ApkPackCliTest, BadInputExitsTwoNamingTheFile) {
  const std::string tmp = distill::testing::TempDir();
  fs::create_directories(tmp + "/root");
  auto r = RunCmd(
      Distill("apk pack " + tmp + "/root --name x --version 1.0-r0 --sign " + tmp + "/nokey.rsa"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("error: " + tmp + "/nokey.rsa"), std::string::npos) << r.err;
  r = RunCmd(Distill("apk pack " + tmp + "/root --name x --version bad -o " + tmp));
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err,
            "error: " + tmp + "/root: version 'bad': not an apk version (such as 1.2.3-r0)\n");
  EXPECT_FALSE(fs::exists(tmp + "/x-bad.apk"));
  r = RunCmd("SOURCE_DATE_EPOCH=yesterday " +
             Distill("apk pack " + tmp + "/root --name x --version 1-r0"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err,
            "error: SOURCE_DATE_EPOCH: 'yesterday' is not a number of seconds since 1970-01-01\n");
  std::ofstream(tmp + "/root/broken.apk") << "not gzip";
  std::ofstream(tmp + "/key.rsa") << "not a key";
  r = RunCmd(Distill("apk index " + tmp + "/root --sign " + tmp + "/key.rsa"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "error: " + tmp +
                       "/key.rsa: not a PEM private key (an unencrypted RSA key, as `distill apk "
                       "keygen` writes)\n");
  r = RunCmd(Distill("apk keygen --bits 2048 --name k -o " + tmp) + " && " +
             Distill("apk index " + tmp + "/root --sign " + tmp + "/k.rsa"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err,
            "error: " + tmp + "/root/broken.apk: first gzip member: no gzip member at offset 0\n");
  EXPECT_FALSE(fs::exists(tmp + "/root/APKINDEX.tar.gz"));
  r = RunCmd(Distill("apk keygen --name k -o " + tmp));
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "error: " + tmp + "/k.rsa: already exists (not overwritten)\n");
}

}  // namespace
}  // namespace distill::cli
