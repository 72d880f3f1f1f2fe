// The runnable test repository (scripts/make-test-apk-repo.sh): Debian 12's real busybox-static and
// musl binaries packed, indexed and signed by distill, checked by openssl (verify.py), GNU tar, and
// by running the packaged busybox. Needs the host's apt sources the first time (then cached).
#include <filesystem>

#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "testing/shell.h"

namespace distill::imagebuild::apk {
namespace {

namespace fs = std::filesystem;
using testing::Shell;

// testing::Run, under a name gtest's Test::Run does not hide.
testing::Ran RunCmd(const std::string& cmd) { return testing::Run(cmd); }

std::string RepoDir() {
  const char* env = std::getenv("DISTILL_TEST_APK_REPO");
  return env && *env ? env : "/var/cache/distill/test-apk-repo";
}

TEST(RealApkRepoTest, BusyboxAndMuslFromDebianVerifyAndRun) {
  std::string repo = RepoDir();
  auto made = RunCmd(std::string(DISTILL_SOURCE_DIR) + "/scripts/make-test-apk-repo.sh " + repo +
                     " " + DISTILL_BINARY);
  if (made.rc != 0 && made.err.find("only x86_64") != std::string::npos) GTEST_SKIP() << made.err;
  ASSERT_EQ(made.rc, 0) << made.err;
  std::string verified = Shell("python3 " + std::string(DISTILL_SOURCE_DIR) +
                               "/tests/fixtures/apk/writer/verify.py " + repo + " | cut -f1,4,5,6");
  EXPECT_EQ(verified,
            "x86_64/APKINDEX.tar.gz\tmembers=2\tRSA256:distill-test.rsa.pub:OK\tdatahash=-\n"
            "x86_64/busybox-1.35.0-r0.apk\tmembers=3\tRSA256:distill-test.rsa.pub:OK\tdatahash=ok\n"
            "x86_64/musl-1.2.3-r0.apk\tmembers=3\tRSA256:distill-test.rsa.pub:OK\tdatahash=ok\n");
  std::string index = Shell("tar -xzOf " + repo + "/x86_64/APKINDEX.tar.gz APKINDEX");
  EXPECT_NE(index.find("\nP:busybox\nV:1.35.0-r0\nA:x86_64\n"), std::string::npos) << index;
  EXPECT_NE(index.find("\np:/bin/sh cmd:busybox=1.35.0-r0\n"), std::string::npos) << index;
  EXPECT_NE(index.find("\nP:musl\nV:1.2.3-r0\n"), std::string::npos) << index;
  EXPECT_NE(index.find("\np:so:libc.musl-x86_64.so.1=1\n"), std::string::npos) << index;

  // The packaged busybox runs, and musl's loader is where a musl binary looks for it.
  std::string x = distill::testing::TempDir();
  int rc = -1;
  Shell("tar --warning=no-unknown-keyword -xzf " + repo + "/x86_64/busybox-1.35.0-r0.apk -C " + x +
            " && tar --warning=no-unknown-keyword -xzf " + repo + "/x86_64/musl-1.2.3-r0.apk -C " +
            x + " 2>&1",
        &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(Shell(x + "/bin/busybox echo hello from busybox"), "hello from busybox\n");
  EXPECT_EQ(fs::read_symlink(x + "/lib/ld-musl-x86_64.so.1"), "x86_64-linux-musl/libc.so");
  EXPECT_TRUE(fs::is_regular_file(x + "/lib/libc.musl-x86_64.so.1"));
  // musl's libc.so is its own loader: run as a program it prints its version.
  EXPECT_NE(RunCmd(x + "/lib/ld-musl-x86_64.so.1 2>&1").out.find("musl libc (x86_64)"),
            std::string::npos);
  fs::remove_all(x);
}

}  // namespace
}  // namespace distill::imagebuild::apk
