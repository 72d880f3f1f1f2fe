#include "imagebuild/apk/layout.h"

#include <archive.h>
#include <archive_entry.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "imagebuild/apk/testing/apk_fixture.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

using image::TarItem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Type = TarItem::Type;

const std::string kE2e = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/apko-e2e/";

std::string Read(const std::string& path) {
  auto text = ReadFile(path, 1 << 20);
  EXPECT_TRUE(text.ok()) << path;
  return text.ok() ? *text : "";
}

// apko's golden test: its apko.yaml built from its two packages gives the golden layer's file set,
// modes, owners and bytes, but for one entry: apko writes replayout's etc/os-release as 0:0 while
// the package (and apko's own installed DB) say 501:20; distill keeps the package's owner
// (doc/build-apk.md).
TEST(ApkLayoutTest, ApkoGoldenImageFiles) {
  auto spec = LoadApkoConfig(kE2e + "apko.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  // apko's golden test passes these with --annotations.
  spec->annotations = {{"org.opencontainers.image.title", "Title"},
                       {"org.opencontainers.image.vendor", "Vendor"}};
  std::map<std::string, TarItem> rootfs;
  for (const char* pkg :
       {"pretend-baselayout", "replayout"})  // replayout installed last: its os-release wins
    for (auto& [path, item] :
         testing::TarItems(Read(kE2e + "packages/x86_64/" + pkg + "-1.0.0-r0.apk")))
      rootfs[path] = item;
  auto golden = testing::TarItems(Read(kE2e + "golden/layer-x86_64.tar.gz"));
  auto installed = ParseInstalledDb(golden["usr/lib/apk/db/installed"].data);
  ASSERT_TRUE(installed.ok());

  LayoutInput in;
  in.spec = &*spec;
  in.arch = "amd64";
  in.installed = *installed;
  in.rootfs = &rootfs;
  in.keys = {{"melange.rsa.pub", Read(kE2e + "melange.rsa.pub")}};
  auto files = ImageFiles(in);
  ASSERT_TRUE(files.ok()) << files.error().message;
  std::map<std::string, TarItem> image = rootfs;
  for (const auto& it : *files) image[it.path] = it;

  EXPECT_THAT(testing::Differences(image, golden),
              ElementsAre("ours etc/os-release type=0 mode=644 501:20 size=102 link= dev=0,0 / "
                          "apko etc/os-release type=0 mode=644 0:0 size=102 link= dev=0,0"));
}

TEST(ApkLayoutTest, GoldenSmallFilesOfTheOtherArch) {
  auto golden = testing::TarItems(Read(kE2e + "golden/layer-aarch64.tar.gz"));
  auto spec = LoadApkoConfig(kE2e + "apko.yaml");
  ASSERT_TRUE(spec.ok());
  spec->annotations = {{"org.opencontainers.image.title", "Title"},
                       {"org.opencontainers.image.vendor", "Vendor"}};
  auto installed = ParseInstalledDb(golden["usr/lib/apk/db/installed"].data);
  ASSERT_TRUE(installed.ok());
  EXPECT_EQ(ApkoJson(*spec, *installed, "arm64"), golden["etc/apko.json"].data);
  EXPECT_EQ(WorldFile(*installed), golden["etc/apk/world"].data);
  EXPECT_EQ(RepositoriesFile(*spec->apk), golden["etc/apk/repositories"].data);
  EXPECT_EQ(ApkArch("arm64") + "\n", golden["etc/apk/arch"].data);
}

// accounts: added to the packages' files; a locked shadow entry each; a 0700 home for every
// passwd entry whose home is missing (the packages' entries too), owned by the user.
TEST(ApkLayoutTest, AccountsAsApkoWritesThem) {
  auto spec = ParseApkoConfig(R"(contents:
  repositories: [./r]
  packages: [a]
accounts:
  users:
    - {username: app, uid: 65532}
    - {username: svc, uid: 1000, gid: 1001, shell: /sbin/nologin, homedir: /var/svc}
  groups:
    - {groupname: app, gid: 65532, members: [app, svc]}
)",
                              "/w/apko.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  std::map<std::string, TarItem> rootfs;
  TarItem passwd;
  passwd.path = "etc/passwd";
  passwd.data =
      "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/dev/null:/sbin/nologin";
  rootfs[passwd.path] = passwd;
  TarItem root;
  root.path = "root";
  root.type = Type::kDir;
  root.mode = 0750;
  rootfs[root.path] = root;
  LayoutInput in;
  in.spec = &*spec;
  in.rootfs = &rootfs;
  auto files = ImageFiles(in);
  ASSERT_TRUE(files.ok()) << files.error().message;
  std::map<std::string, TarItem> out;
  for (const auto& it : *files) out[it.path] = it;
  EXPECT_EQ(out["etc/passwd"].data,
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/dev/null:/sbin/nologin\n"
            "app:x:65532:65532:Account created by apko:/home/app:/bin/sh\n"
            "svc:x:1000:1001:Account created by apko:/var/svc:/sbin/nologin\n");
  EXPECT_EQ(out["etc/group"].data, "app:x:65532:app,svc\n");
  EXPECT_EQ(out["etc/shadow"].data, "app:!:::::::\nsvc:!:::::::\n");
  EXPECT_EQ(out["etc/shadow"].mode, 0640u);
  EXPECT_EQ(out["home"].mode, 0755u);
  EXPECT_EQ(out["home/app"].mode, 0700u);
  EXPECT_EQ(out["home/app"].uid, 65532u);
  EXPECT_EQ(out["var/svc"].uid, 1000u);
  EXPECT_EQ(out["var/svc"].gid, 1001u);
  EXPECT_FALSE(out.contains("root"));  // exists: left as the package made it
  EXPECT_FALSE(out.contains("dev/null/"));

  TarItem file;
  file.path = "home/app";
  rootfs[file.path] = file;
  auto clash = ImageFiles(in);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().message,
            "accounts: app's home directory /home/app exists, but is not a directory");
}

