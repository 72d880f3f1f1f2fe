#include "imagebuild/spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace distill::imagebuild {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(SpecTest, ParsesEveryField) {
  auto s = ParseSpec(R"(
distro: debian:12
mirror: [http://127.0.0.1:8080/debian]
archs: [amd64, arm64]
packages: [libc6, python3]
resolve: false
slices:
  libc6: [/usr/lib/*/libc.so.*]
exclude: [/usr/share/doc/**, /usr/share/man/**]
accounts:
  users: [{name: app, uid: 1000, home: /home/app}]
  groups: [{name: app, gid: 1000}]
  run-as: app
files:
  - {src: ./app, dst: /app, mode: "0755", owner: "1000:1000"}
  - {symlink: python3.11, dst: /usr/bin/python3}
entrypoint: [/app]
cmd: --help
env: {LANG: C.UTF-8}
workdir: /srv
labels: {a: b}
annotations: {org.opencontainers.image.title: app}
layers: {max: 4}
ca-bundle: true
package-db: status
pretty-name: App
tags: [app:1]
)",
                     "app.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->codename, "bookworm");
  EXPECT_THAT(s->archs, ElementsAre("amd64", "arm64"));
  EXPECT_FALSE(s->resolve);
  EXPECT_THAT(s->slices["libc6"], ElementsAre("/usr/lib/*/libc.so.*"));
  EXPECT_EQ(s->users.size(), 1u);
  EXPECT_EQ(s->users[0].gid, 1000u);
  EXPECT_EQ(RunAsUser(*s).value().uid, 1000u);
  ASSERT_EQ(s->files.size(), 2u);
  EXPECT_EQ(*s->files[0].mode, 0755u);
  EXPECT_EQ(s->files[0].uid, 1000u);
  EXPECT_EQ(s->files[1].symlink, "python3.11");
  EXPECT_THAT(s->cmd, ElementsAre("--help"));
  EXPECT_THAT(s->env, ElementsAre(Pair("LANG", "C.UTF-8")));
  EXPECT_EQ(s->layers, LayerMode::kGrouped);
  EXPECT_EQ(s->layer_budget, 4);
  EXPECT_FALSE(s->statusd);
  EXPECT_TRUE(s->ca_bundle);
}

TEST(SpecTest, DefaultsAreDistroless) {
  auto s = ParseSpec("packages: [base-files]\n", "s.yaml");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->codename, "bookworm");
  EXPECT_TRUE(s->resolve);
  EXPECT_TRUE(s->statusd);
  EXPECT_EQ(s->layers, LayerMode::kPerPackage);
  ASSERT_EQ(s->users.size(), 3u);
  EXPECT_EQ(s->users[2].name, "nonroot");
  EXPECT_EQ(s->users[2].uid, 65532u);
  EXPECT_EQ(RunAsUser(*s).value().uid, 0u);
}

TEST(SpecTest, ErrorsNameLineAndColumn) {
  auto err = [](std::string_view yaml) { return ParseSpec(yaml, "app.yaml").error().message; };
  EXPECT_EQ(err("packages: [a]\nflavor: x\n"),
            "app.yaml:2:1: unknown field \"flavor\" (known: accounts, annotations, archs, "
            "ca-bundle, cmd, contents, distro, "
            "entrypoint, env, exclude, files, keyring, labels, layers, mirror, package-db, "
            "packages, pretty-name, "
            "resolve, slices, tags, workdir)");
  EXPECT_EQ(err("packages: [a]\nresolve: maybe\n"),
            "app.yaml:2:10: field \"resolve\": expected true or false");
  EXPECT_EQ(err("packages: [a]\narchs: {x: 1}\n"),
            "app.yaml:2:8: field \"archs\": expected a list of strings");
  EXPECT_EQ(err("packages: [a]\nfiles:\n  - {dst: /x}\n"),
            "app.yaml:3:5: a files entry needs exactly one of \"src\", \"content\" or \"symlink\"");
  EXPECT_EQ(err("packages: [a]\nfiles:\n  - {content: x, dst: rel}\n"),
            "app.yaml:3:23: field \"dst\": expected an absolute path inside the image, got 'rel'");
  EXPECT_EQ(err("packages: [a]\naccounts: {run-as: ghost}\n"),
            "app.yaml:2:20: run-as \"ghost\" is not one of the accounts' users");
  EXPECT_EQ(err("distro: debian:99\npackages: [a]\n").substr(0, 40),
            "app.yaml:1:9: unknown distro 'debian:99'");
  EXPECT_EQ(err("packages: [a\n"), "app.yaml:2:1: end of sequence flow not found");
  EXPECT_EQ(err("resolve: true\n"),
            "app.yaml:1:1: field \"packages\": the image needs at least one package");
  EXPECT_EQ(err("packages: [a]\nlayers: {max: 1}\n"),
            "app.yaml:2:15: field \"layers.max\": expected 2..127");
}

// A string entrypoint or cmd is split into words (issue #26: it became a one-element exec array),
// and a keyring that cannot apply is an error.
TEST(SpecTest, StringCommandsAreSplitIntoWords) {
  auto s = ParseSpec(
      "packages: [curl]\nentrypoint: \"/usr/bin/curl --version\"\n"
      "cmd: \"-H 'X-A: b c' https://x\"\n",
      "app.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->entrypoint, (std::vector<std::string>{"/usr/bin/curl", "--version"}));
  EXPECT_EQ(s->cmd, (std::vector<std::string>{"-H", "X-A: b c", "https://x"}));
  auto list =
      ParseSpec("packages: [curl]\nentrypoint: [\"/usr/bin/curl --version\"]\n", "app.yaml");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->entrypoint, (std::vector<std::string>{"/usr/bin/curl --version"}));
  auto keyring = ParseSpec("packages: [curl]\nkeyring: /k.gpg\n", "app.yaml");
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.error().message,
            "app.yaml:2:10: field \"keyring\": verifies the spec's \"mirror\" entries, and there "
            "are none (the host's apt sources use their own Signed-By keyrings)");
  EXPECT_TRUE(
      ParseSpec("packages: [curl]\nkeyring: /k.gpg\nmirror: [http://m/debian]\n", "app.yaml").ok());
  auto bad = ParseSpec("packages: [curl]\nentrypoint: \"/bin/x 'open\"\n", "app.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "app.yaml:2:13: field \"entrypoint\": '/bin/x 'open': quote ' is not closed");
}

}  // namespace
}  // namespace distill::imagebuild
