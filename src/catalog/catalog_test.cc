#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include "catalog/testing/file_tree.h"
#include "util/glob.h"

namespace distill::catalog {
namespace {

using V = std::vector<std::string>;

TEST(CatalogTest, TableNamesAndGlobs) {
  V names;
  for (const Cataloger& c : OsCatalogers()) {
    names.push_back(c.name);
    EXPECT_FALSE(c.globs.empty()) << c.name;
    EXPECT_NE(c.parse, nullptr);
  }
  EXPECT_EQ(names, (V{"dpkg-db-cataloger", "apk-db-cataloger", "rpm-db-cataloger",
                      "chisel-manifest-cataloger"}));
  V globs = CatalogGlobs();
  EXPECT_TRUE(std::is_sorted(globs.begin(), globs.end()));
  EXPECT_EQ(std::adjacent_find(globs.begin(), globs.end()), globs.end());
  // Every file a cataloger or the distro detection reads is captured by some glob.
  for (const char* path : {"etc/os-release",
                           "usr/lib/os-release",
                           "etc/debian_version",
                           "etc/alpine-release",
                           "etc/redhat-release",
                           "etc/system-release-cpe",
                           "bin/busybox",
                           "var/lib/dpkg/status",
                           "var/lib/dpkg/status.d/libssl3",
                           "var/lib/dpkg/status.d/libssl3.md5sums",
                           "var/lib/dpkg/info/libc6:amd64.list",
                           "var/lib/dpkg/info/bash.md5sums",
                           "var/lib/dpkg/available",
                           "usr/share/doc/bash/copyright",
                           "lib/apk/db/installed",
                           "usr/lib/apk/db/installed",
                           "var/lib/rpm/rpmdb.sqlite",
                           "var/lib/rpm/Packages",
                           "usr/lib/sysimage/rpm/Packages.db",
                           "var/lib/rpmmanifest/container-manifest-2",
                           "var/lib/chisel/manifest.wall"}) {
    bool matched = false;
    for (const auto& g : globs) matched = matched || GlobMatch(g, path);
    EXPECT_TRUE(matched) << path;
  }
  // ... and nothing far beyond: no file of an ordinary tree.
  for (const char* path : {"usr/bin/bash", "usr/share/doc/bash/changelog.gz",
                           "var/lib/dpkg/info/bash.postinst", "etc/passwd"}) {
    for (const auto& g : globs) EXPECT_FALSE(GlobMatch(g, path)) << g << " " << path;
  }
}

TEST(CatalogTest, SortedDeterministicAcrossEcosystems) {
  auto files = testing::IndexFromFiles({
      {"etc/os-release", "ID=wolfi\nVERSION_ID=20230201\n"},
      {"lib/apk/db/installed",
       "P:zlib\nV:1.3-r0\nA:x86_64\nD:so:libc.so.6\n\nP:glibc\nV:2.38-r1\nA:x86_64\np:so:libc.so.6="
       "6\n\n"},
      {"var/lib/dpkg/status.d/base", "Package: base-files\nVersion: 12.4\nArchitecture: amd64\n"},
  });
  auto a = CatalogOs(files);
  auto b = CatalogOs(files);
  ASSERT_TRUE(a.ok() && b.ok());
  V order;
  for (const Package& p : a->packages) order.push_back(p.type + "/" + p.name);
  EXPECT_EQ(order, (V{"apk/glibc", "apk/zlib", "deb/base-files"}));
  ASSERT_EQ(a->relationships.size(), 1u);  // zlib -> glibc through so:libc.so.6
  EXPECT_EQ(a->relationships[0].from, a->packages[1].id());
  EXPECT_EQ(a->relationships[0].to, a->packages[0].id());
  EXPECT_EQ(a->packages[0].purl, "pkg:apk/wolfi/glibc@2.38-r1?arch=x86_64&distro=wolfi-20230201");
  ASSERT_EQ(a->packages.size(), b->packages.size());
  for (size_t i = 0; i < a->packages.size(); ++i)
    EXPECT_EQ(a->packages[i].id(), b->packages[i].id());
}

TEST(CatalogTest, CorruptEntriesBecomeUnknownsAndTheScanGoesOn) {
  auto files = testing::IndexFromFiles({
      {"var/lib/dpkg/status",
       "Package: ok\nStatus: install ok installed\nVersion: 1\n\nPackage: bad\nno colon here\n"},
      {"lib/apk/db/installed", "garbage\n"},
      {"var/lib/rpm/Packages", "not a db"},
  });
  auto c = CatalogOs(files);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->packages.size(), 1u);
  EXPECT_EQ(c->packages[0].name, "ok");
  ASSERT_EQ(c->unknowns.size(), 3u);
  EXPECT_EQ(c->unknowns[0].location.path, "lib/apk/db/installed");
  EXPECT_EQ(c->unknowns[1].location.path, "var/lib/dpkg/status");
  EXPECT_EQ(c->unknowns[1].message, "line 6: expected 'Field: value', got 'no colon here'");
  EXPECT_EQ(c->unknowns[2].location.path, "var/lib/rpm/Packages");
  EXPECT_EQ(c->unknowns[2].message, "BerkeleyDB: file too short (8 bytes)");
}

TEST(CatalogTest, EmptyImage) {
  auto c = CatalogOs(image::FileIndex{});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->packages.empty());
  EXPECT_TRUE(c->distro.empty());
}

}  // namespace
}  // namespace distill::catalog

namespace distill::catalog {
namespace {

// apk-tools 3 images: lib/apk/db -> ../../usr/lib/apk/db. One database, counted once.
TEST(CatalogTest, SymlinkedDatabasesCountOnce) {
  auto base = testing::IndexFromFiles(
      {{"usr/lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\n\n"},
       {"usr/lib/dpkg/status", "Package: a\nStatus: install ok installed\nVersion: 1\n"}});
  std::vector<image::Entry> entries = base.entries();
  for (auto [path, link] : {std::pair{"lib", ""},
                            {"lib/apk", ""},
                            {"lib/apk/db", "../../usr/lib/apk/db"},
                            {"var", ""},
                            {"var/lib", ""},
                            {"var/lib/dpkg", "../../usr/lib/dpkg"}}) {
    image::Entry e;
    e.path = path;
    e.type = *link ? image::FileType::kSymlink : image::FileType::kDirectory;
    e.link = link;
    entries.push_back(e);
  }
  std::unordered_map<std::string, std::string> contents;
  for (const auto& e : base.entries())
    if (e.type == image::FileType::kRegular) contents[e.path] = *base.Contents(e.path);
  auto c = CatalogOs(image::FileIndex(entries, {}, contents, nullptr));
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->packages.size(), 2u);
  EXPECT_EQ(c->packages[0].locations[0].path, "usr/lib/apk/db/installed");
  EXPECT_EQ(c->packages[1].locations[0].path, "usr/lib/dpkg/status");  // where the file is
}

}  // namespace
}  // namespace distill::catalog
