// `distill audit` on small images built in-process: one fixture that trips every rule family
// (planted fake secrets included), a clean distroless-style image, and one without a package
// database. Through the library (LoadAndAudit) for findings, and the real binary for outputs.

#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audit/render.h"
#include "cli/audit_run.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"
#include "util/testing/elf_builder.h"

namespace distill::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace distill::testing;

// The planted fake secrets: none of these may appear in any output.
const std::string kAwsTail = "IOSFODNN7EXAMPLE";
const std::string kGhTail = "0123456789abcdefghijABCDEFGHIJ012345";
const std::string kKeyBody = "MIIEowIBAAKCAQEAfakefakefakefakefakefakefakefakefakefake0123456789";
const std::vector<std::string> kSecretParts = {kAwsTail,
                                               kGhTail,
                                               kKeyBody,
                                               "dXNlcjpwYXNzd29yZA",
                                               "abcdefghijklmnop1234",
                                               "DB_PASSWORD=hunter2",
                                               "OLDKEYOLDKEY"};

TarEntry File(std::string name, std::string data, unsigned mode = 0644) {
  TarEntry e;
  e.name = std::move(name), e.data = std::move(data), e.mode = mode;
  return e;
}

// Everything an attacker would like, and every blind spot: guards each rule family.
TestImage BadImage() {
  TestImage img;
  img.tag = "bad";
  // Files first: the hardlink usr/bin/cat must come after its target.
  std::vector<TarEntry> l1 = {File("usr/bin/busybox", elf::testing::MakeElf("", {}), 0755)};
  auto tree = ParseTree(R"(
dir etc
file etc/os-release 0644 ID=debian\nVERSION_ID="12"\n
file etc/passwd 0644 root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/usr/sbin/nologin\nnobody:x:65534:65534::/:/usr/sbin/nologin\n
file etc/app.conf 0666 world=writable\n
dir tmp 1777
dir var/spool/drop 0777
char dev/null 1 3
link bin usr/bin
link usr/bin/sh bash
link usr/bin/ls busybox
link usr/sbin/wget ../bin/busybox
hard usr/bin/cat usr/bin/busybox
file usr/bin/apt-get 0755 #!/bin/sh\nexec true\n
file usr/bin/python3.11 0755 #!/nonexistent/interp\n
link usr/bin/python3 python3.11
file usr/bin/su 4755 x
file usr/bin/wall 2755 x
file usr/lib/x86_64-linux-gnu/libssl.so.3 0644 x
file var/lib/apt/lists/deb_dists_bookworm_InRelease 0644 lists
file root/.cache/pip/http/a 0644 cache
file usr/lib/python3/__pycache__/a.cpython-311.pyc 0644 pyc
file usr/share/doc/bash/copyright 0644 GPL
file var/lib/dpkg/status 0644 Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n\n
file var/lib/dpkg/info/bash.list 0644 /.\n/usr\n/usr/bin\n/usr/bin/bash\n/bin/sh\n
file app/.env 0644 DB_PASSWORD=hunter2\n
file app/.npmrc 0644 //registry.npmjs.org/:_authToken=npm_abcdefghijklmnop1234\n
file root/.docker/config.json 0600 {"auths": {"r.example": {"auth": "dXNlcjpwYXNzd29yZA=="}}}
)");
  l1.insert(l1.end(), tree.begin(), tree.end());
  l1.push_back(File(
      "usr/bin/bash",
      elf::testing::MakeElf("/lib64/ld-linux-x86-64.so.2", {"libtinfo.so.6", "libc.so.6"}), 0755));
  l1.push_back(File("opt/tool/run", elf::testing::MakeElf("", {}), 0755));
  l1.push_back(
      File("root/.aws/credentials", "[default]\naws_access_key_id = AKIA" + kAwsTail + "\n"));
  l1.push_back(File(
      "app/key.pem",
      "-----BEGIN RSA PRIVATE KEY-----\n" + kKeyBody + "\n-----END RSA PRIVATE KEY-----\n", 0600));
  l1.push_back(File("app/config.yml", "github_token: ghp_" + kGhTail + "\n"));
  l1.push_back(File("app/old.key", "-----BEGIN PRIVATE KEY-----\nOLDKEYOLDKEY" + kKeyBody +
                                       "\n-----END PRIVATE KEY-----\n"));
  img.layers.push_back({MakeTar(l1), image::Compression::kGzip});
  // The second layer deletes a key: its bytes are still in layer 0.
  img.layers.push_back(Layer("whiteout app/old.key\n"));
  img.config = {{"Cmd", {"/bin/sh", "-c", "exec app"}},
                {"Healthcheck", {{"Test", {"CMD-SHELL", "wget -q localhost"}}}}};
  return img;
}

