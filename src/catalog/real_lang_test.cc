// Language catalogers on real inputs, each checked against the ecosystem's own tool:
//  - the python3+flask Debian rootfs: pip packages == importlib.metadata over the same site dirs
//    (names as declared, "Flask"; PEP 503 names only in the purls);
//  - a Go binary built here with Debian's golang (local replace, stdlib only, offline): modules ==
//    `go version -m`;
//  - a jar built here with javac/jar carrying META-INF/maven pom.properties, nested in a war;
//  - Debian's jars, with and without coordinates, nested in and exploded into a war.
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

// "location name@version purl" of every java-archive package.
S JavaPackages(const Catalog& c) {
  S out;
  for (const Package& p : c.packages)
    if (p.type == "java-archive")
      out.insert(p.locations[0].path + " " + p.name + "@" + p.version + " " + p.purl);
  return out;
}

TEST(RealLanguageTest, PyflaskPipPackagesEqualImportlibMetadata) {
  std::string root = ImagesDir() + "/rootfs-pyflask";
  if (!fs::exists(root)) GTEST_SKIP() << root << " missing (scripts/make-test-images.sh)";
  // Every site directory of the rootfs, as the rootfs's interpreter would search them.
  std::string dirs =
      Shell("cd '" + root +
            "' && find . -type d \\( -name site-packages -o -name dist-packages \\) | sort");
  std::string paths;
  for (const std::string& d : Lines(dirs)) paths += "'" + root + "/" + d.substr(2) + "',";
  int rc = 0;
  // name@version as the metadata declares it, then the PEP 503 purl name.
  std::string oracle = Shell(
      "python3 -c \"import importlib.metadata as m, re\n"
      "for d in m.distributions(path=[" +
          paths +
          "]):\n"
          "  print(d.metadata['Name'] + '@' + d.version + ' pkg:pypi/' + re.sub(r'[-_.]+', '-', "
          "d.metadata['Name']).lower() + '@' + d.version)\"",
      &rc);
  ASSERT_EQ(rc, 0);
  S want, want_purls;
  for (const std::string& line : Lines(oracle)) {
    want.insert(line.substr(0, line.find(' ')));
    want_purls.insert(line.substr(line.find(' ') + 1));
  }
  ASSERT_GE(want.size(), 7u);  // flask, werkzeug, jinja2, markupsafe, itsdangerous, click, colorama
  // Debian's python3-* packages own them all: reported once, as debs...
  Catalog plain = CatalogDir(root, false);
  EXPECT_TRUE(Of(plain, "python").empty());
  // ... and with --keep-owned, each pip package next to its deb, linked by "owns".
  Catalog kept = CatalogDir(root, true);
  EXPECT_EQ(Of(kept, "python"), want);
  int owns = 0;
  for (const Relationship& r : kept.relationships)
    owns += r.type == "owns" && r.to.starts_with("python/");
  EXPECT_EQ(owns, static_cast<int>(want.size()));
  S purls;
  for (const Package& p : kept.packages)
    if (p.type == "python") purls.insert(p.purl);
  EXPECT_EQ(purls, want_purls);
  EXPECT_TRUE(want.count("Flask@2.2.2") && want.count("MarkupSafe@2.1.2"))
      << "the rootfs changed: Debian 12's python3-flask";
}

TEST(RealLanguageTest, GoBinaryModulesEqualGoVersionM) {
  int rc = 0;
  Shell("command -v go", &rc);
  if (rc != 0) GTEST_SKIP() << "no go toolchain (apt-get install golang)";
  std::string dir = distill::testing::TempDir();
  fs::create_directories(dir + "/src/lib");
  fs::create_directories(dir + "/root/usr/local/bin");
  ASSERT_TRUE(
      WriteFileAtomic(dir + "/src/go.mod",
                      "module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.2.3\n\n"
                      "replace example.com/lib => ./lib\n")
          .ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/main.go",
                              "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/lib\"\n)\n\n"
                              "func main() { fmt.Println(lib.Hello()) }\n")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/lib/go.mod", "module example.com/lib\n\ngo 1.19\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/src/lib/lib.go",
                              "package lib\n\nfunc Hello() string { return \"hi\" }\n")
                  .ok());
  std::string env = "cd '" + dir + "/src' && GOFLAGS=-mod=mod GOPROXY=off GOCACHE='" + dir +
                    "/cache' GOPATH='" + dir + "/gopath' ";
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
    if (f[0] == "=>" &&
        !mods.empty()) {  // a local directory keeps the required path, version "(devel)"
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
  ASSERT_TRUE(WriteFileAtomic(dir + "/Hello.java",
                              "public class Hello { public static void main(String[] a) {} }\n")
                  .ok());
  ASSERT_TRUE(
      WriteFileAtomic(dir + "/src/META-INF/maven/org.example/hello/pom.properties",
                      "#Generated by Maven\ngroupId=org.example\nartifactId=hello\nversion=1.4.2\n")
          .ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/manifest.txt",
                              "Implementation-Title: hello\nImplementation-Version: 1.4.2\n")
                  .ok());
  std::string log = Shell(
      "cd '" + dir +
          "' && javac -d src Hello.java && jar cfm war/WEB-INF/lib/hello-1.4.2.jar manifest.txt -C "
          "src . && "
          "cp war/WEB-INF/lib/hello-1.4.2.jar root/srv/ && jar cf root/srv/app.war -C war . 2>&1",
      &rc);
  ASSERT_EQ(rc, 0) << log;
  Catalog c = CatalogDir(dir + "/root", false);
  // app.war has no metadata: named from its file name, and without a purl (no groupId to put in
  // one).
  EXPECT_EQ(
      JavaPackages(c),
      (S{"srv/app.war app@ ",
         "srv/app.war:WEB-INF/lib/hello-1.4.2.jar hello@1.4.2 pkg:maven/org.example/hello@1.4.2",
         "srv/hello-1.4.2.jar hello@1.4.2 pkg:maven/org.example/hello@1.4.2"}));
}

