// ParseRequirements on requirements files two projects ship (testdata/PROVENANCE.md: urllib3's
// and charset_normalizer's dev-requirements.txt), expected packages from pip's own parser. syft's
// fixture and hand-written edge cases: declared_test.cc (PythonDeclaredTest).
#include <gtest/gtest.h>

#include "catalog/python/declared.h"
#include "util/file.h"

namespace distill::catalog::python {
namespace {

using V = std::vector<std::string>;

// "declared-name version purl" per package.
V Rows(const std::string& file) {
  std::string path = std::string(DISTILL_SOURCE_DIR) + "/src/catalog/python/testdata/" + file;
  auto got = ParseRequirements(ReadFile(path).value(), {file, "sha256:test"});
  EXPECT_TRUE(got.ok());
  V out;
  if (!got.ok()) return out;
  for (const Package& p : *got) {
    out.push_back(p.name + " " + p.version + " " + p.purl);
    EXPECT_EQ(p.type, "python");
    EXPECT_EQ(p.found_by, "python-package-cataloger");
    EXPECT_EQ(p.locations, (std::vector<image::Location>{{file, "sha256:test"}}));
  }
  return out;
}

// Markers with and without a space before ';', "name @ git+url" (no pin: skipped), comments.
TEST(PythonRequirementsTest, RealUrllib3DevRequirements) {
  EXPECT_EQ(
      Rows("urllib3-dev-requirements.txt"),
      (V{"h2 4.1.0 pkg:pypi/h2@4.1.0", "coverage 7.4.1 pkg:pypi/coverage@7.4.1",
         "PySocks 1.7.1 pkg:pypi/pysocks@1.7.1", "pytest 8.0.2 pkg:pypi/pytest@8.0.2",
         "pytest-timeout 2.1.0 pkg:pypi/pytest-timeout@2.1.0",
         "pyOpenSSL 24.0.0 pkg:pypi/pyopenssl@24.0.0", "idna 3.7 pkg:pypi/idna@3.7",
         "cryptography 42.0.4 pkg:pypi/cryptography@42.0.4",
         "backports.zoneinfo 0.2.1 pkg:pypi/backports-zoneinfo@0.2.1",
         "towncrier 23.6.0 pkg:pypi/towncrier@23.6.0",
         "pytest-memray 1.5.0 pkg:pypi/pytest-memray@1.5.0", "trio 0.25.0 pkg:pypi/trio@0.25.0",
         "Quart 0.19.4 pkg:pypi/quart@0.19.4", "quart-trio 0.11.1 pkg:pypi/quart-trio@0.11.1",
         "httpx 0.25.2 pkg:pypi/httpx@0.25.2", "pytest-socket 0.7.0 pkg:pypi/pytest-socket@0.7.0",
         "cffi 1.17.0rc1 pkg:pypi/cffi@1.17.0rc1"}));
}

// --find-links (an option line), ranges (no pin), one name pinned three times under markers:
// each pin is a package, as pip's parser reads each line.
TEST(PythonRequirementsTest, RealCharsetNormalizerDevRequirements) {
  EXPECT_EQ(Rows("charset-normalizer-dev-requirements.txt"),
            (V{"flake8 5.0.4 pkg:pypi/flake8@5.0.4", "chardet 5.1.0 pkg:pypi/chardet@5.1.0",
               "isort 5.11.4 pkg:pypi/isort@5.11.4", "codecov 2.1.13 pkg:pypi/codecov@2.1.13",
               "pytest-cov 4.1.0 pkg:pypi/pytest-cov@4.1.0", "wheel 0.42.0 pkg:pypi/wheel@0.42.0",
               "black 23.3.0 pkg:pypi/black@23.3.0", "mypy 1.11.2 pkg:pypi/mypy@1.11.2",
               "mypy 1.12.0 pkg:pypi/mypy@1.12.0", "mypy 1.4.1 pkg:pypi/mypy@1.4.1",
               "Flask 2.2.3 pkg:pypi/flask@2.2.3", "requests 2.31.0 pkg:pypi/requests@2.31.0"}));
}

}  // namespace
}  // namespace distill::catalog::python
