#include "imagebuild/assemble.h"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "imagebuild/deb/testing/fake_deb.h"

namespace distill::imagebuild {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using Type = image::TarItem::Type;

Deb BaseFiles() {
  return ParseDeb(testing::MakeDeb("Package: base-files\nVersion: 12.4\nArchitecture: amd64\n", R"t(
dir ./etc 0755
link ./etc/os-release ../usr/lib/os-release
dir ./usr/lib 0755
file ./usr/lib/os-release 0644 PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n
dir ./usr/share/doc/base-files 0755
file ./usr/share/doc/base-files/copyright 0644 (c)
file ./usr/share/doc/base-files/README 0644 readme
)t"),
                  "base-files.deb")
      .value();
}

Deb Libc() {
  return ParseDeb(testing::MakeDeb(
                      "Package: libc6\nVersion: 2.36\nArchitecture: amd64\n", R"(
dir ./lib/x86_64-linux-gnu 0755
file ./lib/x86_64-linux-gnu/libc.so.6 0755 ELF
dir ./lib64 0755
link ./lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
dir ./usr/share/man/man1 0755
file ./usr/share/man/man1/ldd.1.gz 0644 man
)",
                      "aa  lib/x86_64-linux-gnu/libc.so.6\nbb  usr/share/man/man1/ldd.1.gz\n"),
                  "libc6.deb")
      .value();
}

// path -> (layer index, item)
std::map<std::string, std::pair<size_t, image::TarItem>> Squash(const Assembled& assembled) {
  std::map<std::string, std::pair<size_t, image::TarItem>> out;
  for (size_t l = 0; l < assembled.layers.size(); ++l)
    for (const auto& it : assembled.layers[l].items) out[it.path] = {l, it};
  return out;
}

Assembled AssembleSpec(const Spec& spec) {
  AssembleInput in;
  in.spec = &spec;
  in.debs = {Libc(), BaseFiles()};
  auto a = Assemble(in);
  EXPECT_TRUE(a.ok()) << a.error().message;
  return std::move(a).value();
}