// Debian's own jars (default-jre-headless, libmaven3-core-java and their dependencies): jars
// without Maven coordinates (aopalliance, gettext) get no purl; a war built here with `jar`
// nests real jars (their own coordinates, at outer:inner) and carries two exploded jars under
// WEB-INF/classes/, whose pom.properties are found there.
TEST(RealLanguageTest, DebianJarsNestedAndExplodedInAWar) {
  const std::string java = "/usr/share/java";
  int rc = 0;
  Shell("command -v jar && command -v unzip && cd " + java +
            " && ls aopalliance-1.0.jar gettext.jar commons-io.jar guava.jar commons-lang3.jar "
            "wagon-http-shaded-3.5.3.jar",
        &rc);
  if (rc != 0)
    GTEST_SKIP() << "no jar/unzip or Debian jars (apt-get install default-jdk-headless unzip "
                    "libmaven3-core-java)";
  // The oracle for the jars with coordinates: each pom.properties in them, as unzip reads it.
  auto coordinates = [&](const std::string& jar) {
    S out;
    for (const std::string& path :
         Lines(Shell("unzip -Z1 " + java + "/" + jar + " | grep 'pom.properties$'"))) {
      std::string props = "\n" + Shell("unzip -p " + java + "/" + jar + " '" + path + "'");
      auto value = [&](const std::string& key) {
        size_t at = props.find("\n" + key + "=");
        if (at == std::string::npos) return std::string();
        size_t start = at + key.size() + 2;
        return props.substr(start, props.find_first_of("\r\n", start) - start);
      };
      out.insert(value("artifactId") + "@" + value("version") + " pkg:maven/" + value("groupId") +
                 "/" + value("artifactId") + "@" + value("version"));
    }
    return out;
  };
  S io = coordinates("commons-io.jar"), guava = coordinates("guava.jar"),
    lang = coordinates("commons-lang3.jar");
  S shaded = coordinates("wagon-http-shaded-3.5.3.jar");
  ASSERT_EQ(io,
            S{"commons-io@2.11.0 pkg:maven/commons-io/commons-io@2.11.0"});  // Debian 12's
                                                                             // libcommons-io-java
  ASSERT_EQ(shaded.size(),
            5u);  // wagon-http, wagon-http-shared, httpclient, httpcore, commons-codec
  std::string dir = distill::testing::TempDir();
  fs::create_directories(dir + "/war/WEB-INF/lib");
  fs::create_directories(dir + "/war/WEB-INF/classes");
  fs::create_directories(dir + "/root/srv");
  std::string log = Shell("set -e; cd '" + dir + "'; cp -L " + java + "/aopalliance-1.0.jar " +
                              java + "/gettext.jar " + java +
                              "/wagon-http-shaded-3.5.3.jar root/srv/; "
                              "cp -L " +
                              java +
                              "/commons-lang3.jar war/WEB-INF/lib/commons-lang3-3.12.0.jar; "
                              "cp -L " +
                              java +
                              "/aopalliance-1.0.jar war/WEB-INF/lib/; "
                              "cd war/WEB-INF/classes && unzip -oq " +
                              java + "/commons-io.jar && unzip -oq " + java +
                              "/guava.jar && cd ../../..; "
                              "jar cf root/srv/app.war -C war . 2>&1",
                          &rc);
  ASSERT_EQ(rc, 0) << log;
  Catalog c = CatalogDir(dir + "/root", false);
  S want{"srv/aopalliance-1.0.jar aopalliance@1.0 ", "srv/gettext.jar gettext@ ",
         "srv/app.war app@ ", "srv/app.war:WEB-INF/lib/aopalliance-1.0.jar aopalliance@1.0 ",
         // a shaded jar: its own name from the manifest and file name (no groupId), and the five it
         // shades
         "srv/wagon-http-shaded-3.5.3.jar wagon-http-shaded@3.5.3 "};
  for (const std::string& x : io) want.insert("srv/app.war " + x);
  for (const std::string& x : guava) want.insert("srv/app.war " + x);
  for (const std::string& x : lang)
    want.insert("srv/app.war:WEB-INF/lib/commons-lang3-3.12.0.jar " + x);
  for (const std::string& x : shaded) want.insert("srv/wagon-http-shaded-3.5.3.jar " + x);
  EXPECT_EQ(JavaPackages(c), want);
}

}  // namespace
}  // namespace distill::catalog