TEST(ApkLayoutTest, PathsMutations) {
  auto spec = ParseApkoConfig(R"(contents:
  repositories: [./r]
  packages: [a]
paths:
  - {path: /data/sub, type: directory, uid: 65532, gid: 65532, permissions: 0o750, recursive: true}
  - {path: /etc/app.conf, type: empty-file, permissions: 0o600}
  - {path: /usr/bin/sh2, type: hardlink, source: /usr/bin/sh, permissions: 0o755}
  - {path: /bin/app, type: symlink, source: /usr/bin/sh, permissions: 0o777}
  - {path: /usr/bin, type: permissions, permissions: 0o700, uid: 5, recursive: true}
)",
                              "/w/apko.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  std::map<std::string, TarItem> rootfs;
  auto add = [&](std::string p, Type t, uint32_t mode, std::string link = "") {
    TarItem it;
    it.path = p;
    it.type = t;
    it.mode = mode;
    it.link = link;
    if (t == Type::kFile) it.data = "#!";
    rootfs[p] = it;
  };
  add("usr", Type::kDir, 0755);
  add("usr/bin", Type::kDir, 0755);
  add("usr/bin/sh", Type::kFile, 0755);
  add("bin", Type::kSymlink, 0777, "usr/bin");
  LayoutInput in;
  in.spec = &*spec;
  in.rootfs = &rootfs;
  auto files = ImageFiles(in);
  ASSERT_TRUE(files.ok()) << files.error().message;
  std::map<std::string, TarItem> out;
  for (const auto& it : *files) out[it.path] = it;
  EXPECT_EQ(out["data"].mode, 0750u);
  EXPECT_EQ(out["data/sub"].mode, 0750u);
  EXPECT_EQ(out["data/sub"].uid, 65532u);
  EXPECT_EQ(out["data"].uid, 0u);  // recursive reaches below the path, not its parents
  EXPECT_EQ(out["etc/app.conf"].mode, 0600u);
  EXPECT_EQ(out["etc/app.conf"].data, "");
  EXPECT_EQ(out["usr/bin/sh2"].type, Type::kHardlink);
  EXPECT_EQ(out["usr/bin/sh2"].link, "usr/bin/sh");
  // /bin is a symlink to usr/bin: the link is made in usr/bin.
  EXPECT_EQ(out["usr/bin/app"].type, Type::kSymlink);
  EXPECT_EQ(out["usr/bin/app"].link, "/usr/bin/sh");
  EXPECT_FALSE(out.contains("bin/app"));
  for (const char* p : {"usr/bin", "usr/bin/sh", "usr/bin/sh2"}) {
    EXPECT_EQ(out[p].mode, 0700u) << p;
    EXPECT_EQ(out[p].uid, 5u) << p;
    EXPECT_EQ(out[p].gid, 0u) << p;
  }
  EXPECT_EQ(out["usr/bin/app"].mode, 0777u);

  struct Bad {
    const char* entry;
    const char* message;
  };
  for (const auto& b :
       {Bad{"{path: /usr/bin/sh, type: symlink, source: /x}",
            "/w/apko.yaml:5: paths: /usr/bin/sh: file \"/usr/bin/sh\" already exists"},
        Bad{"{path: /nope, type: permissions, permissions: 0o644}",
            "/w/apko.yaml:5: paths: /nope: /nope does not exist"},
        Bad{"{path: /l, type: hardlink, source: /missing}",
            "/w/apko.yaml:5: paths: /l: hardlink source /missing is not a file"},
        Bad{"{path: /usr/bin/sh/x, type: directory}",
            "/w/apko.yaml:5: paths: /usr/bin/sh/x: /usr/bin/sh exists and is not a directory"}}) {
    auto bad = ParseApkoConfig(
        std::string("contents:\n  repositories: [./r]\n  packages: [a]\npaths:\n  - ") + b.entry +
            "\n",
        "/w/apko.yaml");
    ASSERT_TRUE(bad.ok()) << bad.error().message;
    in.spec = &*bad;
    auto r = ImageFiles(in);
    ASSERT_FALSE(r.ok()) << b.entry;
    EXPECT_EQ(r.error().message, b.message);
  }
}