// distroless-style: a status.d package database, one static program, a nonroot account.
TestImage CleanImage() {
  TestImage img;
  img.tag = "clean";
  auto l = ParseTree(R"(
file etc/passwd 0644 root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n
dir tmp 1777
file var/lib/dpkg/status.d/app 0644 Package: app\nVersion: 1.0\nArchitecture: amd64\n
file var/lib/dpkg/status.d/app.md5sums 0644 0123456789abcdef0123456789abcdef  usr/bin/app\n
)");
  l.push_back(File("usr/bin/app", elf::testing::MakeElf("", {}), 0755));
  img.layers.push_back({MakeTar(l), image::Compression::kGzip});
  img.config = {{"User", "65532"}, {"Entrypoint", {"/usr/bin/app"}}};
  return img;
}

std::string Write(const TestImage& img) {
  std::string path = TempDir() + "/" + img.tag + ".oci.tar";
  WriteTar(path, OciLayoutFiles({img}));
  return "oci-archive:" + path;
}

std::multiset<std::string> RuleIds(const audit::Report& report) {
  std::multiset<std::string> out;
  for (const auto& f : report.findings) out.insert(f.rule_id);
  return out;
}

const audit::Finding* FindingAt(const audit::Report& report, std::string_view rule,
                                std::string_view path) {
  for (const auto& f : report.findings)
    if (f.rule_id == rule && f.path == path) return &f;
  return nullptr;
}

class AuditFixtureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { bad_ = new std::string(Write(BadImage())); }
  static std::string* bad_;
  audit::Report Audit(const std::string& src, const audit::Policy& policy = {}) {
    auto a = LoadAndAudit(src, Globals{}, policy);
    EXPECT_TRUE(a.ok()) << a.error().message;
    return a.ok() ? a->report : audit::Report{};
  }
};
std::string* AuditFixtureTest::bad_ = nullptr;

TEST_F(AuditFixtureTest, EveryRuleFamilyFires) {
  audit::Report r = Audit(*bad_);
  EXPECT_FALSE(r.distroless);
  EXPECT_EQ(r.score, 0);
  auto ids = RuleIds(r);
  for (const char* id : {"shell",
                         "multi-call",
                         "package-manager",
                         "lotl-tool",
                         "interpreter",
                         "runs-as-root",
                         "no-nonroot-user",
                         "setuid",
                         "setgid",
                         "world-writable",
                         "device-node",
                         "secret-private-key",
                         "secret-aws-key",
                         "secret-github-token",
                         "secret-npm-token",
                         "secret-docker-auth",
                         "secret-dotenv",
                         "unowned-executable",
                         "unowned-files",
                         "elf-missing-interpreter",
                         "elf-missing-library",
                         "script-missing-interpreter",
                         "shell-form-command",
                         "shell-healthcheck",
                         "no-ca-bundle",
                         "cache-apt-lists",
                         "cache-pip",
                         "cache-pycache",
                         "docs"})
    EXPECT_TRUE(ids.contains(id)) << id;
}

