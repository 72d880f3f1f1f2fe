#include "imagebuild/apk/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "imagebuild/spec.h"

namespace distill::imagebuild::apk {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

const std::string kDir = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/apko-e2e";

// apko's own end-to-end config (internal/cli/testdata/apko.yaml), unchanged.
TEST(ApkConfigTest, ApkoGoldenConfig) {
  auto s = LoadApkoConfig(kDir + "/apko.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE(s->apk);
  ASSERT_EQ(s->apk->repositories.size(), 1u);
  EXPECT_EQ(s->apk->repositories[0].url, "./testdata/packages");
  EXPECT_EQ(s->apk->repositories[0].dir, kDir + "/testdata/packages");
  EXPECT_EQ(s->apk->repositories[0].line, 5);
  ASSERT_EQ(s->apk->keyring.size(), 1u);
  EXPECT_EQ(s->apk->keyring[0].name, "melange.rsa.pub");
  EXPECT_EQ(s->apk->keyring[0].path, kDir + "/testdata/melange.rsa.pub");
  EXPECT_THAT(s->apk->packages, ElementsAre("replayout"));
  EXPECT_THAT(s->entrypoint, ElementsAre("/bin/sh", "-l"));
  EXPECT_THAT(s->archs, ElementsAre("amd64", "arm64"));
  EXPECT_TRUE(s->users.empty());
  EXPECT_TRUE(s->groups.empty());
  EXPECT_THAT(s->apk->RepositoryLines(), ElementsAre("./testdata/packages"));
  EXPECT_EQ(
      s->apko_json,
      R"({"contents":{"repositories":["./testdata/packages"],"keyring":["./testdata/melange.rsa.pub"],)"
      R"("packages":["replayout"]},"entrypoint":{"command":"/bin/sh -l"},"accounts":{},"archs":[]})");
}

TEST(ApkConfigTest, EveryKeyDistillBuilds) {
  auto s = ParseApkoConfig(R"(contents:
  repositories:
    - https://packages.wolfi.dev/os
    - '@local ./repo'
    - file:///srv/apk
  build_repositories: [/abs/build]
  runtime_repositories: ['@edge https://example.org/edge']
  keyring:
    - https://packages.wolfi.dev/os/wolfi-signing.rsa.pub
    - keys/local.rsa.pub
  packages: [wolfi-base, 'mytool@local', 'so:libc.so.6', 'busybox>1.36']
accounts:
  run-as: app
  users:
    - {username: app, uid: 65532}
    - {username: svc, uid: 1000, gid: 0, shell: /sbin/nologin, homedir: /var/empty}
  groups:
    - {groupname: app, gid: 65532, members: [app]}
paths:
  - {path: /data, type: directory, uid: 65532, gid: 65532, permissions: 0o755, recursive: true}
  - {path: /etc/app.conf, type: empty-file, permissions: 0644}
  - {path: /usr/bin/sh2, type: hardlink, source: /usr/bin/sh}
  - {path: /bin/app, type: symlink, source: /usr/bin/app}
  - {path: /var/log, type: permissions, permissions: 493}
entrypoint:
  command: /usr/bin/app --flag "two words"
cmd: serve --port 80
work-dir: /data
environment:
  ZED: last
  ALPHA: first
archs: [aarch64, x86_64, amd64]
annotations:
  org.opencontainers.image.title: App
)",
                           "/cfg/apko.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const Contents& c = *s->apk;
  ASSERT_EQ(c.repositories.size(), 3u);
  EXPECT_EQ(c.repositories[0].dir, "");
  EXPECT_EQ(c.repositories[1].tag, "local");
  EXPECT_EQ(c.repositories[1].url, "./repo");
  EXPECT_EQ(c.repositories[1].dir, "/cfg/repo");
  EXPECT_EQ(c.repositories[2].dir, "/srv/apk");
  EXPECT_EQ(c.build_repositories[0].dir, "/abs/build");
  EXPECT_THAT(c.RepositoryLines(),
              ElementsAre("https://packages.wolfi.dev/os", "@local ./repo", "file:///srv/apk",
                          "@edge https://example.org/edge"));
  EXPECT_EQ(c.BuildRepositories().size(), 4u);
  EXPECT_EQ(c.keyring[0].path, "");
  EXPECT_EQ(c.keyring[0].name, "wolfi-signing.rsa.pub");
  EXPECT_EQ(c.keyring[1].path, "/cfg/keys/local.rsa.pub");
  EXPECT_THAT(c.packages,
              ElementsAre("wolfi-base", "mytool@local", "so:libc.so.6", "busybox>1.36"));
  ASSERT_EQ(s->users.size(), 2u);
  EXPECT_EQ(s->users[0].gid, 65532u);  // defaults to the uid
  EXPECT_EQ(s->users[0].home, "/home/app");
  EXPECT_EQ(s->users[0].shell, "/bin/sh");
  EXPECT_EQ(s->users[0].gecos, "Account created by apko");
  EXPECT_EQ(s->users[1].gid, 0u);
  EXPECT_EQ(s->users[1].home, "/var/empty");
  EXPECT_EQ(s->run_as, "app");
  EXPECT_THAT(s->groups[0].members, ElementsAre("app"));
  ASSERT_EQ(s->paths.size(), 5u);
  EXPECT_EQ(s->paths[0].permissions, 0755u);
  EXPECT_EQ(s->paths[0].uid, 65532u);
  EXPECT_TRUE(s->paths[0].recursive);
  EXPECT_EQ(s->paths[1].permissions, 0644u);
  EXPECT_FALSE(s->paths[1].uid.has_value());
  EXPECT_EQ(s->paths[2].type, PathMutation::Type::kHardlink);
  EXPECT_EQ(s->paths[3].source, "/usr/bin/app");
  EXPECT_EQ(s->paths[4].permissions, 0755u);
  EXPECT_EQ(s->paths[4].line, 24);
  EXPECT_THAT(s->entrypoint, ElementsAre("/usr/bin/app", "--flag", "two words"));
  EXPECT_THAT(s->cmd, ElementsAre("serve", "--port", "80"));
  EXPECT_EQ(s->workdir, "/data");
  EXPECT_THAT(s->env, ElementsAre(Pair("ALPHA", "first"), Pair("ZED", "last")));
  EXPECT_THAT(s->archs, ElementsAre("amd64", "arm64"));
  EXPECT_THAT(s->annotations, ElementsAre(Pair("org.opencontainers.image.title", "App")));
  // apko's JSON of it: struct order, omitempty (uid 0 and unset gids left out, gid 0 kept when
  // given).
  EXPECT_THAT(s->apko_json,
              HasSubstr(R"("accounts":{"run-as":"app","users":[{"username":"app","uid":65532},)"
                        R"({"username":"svc","uid":1000,"gid":0,"shell":"/sbin/nologin",)"
                        R"("homedir":"/var/empty"}],"groups":[{"groupname":"app","gid":65532,)"
                        R"("members":["app"]}]},"archs":[],"environment":{"ALPHA":"first",)"));
  EXPECT_THAT(s->apko_json,
              HasSubstr(R"({"path":"/data","type":"directory","uid":65532,"gid":65532,)"
                        R"("permissions":493,"recursive":true})"));
  EXPECT_THAT(s->apko_json, HasSubstr(R"("cmd":"serve --port 80","work-dir":"/data")"));
}

struct Bad {
  const char* yaml;
  const char* message;
};

TEST(ApkConfigTest, BadConfigsNameTheLine) {
  const Bad cases[] = {
      {"contents:\n  repositories: [./r]\n  packages: [a]\nfrobnicate: 1\n",
       "bad.yaml:4:1: unknown field \"frobnicate\" (known: accounts, annotations, archs, cmd, "
       "contents, entrypoint, "
       "environment, paths, work-dir)"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\n  pakages: [b]\n",
       "bad.yaml:4:3: unknown field \"pakages\" in contents (known: build_repositories, keyring, "
       "packages, "
       "repositories, runtime_repositories)"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\nlayering:\n  strategy: origin\n",
       "bad.yaml:4:1: apko field \"layering\" is not supported by distill"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\n  baseimage: {image: x}\n",
       "bad.yaml:4:3: apko field \"baseimage\" in contents is not supported by distill"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\nentrypoint:\n  type: service-bundle\n",
       "bad.yaml:5:3: apko field \"type\" in entrypoint is not supported by distill"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\narchs: [x86_64, sparc]\n",
       "bad.yaml:4:17: field \"archs\": unknown architecture 'sparc' (known: x86_64/amd64, "
       "aarch64/arm64, "
       "x86/386, armhf/arm/v6, armv7/arm/v7, loongarch64/loong64, ppc64le, riscv64, s390x)"},
      {"contents:\n  repositories: ['@tag']\n  packages: [a]\n",
       "bad.yaml:2:18: field \"contents.repositories\": '@tag': a tag needs a repository after it "
       "(\"@tag URL\")"},
      {"contents:\n  repositories: [ftp://x/y]\n  packages: [a]\n",
       "bad.yaml:2:18: field \"contents.repositories\": 'ftp://x/y': expected https://, http://, "
       "file:// or a "
       "directory"},
      {"contents:\n  repositories: [./r]\n  packages: []\n",
       "bad.yaml:3:13: field \"contents.packages\": the image needs at least one package"},
      {"contents:\n  packages: [a]\n",
       "bad.yaml:2:3: field \"contents\": needs at least one entry in \"repositories\" or "
       "\"build_repositories\""},
      {"contents:\n  repositories: [./r]\n  keyring: [a/k.rsa.pub, b/k.rsa.pub]\n  packages: [a]\n",
       "bad.yaml:3:26: field \"contents.keyring\": two keys are named 'k.rsa.pub' (both would be "
       "etc/apk/keys/k.rsa.pub)"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\npaths:\n  - {path: /x, type: fifo}\n",
       "bad.yaml:5:22: field \"type\": expected directory, empty-file, hardlink, symlink or "
       "permissions, got 'fifo'"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\npaths:\n  - {path: /x, type: symlink}\n",
       "bad.yaml:5:5: a symlink paths entry needs \"source\""},
      {"contents:\n  repositories: [./r]\n  packages: [a]\npaths:\n  - {path: x, type: "
       "directory}\n",
       "bad.yaml:5:12: field \"path\": expected an absolute path inside the image, got 'x'"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\npaths:\n  - {path: /x, type: directory, "
       "permissions: 0o999}\n",
       "bad.yaml:5:46: field \"permissions\": expected a non-negative number (0o755 or 0755 for "
       "octal), got '0o999'"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\naccounts:\n  users:\n    - {name: app, "
       "uid: 1}\n",
       "bad.yaml:6:8: unknown field \"name\" in a user (known: gid, homedir, shell, uid, "
       "username)"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\naccounts:\n  run-as: ghost\n",
       "bad.yaml:5:11: field \"accounts.run-as\": \"ghost\" is neither a uid nor one of "
       "accounts.users"},
      {"contents:\n  repositories: [./r]\n  packages: [a]\nentrypoint:\n  command: sh -c "
       "'unclosed\n",
       "bad.yaml:5:12: field \"entrypoint.command\": 'sh -c 'unclosed': quote ' is not closed"},
      {"entrypoint:\n  command: /bin/sh\n",
       "bad.yaml:1:1: field \"contents\": an apko config needs its repositories and packages"},
      {"contents: [\n", "bad.yaml:2:1: end of sequence flow not found"},
      {"- a\n", "bad.yaml: expected a YAML map of apko fields"},
  };
  for (const auto& b : cases) {
    auto s = ParseApkoConfig(b.yaml, "bad.yaml");
    ASSERT_FALSE(s.ok()) << b.yaml;
    EXPECT_EQ(s.error().message, b.message) << b.yaml;
  }
}

TEST(ApkConfigTest, ArchNames) {
  EXPECT_EQ(*OciArch("x86_64"), "amd64");
  EXPECT_EQ(*OciArch("aarch64"), "arm64");
  EXPECT_EQ(*OciArch("armv7"), "arm/v7");
  EXPECT_EQ(*OciArch("armhf"), "arm/v6");
  EXPECT_EQ(*OciArch("x86"), "386");
  EXPECT_FALSE(OciArch("i386").ok());
  EXPECT_EQ(ApkArch("amd64"), "x86_64");
  EXPECT_EQ(ApkArch("arm64"), "aarch64");
  EXPECT_EQ(ApkArch("arm/v7"), "armv7");
  EXPECT_EQ(ApkArch("s390x"), "s390x");
}

TEST(ApkConfigTest, SplitCommandAsShlex) {
  EXPECT_THAT(*SplitCommand("/bin/sh -l"), ElementsAre("/bin/sh", "-l"));
  EXPECT_THAT(*SplitCommand("  a  'b c'  \"d \\\" e\" f\\ g "),
              ElementsAre("a", "b c", "d \" e", "f g"));
  EXPECT_THAT(*SplitCommand("x''y"), ElementsAre("xy"));
  EXPECT_TRUE(SplitCommand("")->empty());
  EXPECT_FALSE(SplitCommand("a\\").ok());
  EXPECT_FALSE(SplitCommand("\"a").ok());
}

// Our own spec takes the same contents section as an APK source.
TEST(ApkConfigTest, OurSpecTakesTheContentsSection) {
  auto s = ParseSpec(R"(contents:
  repositories: ['@local ./repo']
  keyring: [./repo/test.rsa.pub]
  packages: [busybox, 'hello@local']
archs: [x86_64, aarch64]
entrypoint: [/bin/busybox, echo, hi]
)",
                     "/w/app.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE(s->apk);
  EXPECT_EQ(s->apk->repositories[0].dir, "/w/repo");
  EXPECT_EQ(s->apk->keyring[0].path, "/w/repo/test.rsa.pub");
  EXPECT_THAT(s->apk->packages, ElementsAre("busybox", "hello@local"));
  EXPECT_THAT(s->archs, ElementsAre("amd64", "arm64"));
  EXPECT_TRUE(s->apko_json.empty());
  EXPECT_EQ(s->users.size(), DefaultUsers().size());  // our spec's defaults stay

  auto both = ParseSpec("contents:\n  repositories: [./r]\n  packages: [a]\npackages: [libc6]\n",
                        "app.yaml");
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().message,
            "app.yaml:4:11: field \"packages\" is for Debian packages: with \"contents\" (APK "
            "packages) the packages "
            "are contents.packages");
  auto arch =
      ParseSpec("contents:\n  repositories: [./r]\n  packages: [a]\narchs: [i386]\ntags: [app]\n",
                "app.yaml");
  ASSERT_FALSE(arch.ok());
  EXPECT_THAT(arch.error().message,
              HasSubstr("app.yaml:4:8: field \"archs\": unknown architecture 'i386'"));
  auto deb = ParseSpec("packages: [libc6]\n", "app.yaml");
  ASSERT_TRUE(deb.ok());
  EXPECT_FALSE(deb->apk);
  auto bad =
      ParseSpec("contents:\n  repositories: [./r]\n  packages: [a]\n  world: [b]\n", "app.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("app.yaml:4:3: unknown field \"world\" in contents"));
}

// Which files `distill build` reads as an apko.yaml: contents, only apko's keys, and apko's shapes
// for the keys both formats share.
TEST(ApkConfigTest, ApkoConfigOrOurSpec) {
  auto is_apko = [](const char* yaml) { return LooksLikeApkoConfig(YAML::Load(yaml)); };
  EXPECT_TRUE(is_apko("contents: {packages: [a]}\narchs: [x86_64]\n"));
  EXPECT_TRUE(is_apko("contents: {}\nentrypoint: {command: /bin/sh -l}\ncmd: -c true\n"));
  EXPECT_TRUE(is_apko("contents: {}\naccounts: {users: [{username: app, uid: 1}]}\n"));
  EXPECT_TRUE(is_apko("contents: {}\nlayering: {strategy: origin}\n"));  // apko's, unsupported
  EXPECT_FALSE(is_apko("packages: [libc6]\n"));                          // no contents
  EXPECT_FALSE(is_apko("contents: {}\nfiles: []\n"));                    // ours only
  EXPECT_FALSE(is_apko("contents: {}\nentrypoint: [/app]\n"));           // our list
  EXPECT_FALSE(is_apko("contents: {}\ncmd: [--serve]\n"));
  EXPECT_FALSE(is_apko("contents: {}\naccounts: {users: [{name: app, uid: 1}]}\n"));
  EXPECT_FALSE(is_apko("- a\n"));

  // LoadSpec reads each as it is: apko's config has no accounts of its own, ours has its defaults.
  auto apko = ParseSpec("contents:\n  repositories: [./r]\n  packages: [a]\n", "/w/apko.yaml");
  ASSERT_TRUE(apko.ok()) << apko.error().message;
  EXPECT_TRUE(apko->users.empty());
  EXPECT_FALSE(apko->apko_json.empty());
  auto ours =
      ParseSpec("contents:\n  repositories: [./r]\n  packages: [a]\ntags: [a]\n", "/w/a.yaml");
  ASSERT_TRUE(ours.ok()) << ours.error().message;
  EXPECT_EQ(ours->users.size(), DefaultUsers().size());
  EXPECT_TRUE(ours->apko_json.empty());
}

}  // namespace
}  // namespace distill::imagebuild::apk