// Links that lead to each other (or grow at each step) stop after 40, as the kernel's ELOOP.
TEST(ApkLayoutTest, SymlinkLoopsEnd) {
  auto spec = ParseApkoConfig(R"(contents:
  repositories: [./r]
  packages: [a]
paths:
  - {path: /x, type: symlink, source: /y}
  - {path: /y, type: symlink, source: /x}
  - {path: /g, type: symlink, source: g/g/g/g/g/g/g/g}
  - {path: /x/a/b, type: directory, permissions: 0o755}
  - {path: /g/a, type: empty-file, permissions: 0o644}
)",
                              "/w/apko.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  LayoutInput in;
  in.spec = &*spec;
  auto files = ImageFiles(in);
  EXPECT_FALSE(files.ok());  // the loop's end is a symlink, not a directory
  EXPECT_THAT(files.error().message, HasSubstr("/w/apko.yaml:8: paths: /x/a/b: "));
}

TEST(ApkLayoutTest, WorldRepositoriesScriptsTriggers) {
  InstalledPackage a, b;
  a.name = "zlib", a.version = "1.3-r0", a.checksum = "Q1zz";
  b.name = "busybox", b.version = "1.36.1-r2", b.checksum = "Q1bb";
  EXPECT_EQ(WorldFile({a, b}), "busybox=1.36.1-r2\nzlib=1.3-r0\n");
  EXPECT_EQ(WorldFile({}), "\n");
  auto spec =
      ParseApkoConfig("contents:\n  repositories: [./r]\n  packages: [a]\n", "/w/apko.yaml");
  ASSERT_TRUE(spec.ok());
  LayoutInput in;
  in.spec = &*spec;
  in.installed = {a, b};
  in.scripts = {{"busybox", "1.36.1-r2", "Q1bb", ".post-install", "#!/bin/sh\n", 0755}};
  in.triggers = {{"Q1bb", {"/bin", "/usr/bin"}}};
  auto files = ImageFiles(in);
  ASSERT_TRUE(files.ok());
  std::map<std::string, TarItem> out;
  for (const auto& it : *files) out[it.path] = it;
  EXPECT_EQ(out["usr/lib/apk/db/triggers"].data, "Q1bb /bin\nQ1bb /usr/bin\n");
  auto scripts = testing::TarItems(out["usr/lib/apk/db/scripts.tar"].data);
  ASSERT_EQ(scripts.size(), 1u);
  EXPECT_EQ(scripts.begin()->first, "busybox-1.36.1-r2.Q1bb.post-install");
  EXPECT_EQ(out["lib/apk"].link, "../usr/lib/apk");
  EXPECT_EQ(out["etc/apk/arch"].data, "x86_64\n");
  EXPECT_FALSE(out.contains("etc/group"));   // no groups: apko leaves it alone
  EXPECT_FALSE(out.contains("etc/shadow"));  // no users: likewise
  EXPECT_EQ(out["etc/passwd"].data, "");

  // A usr-merged /lib (wolfi-baselayout) already leads to usr/lib/apk: no lib/apk symlink.
  std::map<std::string, TarItem> rootfs;
  TarItem lib;
  lib.path = "lib", lib.type = Type::kSymlink, lib.link = "usr/lib";
  rootfs["lib"] = lib;
  in.rootfs = &rootfs;
  files = ImageFiles(in);
  ASSERT_TRUE(files.ok());
  for (const auto& it : *files) EXPECT_FALSE(it.path.starts_with("lib")) << it.path;
}

}  // namespace
}  // namespace distill::imagebuild::apk