// A musl program (Alpine's, Wolfi's, or Debian's musl-gcc): its libraries are searched as musl's
// loader searches them (etc/ld-musl-ARCH.path, else /lib:/usr/local/lib:/usr/lib, never
// ld.so.conf), and libc.* and the other names the loader itself provides need no file.
TEST_F(AuditFixtureTest, MuslProgramsLibraries) {
  auto image_with = [](const std::string& tag, bool path_file) {
    TestImage img;
    img.tag = tag;
    std::vector<TarEntry> l;
    l.push_back(File("lib/ld-musl-x86_64.so.1", elf::testing::MakeElf("", {}), 0755));
    if (path_file) l.push_back(File("etc/ld-musl-x86_64.path", "/opt/musl/lib:/usr/lib\n/srv\n"));
    l.push_back(File("opt/musl/lib/libfoo.so.1", elf::testing::MakeElf("", {}), 0755));
    l.push_back(File("usr/local/lib/libbar.so.2", elf::testing::MakeElf("", {}), 0755));
    l.push_back(File("usr/lib/x86_64-linux-gnu/libbaz.so.3", elf::testing::MakeElf("", {}), 0755));
    l.push_back(File("usr/bin/app",
                     elf::testing::MakeElf("/lib/ld-musl-x86_64.so.1",
                                           {"libc.so", "libc.musl-x86_64.so.1", "libm.so",
                                            "libfoo.so.1", "libbar.so.2", "libbaz.so.3"}),
                     0755));
    img.layers.push_back({MakeTar(l), image::Compression::kGzip});
    return img;
  };
  // With the path file: only its directories (libbar in /usr/local/lib is not found).
  audit::Report r = Audit(Write(image_with("muslpath", true)));
  const audit::Finding* lib = FindingAt(r, "elf-missing-library", "usr/bin/app");
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->evidence, "DT_NEEDED libbar.so.2, libbaz.so.3");
  // Without it, musl's default path (libfoo under /opt is not found); never glibc's multiarch.
  r = Audit(Write(image_with("musldefault", false)));
  lib = FindingAt(r, "elf-missing-library", "usr/bin/app");
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->evidence, "DT_NEEDED libfoo.so.1, libbaz.so.3");
}

TEST_F(AuditFixtureTest, Evidence) {
  audit::Report r = Audit(*bad_);
  // Owned through the usr-merge symlink: dpkg lists /bin/sh, the image has usr/bin/sh.
  const audit::Finding* sh = FindingAt(r, "shell", "usr/bin/sh");
  ASSERT_NE(sh, nullptr);
  EXPECT_EQ(sh->package, "bash");
  EXPECT_EQ(sh->evidence, "link to usr/bin/bash");
  EXPECT_EQ(sh->layer, 0);
  EXPECT_TRUE(sh->layer_digest.starts_with("sha256:"));
  const audit::Finding* bb = FindingAt(r, "multi-call", "usr/bin/busybox");
  ASSERT_NE(bb, nullptr);
  EXPECT_EQ(bb->message, "busybox with 3 applet links (3 in bin directories)");
  EXPECT_EQ(bb->evidence, "applets: cat, ls, wget");
  ASSERT_NE(FindingAt(r, "lotl-tool", "usr/sbin/wget"), nullptr);
  ASSERT_NE(FindingAt(r, "package-manager", "usr/bin/apt-get"), nullptr);
  const audit::Finding* lib = FindingAt(r, "elf-missing-library", "usr/bin/bash");
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->evidence, "DT_NEEDED libtinfo.so.6, libc.so.6");
  EXPECT_EQ(FindingAt(r, "elf-missing-interpreter", "usr/bin/bash")->evidence,
            "PT_INTERP /lib64/ld-linux-x86-64.so.2");
  EXPECT_NE(FindingAt(r, "unowned-executable", "opt/tool/run"), nullptr);
  EXPECT_EQ(FindingAt(r, "unowned-executable", "usr/bin/bash"), nullptr);  // owned by bash
  EXPECT_EQ(FindingAt(r, "world-writable", "tmp"), nullptr);               // sticky
  EXPECT_NE(FindingAt(r, "world-writable", "var/spool/drop"), nullptr);
  const audit::Finding* aws = FindingAt(r, "secret-aws-key", "root/.aws/credentials");
  ASSERT_NE(aws, nullptr);
  EXPECT_EQ(aws->evidence, "line 2: aws_access_key_id = AKIA********");
  // The deleted key is still reported: its layer holds it.
  const audit::Finding* old = FindingAt(r, "secret-private-key", "app/old.key");
  ASSERT_NE(old, nullptr);
  EXPECT_THAT(old->message,
              HasSubstr("a later layer replaced or deleted (layer 0 still holds it)"));
  EXPECT_EQ(old->layer, 0);
}