TEST(AssembleTest, DistrolessLayout) {
  Spec spec;
  spec.exclude = {"/usr/share/doc/**", "/usr/share/man/**"};
  Assembled a = AssembleSpec(spec);
  ASSERT_EQ(a.layers.size(), 3u);  // base-files, libc6, generated
  EXPECT_THAT(a.layers[0].created_by, HasSubstr("base-files=12.4"));
  auto fs = Squash(a);
  // merged /usr
  EXPECT_EQ(fs["lib"].second.link, "usr/lib");
  EXPECT_EQ(fs["lib64"].second.link, "usr/lib64");
  EXPECT_EQ(fs["bin"].second.link, "usr/bin");
  EXPECT_FALSE(fs.contains("libx32"));
  EXPECT_EQ(fs["usr/lib/x86_64-linux-gnu/libc.so.6"].second.data, "ELF");
  EXPECT_EQ(fs["usr/lib64/ld-linux-x86-64.so.2"].second.type, Type::kSymlink);
  // excludes, but copyright files stay
  EXPECT_FALSE(fs.contains("usr/share/doc/base-files/README"));
  EXPECT_FALSE(fs.contains("usr/share/man/man1/ldd.1.gz"));
  EXPECT_TRUE(fs.contains("usr/share/doc/base-files/copyright"));
  EXPECT_TRUE(fs.contains("usr/share/doc/base-files"));
  // package database, distroless layout; md5sums only for files still there
  EXPECT_EQ(fs["var/lib/dpkg/status.d/libc6"].second.data,
            "Package: libc6\nVersion: 2.36\nArchitecture: amd64\n");
  EXPECT_EQ(fs["var/lib/dpkg/status.d/libc6.md5sums"].second.data,
            "aa  lib/x86_64-linux-gnu/libc.so.6\n");
  EXPECT_EQ(fs["var/lib/dpkg/status.d/libc6"].first, 1u);
  // what scripts would have made
  EXPECT_EQ(fs["tmp"].second.mode, 01777u);
  EXPECT_EQ(fs["home/nonroot"].second.mode, 0700u);
  EXPECT_EQ(fs["home/nonroot"].second.uid, 65532u);
  EXPECT_EQ(fs["root"].second.mode, 0700u);
  EXPECT_THAT(fs["etc/passwd"].second.data,
              HasSubstr("nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"));
  EXPECT_TRUE(fs.contains("etc/nsswitch.conf"));
  // os-release replaced in the last layer, and removed from base-files' layer (no shadowed bytes)
  EXPECT_EQ(fs["usr/lib/os-release"].first, 2u);
  EXPECT_EQ(fs["usr/lib/os-release"].second.data,
            "PRETTY_NAME=\"Distroless\"\nID=debian\nVERSION_ID=\"12\"\n");
  for (const auto& it : a.layers[0].items) EXPECT_NE(it.path, "usr/lib/os-release");
  // every layer carries its parents
  std::set<std::string> l1;
  for (const auto& it : a.layers[1].items) l1.insert(it.path);
  EXPECT_TRUE(l1.contains("usr") && l1.contains("usr/lib") && l1.contains("var/lib/dpkg/status.d"));
  EXPECT_EQ(a.config["User"], "0");
  EXPECT_EQ(a.config["WorkingDir"], "/");
  EXPECT_EQ(a.config["Env"][0],
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}

TEST(AssembleTest, SlicesKeepOnlyTheirPaths) {
  Spec spec;
  spec.slices["libc6"] = {"/usr/lib/*/libc.so.*"};
  auto fs = Squash(AssembleSpec(spec));
  EXPECT_TRUE(fs.contains("usr/lib/x86_64-linux-gnu/libc.so.6"));
  EXPECT_FALSE(fs.contains("usr/lib64/ld-linux-x86-64.so.2"));
  EXPECT_FALSE(fs.contains("usr/share/man/man1/ldd.1.gz"));
  EXPECT_TRUE(fs.contains("usr/share/doc/base-files/README"));  // base-files is not sliced
}

// Slices and excludes that do nothing are errors naming where the spec says them (issue #26).
TEST(AssembleTest, SlicesAndExcludesThatMatchNothingAreErrors) {
  auto err = [](const std::string& yaml) {
    auto spec = ParseSpec(yaml, "app.yaml");
    EXPECT_TRUE(spec.ok()) << spec.error().message;
    AssembleInput in;
    in.spec = &*spec;
    in.debs = {BaseFiles(), Libc()};
    auto a = Assemble(in);
    return a.ok() ? std::string("ok") : a.error().message;
  };
  EXPECT_EQ(err("packages: [libc6]\nslices:\n  libc6: [/usr/lib/*/libc.so.*]\n"), "ok");
  EXPECT_EQ(err("packages: [libc6]\nslices:\n  libssl3: [/usr/lib/*/libssl.so.*]\n"),
            "app.yaml:3:3: slices: libssl3 is not installed by this build");
  EXPECT_EQ(
      err("packages: [libc6]\nslices:\n  libc6: [/usr/lib/*/libc.so.*, /lib/*/libcx.so]\n"),
      "app.yaml:3:33: slices: libc6: '/lib/*/libcx.so' matches no file of libc6 " + Libc().version);
  EXPECT_EQ(err("packages: [libc6]\nexclude: [/usr/share/doc/**, /usr/share/nope/**]\n"),
            "app.yaml:2:30: exclude: '/usr/share/nope/**' matches no file of the packages "
            "installed");
}

TEST(AssembleTest, LayerModesAndClassicStatus) {
  Spec spec;
  spec.layers = LayerMode::kSingle;
  spec.statusd = false;
  spec.run_as = "nonroot";
  spec.files.push_back(
      {.content = "hi\n", .dst = "/app/hello.txt", .mode = 0600, .uid = 65532, .gid = 65532});
  Assembled a = AssembleSpec(spec);
  ASSERT_EQ(a.layers.size(), 1u);
  auto fs = Squash(a);
  EXPECT_THAT(fs["var/lib/dpkg/status"].second.data,
              HasSubstr("Package: libc6\nStatus: install ok installed\n"));
  EXPECT_THAT(fs["var/lib/dpkg/info/libc6.list"].second.data,
              HasSubstr("/lib/x86_64-linux-gnu/libc.so.6\n"));
  EXPECT_FALSE(fs.contains("var/lib/dpkg/status.d/libc6"));
  EXPECT_EQ(fs["app/hello.txt"].second.mode, 0600u);
  EXPECT_EQ(fs["app/hello.txt"].second.uid, 65532u);
  EXPECT_EQ(a.config["User"], "65532");
  EXPECT_EQ(a.config["WorkingDir"], "/home/nonroot");
  spec.layers = LayerMode::kGrouped;
  spec.layer_budget = 2;
  EXPECT_EQ(AssembleSpec(spec).layers.size(), 2u);
}

TEST(AssembleTest, CaBundleNeedsItsPackage) {
  Spec spec;
  spec.ca_bundle = true;
  AssembleInput in;
  in.spec = &spec;
  in.debs = {BaseFiles()};
  EXPECT_THAT(Assemble(in).error().message,
              HasSubstr("ca-bundle: true needs the ca-certificates package"));
}

TEST(AssembleTest, MergedUsrPath) {
  EXPECT_EQ(MergedUsrPath("bin/sh"), "usr/bin/sh");
  EXPECT_EQ(MergedUsrPath("lib64"), "usr/lib64");
  EXPECT_EQ(MergedUsrPath("library/x"), "library/x");
  EXPECT_EQ(MergedUsrPath("etc/x"), "etc/x");
}

}  // namespace
}  // namespace distill::imagebuild
