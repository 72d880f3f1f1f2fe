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

std::string Read(const std::string& rel) { return ReadFile(FixtureDir() + "/anchore_syft/syft/pkg/cataloger/" + rel).value(); }

TEST(DotnetCatalogerTest, DepsJson) {
  auto got = dotnet::ParseDepsJson(Read("dotnet/testdata/dir-example-1/TestLibrary.deps.json"), {"", ""});
  ASSERT_TRUE(got.ok());
  V purls;
  for (const Package& p : *got) purls.push_back(p.purl);
  std::sort(purls.begin(), purls.end());
  EXPECT_EQ(purls, (V{"pkg:nuget/AWSSDK.Core@3.7.10.6", "pkg:nuget/Microsoft.Extensions.DependencyInjection.Abstractions@6.0.0",
                      "pkg:nuget/Microsoft.Extensions.DependencyInjection@6.0.0",
                      "pkg:nuget/Microsoft.Extensions.Logging.Abstractions@6.0.0", "pkg:nuget/Microsoft.Extensions.Logging@6.0.0",
                      "pkg:nuget/Microsoft.Extensions.Options@6.0.0", "pkg:nuget/Microsoft.Extensions.Primitives@6.0.0",
                      "pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/Serilog.Sinks.Console@4.0.1", "pkg:nuget/Serilog@2.10.0",
                      "pkg:nuget/System.Diagnostics.DiagnosticSource@6.0.0",
                      "pkg:nuget/System.Runtime.CompilerServices.Unsafe@6.0.0", "pkg:nuget/TestCommon@1.0.0",
                      "pkg:nuget/TestLibrary@1.0.0"}));
  for (const Package& p : *got)
    if (p.name == "AWSSDK.Core")
      EXPECT_EQ(std::get<LanguageMetadata>(p.metadata).integrity,
                "sha512-kHBB+QmosVaG6DpngXQ8OlLVVNMzltNITfsRr68Z90qO7dSqJ2EHNd8dtBU1u3AQQLqqFHOY0lfmbpexeH6Pew==");
}

TEST(DotnetCatalogerTest, ReferenceAssembliesAreSkipped) {
  auto got = dotnet::ParseDepsJson(Read("dotnet/testdata/deps-with-referenceassembly/MyApp.deps.json"), {"", ""});
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

TEST(PhpCatalogerTest, InstalledJsonComposer1And2) {
  for (const char* f : {"php/testdata/vendor/composer_1/installed.json", "php/testdata/vendor/composer_2/installed.json"}) {
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
  auto files = testing::IndexFromFiles({{"usr/local/bundle/specifications/bundler-2.1.4.gemspec", Read("ruby/testdata/bundler.gemspec")},
                                        {"app/bundler.gemspec", Read("ruby/testdata/bundler.gemspec")}});
  Found found = ruby::Catalog(files, Distro{});
  ASSERT_EQ(found.packages.size(), 1u);  // only installed specifications
}

}  // namespace
}  // namespace distill::catalog