TEST_F(AuditFixtureTest, PolicyAllowsRuntimeAndDenies) {
  auto p = audit::ParsePolicy(R"(
runtime: [python3]
allow:
  - rule: secret-*
    path: app/*
    reason: test fixtures
deny:
  - rule: cache-pycache
    severity: critical
)",
                              "p.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  audit::Report r = Audit(*bad_, *p);
  const audit::Finding* py = FindingAt(r, "interpreter", "usr/bin/python3");
  ASSERT_NE(py, nullptr);
  EXPECT_EQ(py->allowed_by, "p.yaml: runtime python3");
  EXPECT_EQ(FindingAt(r, "secret-dotenv", "app/.env")->allowed_by,
            "p.yaml: allow secret-* (test fixtures)");
  EXPECT_EQ(FindingAt(r, "secret-aws-key", "root/.aws/credentials")->allowed_by, "");
  EXPECT_EQ(
      FindingAt(r, "cache-pycache", "usr/lib/python3/__pycache__/a.cpython-311.pyc")->severity,
      audit::Severity::kCritical);
}

TEST_F(AuditFixtureTest, CleanImageIsDistroless) {
  audit::Report r = Audit(Write(CleanImage()));
  EXPECT_TRUE(r.distroless);
  EXPECT_EQ(r.score, 100);
  for (const auto& f : r.findings) ADD_FAILURE() << f.rule_id << " " << f.path << " " << f.message;
}

TEST_F(AuditFixtureTest, NoPackageDatabaseIsABlindSpot) {
  TestImage img;
  img.tag = "static";
  img.layers.push_back(
      {MakeTar({File("app", elf::testing::MakeElf("", {}), 0755)}), image::Compression::kGzip});
  img.config = {{"User", "65532"}};
  audit::Report r = Audit(Write(img));
  EXPECT_FALSE(r.distroless);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id, "no-package-db");
  EXPECT_EQ(
      r.findings[0].message,
      "1 files (176 B), 1 executables, and no package database: scanners will report nothing");
}

Ran Distill(const std::string& args) { return Run(std::string(DISTILL_BINARY) + " -q " + args); }

// The planted secrets are masked in every output format.
TEST_F(AuditFixtureTest, SecretsAreMaskedInEveryOutput) {
  for (const char* fmt : {"table", "json", "sarif"}) {
    SCOPED_TRACE(fmt);
    Ran r = Distill("audit -o " + std::string(fmt) + " " + *bad_);
    EXPECT_EQ(r.rc, 0);
    EXPECT_THAT(r.out, HasSubstr("AKIA********"));
    for (const auto& s : kSecretParts) EXPECT_THAT(r.out, Not(HasSubstr(s)));
  }
}

TEST_F(AuditFixtureTest, JsonShapeAndFailOn) {
  Ran r = Distill("audit -o json " + *bad_);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["distroless"], false);
  EXPECT_EQ(j["score"], 0);
  ASSERT_TRUE(j["findings"].is_array());
  const auto& f = j["findings"][0];
  for (const char* k :
       {"rule_id", "severity", "path", "layer", "package", "message", "evidence", "fix"})
    EXPECT_TRUE(f.contains(k)) << k;
  EXPECT_EQ(Distill("audit --fail-on high " + *bad_).rc, 1);
  EXPECT_EQ(Distill("audit --fail-on critical " + Write(CleanImage())).rc, 0);
  EXPECT_EQ(Distill("audit --fail-on bogus " + *bad_).rc, 2);
  Ran table = Distill("audit " + Write(CleanImage()));
  EXPECT_THAT(table.out, HasSubstr("distroless: yes   score: 100/100"));
}

TEST_F(AuditFixtureTest, BadPolicyIsBadInput) {
  std::string p = TempDir() + "/bad-policy.yaml";
  ASSERT_TRUE(WriteFileAtomic(p, "allow:\n  - rule: shell\n    colour: red\n").ok());
  EXPECT_EQ(Distill("audit --policy " + p + " " + *bad_).rc, 2);
  auto parsed = audit::ParsePolicy("allow:\n  - rule: shell\n    colour: red\n", "p.yaml");
  EXPECT_EQ(parsed.error().message, "p.yaml: allow[0]: unknown key \"colour\"");
}

}  // namespace
}  // namespace distill::cli
