// `distill build` from APK packages end to end, with real binaries: the test repository of Debian
// 12's busybox-static and musl (scripts/make-test-apk-repo.sh) plus a musl-linked program packed by
// `distill apk pack` (its so: dependency found in its ELF), indexed and signed by distill; the
// image is built by the CLI, run under crun, read back by `distill sbom` and judged by
// `distill audit`.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/crun.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

namespace fs = std::filesystem;
using distill::testing::RunIn;
using distill::testing::Shell;
using ::testing::HasSubstr;

// testing::Run, under a name gtest's Test::Run does not hide.
distill::testing::Ran RunCmd(const std::string& cmd) { return distill::testing::Run(cmd); }

std::string RepoDir() {
  const char* env = std::getenv("DISTILL_TEST_APK_REPO");
  return env && *env ? env : "/var/cache/distill/test-apk-repo";
}

class RealApkBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/apk-build-real-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    distill_ = DISTILL_BINARY;
    auto made = RunCmd(std::string(DISTILL_SOURCE_DIR) + "/scripts/make-test-apk-repo.sh " +
                       RepoDir() + " " + distill_);
    if (made.rc != 0 && made.err.find("only x86_64") != std::string::npos) GTEST_SKIP() << made.err;
    ASSERT_EQ(made.rc, 0) << made.err;
    // The repository: busybox and musl from the test repository, and hello, a musl program.
    fs::create_directories(dir_ + "/repo/x86_64");
    for (const char* apk : {"busybox-1.35.0-r0.apk", "musl-1.2.3-r0.apk"})
      fs::copy_file(RepoDir() + "/x86_64/" + apk, dir_ + "/repo/x86_64/" + apk);
    key_ = RepoDir() + "/keys/distill-test.rsa";
    ASSERT_TRUE(WriteFileAtomic(dir_ + "/hello.c",
                                "#include <stdio.h>\n"
                                "int main(){puts(\"hello from musl\");return 0;}\n")
                    .ok());
    fs::create_directories(dir_ + "/hello/usr/bin");
    auto cc = RunCmd("musl-gcc -O2 -o " + dir_ + "/hello/usr/bin/hello " + dir_ + "/hello.c");
    ASSERT_EQ(cc.rc, 0) << "musl-gcc (Debian's musl-tools): " << cc.err;
    auto packed = RunCmd("SOURCE_DATE_EPOCH=1700000000 " + distill_ + " apk pack " + dir_ +
                         "/hello --name hello --version 1.0-r0 --license MIT -o " + dir_ +
                         "/repo/x86_64 --sign " + key_);
    ASSERT_EQ(packed.rc, 0) << packed.err;
    auto indexed =
        RunCmd(distill_ + " apk index " + dir_ + "/repo/x86_64 --sign " + key_ + " 2>&1");
    ASSERT_EQ(indexed.rc, 0) << indexed.out;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Builds `packages` into DIR/NAME (an OCI layout tagged NAME); returns the build's exit status.
  int Build(const std::string& name, const std::string& packages) {
    std::string spec = dir_ + "/" + name + ".yaml";
    EXPECT_TRUE(WriteFileAtomic(spec, "contents:\n  keyring: [" + key_ +
                                          ".pub]\n  repositories: [./repo]\n  packages: [" +
                                          packages + "]\narchs: [x86_64]\n")
                    .ok());
    auto r = RunCmd(distill_ + " build -q " + spec + " -o oci-dir:" + dir_ + "/" + name +
                    " --tag " + name);
    EXPECT_EQ(r.rc, 0) << r.err;
    return r.rc;
  }

  nlohmann::json Audit(const std::string& name) {
    auto r = RunCmd(distill_ + " audit -q -o json oci-dir:" + dir_ + "/" + name);
    EXPECT_EQ(r.rc, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  static int RuleFindings(const nlohmann::json& audit, const std::string& rule) {
    int n = 0;
    for (const auto& f : audit.value("findings", nlohmann::json::array()))
      if (f.value("rule_id", "") == rule) ++n;
    return n;
  }

  std::string dir_, distill_, key_;
};

TEST_F(RealApkBuildTest, BusyboxAndAMuslProgramRun) {
  ASSERT_EQ(Build("withsh", "busybox, hello"), 0);
  int rc = -1;
  EXPECT_EQ(RunIn(dir_ + "/withsh:withsh", dir_ + "/b1", {"/bin/busybox", "echo", "hi there"}, &rc),
            "hi there\n");
  // hello's so:libc.musl-x86_64.so.1 brought musl in; the kernel finds musl's loader through
  // hello's PT_INTERP.
  EXPECT_EQ(RunIn(dir_ + "/withsh:withsh", dir_ + "/b2", {"/usr/bin/hello"}, &rc),
            "hello from musl\n");
  // With busybox the image has a shell: audit says it is not distroless.
  auto audit = Audit("withsh");
  EXPECT_EQ(audit["distroless"], false) << audit.dump();
  EXPECT_EQ(RuleFindings(audit, "shell"), 1) << audit.dump();

  // `distill sbom` reads the APK database the build wrote.
  auto sbom = RunCmd(distill_ + " sbom -q -o distill-json oci-dir:" + dir_ + "/withsh");
  ASSERT_EQ(sbom.rc, 0) << sbom.err;
  for (const char* name : {"\"busybox\"", "\"musl\"", "\"hello\""})
    EXPECT_THAT(sbom.out, HasSubstr(name));
  EXPECT_THAT(sbom.out, HasSubstr("pkg:apk/"));
}

TEST_F(RealApkBuildTest, WithoutBusyboxItIsDistroless) {
  ASSERT_EQ(Build("app", "hello"), 0);
  int rc = -1;
  EXPECT_EQ(RunIn(dir_ + "/app:app", dir_ + "/b", {"/usr/bin/hello"}, &rc), "hello from musl\n");
  auto audit = Audit("app");
  EXPECT_EQ(audit["distroless"], true) << audit.dump();
  // hello needs libc.so, which musl's loader is: no library is missing.
  EXPECT_EQ(RuleFindings(audit, "elf-missing-library"), 0) << audit.dump();
  EXPECT_EQ(RuleFindings(audit, "elf-missing-interpreter"), 0) << audit.dump();
  // The same spec gives the same image.
  std::string first = *ReadFile(dir_ + "/app/index.json");
  fs::remove_all(dir_ + "/app");
  ASSERT_EQ(Build("app", "hello"), 0);
  EXPECT_EQ(*ReadFile(dir_ + "/app/index.json"), first);
}

}  // namespace
}  // namespace distill::imagebuild::apk
