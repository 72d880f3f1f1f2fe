// Language catalogers on real inputs, each checked against the ecosystem's own tool:
//  - the python3+flask Debian rootfs: pip packages == importlib.metadata over the same site dirs;
//  - a Go binary built here with Debian's golang (local replace, stdlib only, offline): modules ==
//    `go version -m`;
//  - a jar built here with javac/jar carrying META-INF/maven pom.properties, nested in a war.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "catalog/catalog.h"
#include "catalog/python/parse_metadata.h"
#include "image/image.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::catalog {
namespace {

namespace fs = std::filesystem;
using distill::testing::Shell;
using S = std::set<std::string>;

std::string ImagesDir() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return env && *env ? env : "/var/cache/distill/test-images";
}

S Lines(const std::string& s) {
  S out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    if (nl > pos) out.insert(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

// The real pipeline: a dir: source read with the catalog's content plan.
Catalog CatalogDir(const std::string& root, bool keep_owned) {
  CatalogOptions o;
  o.keep_owned = keep_owned;
  image::LoadOptions lo;
  lo.plan = CatalogPlan(o);
  auto img = image::LoadImage("dir:" + root, lo);
  EXPECT_TRUE(img.ok()) << (img.ok() ? "" : img.error().message);
  if (!img.ok()) return {};
  auto c = CatalogImage(img->files, o);
  EXPECT_TRUE(c.ok());
  return c.ok() ? *c : Catalog{};
}

S Of(const Catalog& c, const std::string& type) {
  S out;
  for (const Package& p : c.packages)
    if (p.type == type) out.insert(p.name + "@" + p.version);
  return out;
}

TEST(RealLanguageTest, PyflaskPipPackagesEqualImportlibMetadata) {
  std::string root = ImagesDir() + "/rootfs-pyflask";
  if (!fs::exists(root)) GTEST_SKIP() << root << " missing (scripts/make-test-images.sh)";
  // Every site directory of the rootfs, as the rootfs's interpreter would search them.
  std::string dirs = Shell("cd '" + root + "' && find . -type d \\( -name site-packages -o -name dist-packages \\) | sort");
  std::string paths;
  for (const std::string& d : Lines(dirs)) paths += "'" + root + "/" + d.substr(2) + "',";
  int rc = 0;
  std::string oracle = Shell("python3 -c \"import importlib.metadata as m, re\n"
                             "for d in m.distributions(path=[" + paths + "]):\n"
                             "  print(re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() + '@' + d.version)\"",
                             &rc);
  ASSERT_EQ(rc, 0);
  S want = Lines(oracle);
  ASSERT_GE(want.size(), 7u);  // flask, werkzeug, jinja2, markupsafe, itsdangerous, click, colorama
  // Debian's python3-* packages own them all: reported once, as debs...
  Catalog plain = CatalogDir(root, false);
  EXPECT_TRUE(Of(plain, "python").empty());
  // ... and with --keep-owned, each pip package next to its deb, linked by "owns".
  Catalog kept = CatalogDir(root, true);
  EXPECT_EQ(Of(kept, "python"), want);
  int owns = 0;
  for (const Relationship& r : kept.relationships) owns += r.type == "owns" && r.to.starts_with("python/");
  EXPECT_EQ(owns, static_cast<int>(want.size()));
  for (const Package& p : kept.packages)
    if (p.name == "flask") EXPECT_EQ(p.purl, "pkg:pypi/flask@" + p.version);
}

TEST(RealLanguageTest, GoBinaryModulesEqualGoVersionM) {
  int rc = 0;
  Shell("command -v go", &rc);
  if (rc != 0) GTEST_SKIP() << "no go toolchain (apt-get install golang)";
  std::string dir = distill::testing::TempDir();
  fs::create_directories(dir + "/src/lib");
  fs::create_directories(dir + "/root/usr/local/bin");
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/go.mod", "module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.2.3\n\n"
                                                   "replace example.com/lib => ./lib\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/lib\"\n)\n\n"
                                                    "func main() { fmt.Println(lib.Hello()) }\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/lib/go.mod", "module example.com/lib\n\ngo 1.19\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/lib/lib.go", "package lib\n\nfunc Hello() string { return \"hi\" }\n").ok());
  std::string env = "cd '" + dir + "/src' && GOFLAGS=-mod=mod GOPROXY=off GOCACHE='" + dir + "/cache' GOPATH='" + dir + "/gopath' ";
  std::string log = Shell(env + "go build -o '" + dir + "/root/usr/local/bin/app' . 2>&1", &rc);
  ASSERT_EQ(rc, 0) << log;
  // The oracle: go version -m, as "path version" for mod/dep (a "=>" line replaces its dep).
  std::string m = Shell(env + "go version -m '" + dir + "/root/usr/local/bin/app'", &rc);
  ASSERT_EQ(rc, 0);
  std::vector<std::pair<std::string, std::string>> mods;
  std::string go_version;
  std::vector<std::string> ordered;  // Lines() is a set; the "=>" line must follow its dep
  for (size_t pos = 0, nl; pos < m.size(); pos = nl + 1) {
    nl = m.find('\n', pos);
    if (nl == std::string::npos) nl = m.size();
    ordered.push_back(m.substr(pos, nl - pos));
  }
  for (const std::string& line : ordered) {
    std::vector<std::string> f;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string l = line.substr(line.find_first_not_of(" \t"));
    for (size_t start = 0; start <= l.size();) {
      size_t tab = l.find('\t', start);
      if (tab == std::string::npos) tab = l.size();
      f.push_back(l.substr(start, tab - start));
      start = tab + 1;
    }
    if (line.find(": go") != std::string::npos) go_version = line.substr(line.find(": go") + 2);
    if ((f[0] == "mod" || f[0] == "dep") && f.size() >= 3) mods.emplace_back(f[1], f[2]);
    if (f[0] == "=>" && !mods.empty()) {  // a local directory keeps the required path, version "(devel)"
      bool local = f[1].starts_with(".") || f[1].starts_with("/");
      if (!local) mods.back().first = f[1];
      mods.back().second = f.size() >= 3 && !f[2].empty() ? f[2] : "(devel)";
    }
  }
  S want;
  for (const auto& [path, version] : mods) want.insert(path + "@" + version);
  want.insert("stdlib@" + go_version);
  Catalog c = CatalogDir(dir + "/root", false);
  EXPECT_EQ(Of(c, "go-module"), want);
  EXPECT_TRUE(want.count("example.com/lib@(devel)"));
}

