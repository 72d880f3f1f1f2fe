// ParsePipfileLock on the Pipfile.lock pipenv wrote for python-rsa 4.5 (testdata/PROVENANCE.md),
// every package, expected from json.load; its errors on broken JSON. Hand-written lock files in
// poetry's and uv's shapes: declared_test.cc (PythonDeclaredTest).
#include <gtest/gtest.h>

#include "catalog/python/declared.h"
#include "util/file.h"

namespace distill::catalog::python {
namespace {

using V = std::vector<std::string>;

std::string RsaLock() {
  return ReadFile(std::string(DISTILL_SOURCE_DIR) + "/src/catalog/python/testdata/rsa-Pipfile.lock")
      .value();
}

// "default" then "develop", each in key order; versions without their "==".
TEST(PythonLocksTest, RealRsaPipfileLock) {
  auto got = ParsePipfileLock(RsaLock(), {"Pipfile.lock", "sha256:test"});
  ASSERT_TRUE(got.ok()) << got.error().message;
  V rows;
  for (const Package& p : *got) rows.push_back(p.name + "@" + p.version);
  EXPECT_EQ(rows, (V{"pyasn1@0.4.4",
                     "alabaster@0.7.12",
                     "appdirs@1.4.3",
                     "atomicwrites@1.3.0",
                     "attrs@19.3.0",
                     "babel@2.8.0",
                     "certifi@2020.4.5.1",
                     "chardet@3.0.4",
                     "coverage@5.1",
                     "coveralls@1.5.0",
                     "distlib@0.3.0",
                     "docopt@0.6.2",
                     "docutils@0.16",
                     "filelock@3.0.12",
                     "idna@2.9",
                     "imagesize@1.2.0",
                     "importlib-metadata@1.6.0",
                     "importlib-resources@1.5.0",
                     "jinja2@2.11.2",
                     "markupsafe@1.1.1",
                     "mock@2.0.0",
                     "more-itertools@8.2.0",
                     "packaging@20.3",
                     "pathlib2@2.3.5",
                     "pbr@5.4.5",
                     "pluggy@0.13.1",
                     "py@1.8.1",
                     "pygments@2.6.1",
                     "pyparsing@2.4.7",
                     "pytest@3.8.0",
                     "pytest-cov@2.6.0",
                     "pytz@2019.3",
                     "requests@2.23.0",
                     "six@1.14.0",
                     "snowballstemmer@2.0.0",
                     "sphinx@1.8.0",
                     "sphinxcontrib-websupport@1.2.1",
                     "toml@0.10.0",
                     "tox@3.3.0",
                     "urllib3@1.24.2",
                     "virtualenv@20.0.18",
                     "zipp@3.1.0"}));
  EXPECT_EQ(got->front().purl, "pkg:pypi/pyasn1@0.4.4");
  EXPECT_EQ(got->front().type, "python");
  EXPECT_EQ(got->front().found_by, "python-package-cataloger");
}

// Cut anywhere, the lock is no JSON object: one error naming the file, never a partial list.
TEST(PythonLocksTest, TruncatedPipfileLockIsAnError) {
  std::string lock = RsaLock();
  for (size_t cut : {size_t{0}, size_t{1}, lock.size() / 3, lock.size() / 2, lock.size() - 2}) {
    SCOPED_TRACE(cut);
    auto got = ParsePipfileLock(lock.substr(0, cut), {"Pipfile.lock", ""});
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().message, "Pipfile.lock: not a JSON object");
  }
  // Sections that are not objects, and entries without a string version, give nothing.
  auto odd = ParsePipfileLock(
      R"({"default": [], "develop": {"a": {"version": 1}, "b": "==1", "c": {"version": "=="}}})",
      {"Pipfile.lock", ""});
  ASSERT_TRUE(odd.ok());
  EXPECT_TRUE(odd->empty());
}

}  // namespace
}  // namespace distill::catalog::python