TEST(RealLanguageTest, JarBuiltHereHasItsMavenCoordinates) {
  int rc = 0;
  Shell("command -v javac && command -v jar", &rc);
  if (rc != 0) GTEST_SKIP() << "no JDK (apt-get install default-jdk-headless)";
  std::string dir = distill::testing::TempDir();
  fs::create_directories(dir + "/src/META-INF/maven/org.example/hello");
  fs::create_directories(dir + "/war/WEB-INF/lib");
  fs::create_directories(dir + "/root/srv");
  ASSERT_TRUE(WriteFileAtomic(dir + "/Hello.java", "public class Hello { public static void main(String[] a) {} }\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/META-INF/maven/org.example/hello/pom.properties",
                              "#Generated by Maven\ngroupId=org.example\nartifactId=hello\nversion=1.4.2\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/manifest.txt", "Implementation-Title: hello\nImplementation-Version: 1.4.2\n").ok());
  std::string log = Shell("cd '" + dir + "' && javac -d src Hello.java && jar cfm war/WEB-INF/lib/hello-1.4.2.jar manifest.txt -C src . && "
                          "cp war/WEB-INF/lib/hello-1.4.2.jar root/srv/ && jar cf root/srv/app.war -C war . 2>&1", &rc);
  ASSERT_EQ(rc, 0) << log;
  Catalog c = CatalogDir(dir + "/root", false);
  S purls;
  for (const Package& p : c.packages)
    if (p.type == "java-archive") purls.insert(p.locations[0].path + " " + p.purl);
  // app.war has no metadata: named from its file name.
  EXPECT_EQ(purls, (S{"srv/app.war pkg:maven/app/app", "srv/app.war:WEB-INF/lib/hello-1.4.2.jar pkg:maven/org.example/hello@1.4.2",
                      "srv/hello-1.4.2.jar pkg:maven/org.example/hello@1.4.2"}));
}

}  // namespace
}  // namespace distill::catalog
