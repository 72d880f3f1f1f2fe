// Real: every JSON encoder's output validates against the official schemas (vendored in
// tests/fixtures/schemas/, see MANIFEST.md), checked by python3-jsonschema through
// tests/fixtures/schemas/validate.py on files written to a temporary directory.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "sbom/formats.h"
#include "sbom/testing/sample_sbom.h"

namespace distill::sbom {
namespace {

namespace fs = std::filesystem;

const std::string kSchemas = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/schemas/";

// The sample, plus the corners: nothing found, a dir: source (no digests, no distro), odd names.
std::vector<std::pair<std::string, Sbom>> Inputs() {
  std::vector<std::pair<std::string, Sbom>> out;
  out.emplace_back("sample", testing::SampleSbom());
  Sbom empty;
  empty.source = {"scratch.tar", "docker-archive", "sha256:" + std::string(64, 'a'), "", {}, ""};
  out.emplace_back("empty", empty);
  Sbom dir;
  dir.source = {"dir:/tmp/root fs", "dir", "", "", {}, ""};
  catalog::Package odd;
  odd.name = "odd name/with\"quotes\" & <ünïcode> \x01\xff";  // control char, invalid UTF-8
  odd.type = "deb";
  odd.licenses = {"", "(", "GPL-2.0-only OR", "LicenseRef-x", "Apache-2.0 WITH LLVM-exception"};
  odd.files = {{"etc/odd file", "sha256", std::string(64, 'B')},
               {"etc/unknown-alg", "crc32", "1234"}};
  odd.depends_on = {odd.name};  // itself: no self-edge
  catalog::Package py;
  py.name = "flask", py.type = "python";
  dir.catalog.packages = {odd, odd, py};  // and an exact duplicate
  dir.catalog.relationships = {{odd.id(), py.id(), "owns"}, {odd.id(), py.id(), "contains"}};
  out.emplace_back("dir", dir);
  return out;
}

struct Check {
  const char* spec;
  std::string schema;
};
const Check kChecks[] = {
    {"spdx-json@2.3", "spdx/spdx-schema-v2.3.json"},
    {"spdx-json@2.3", "spdx/spdx-schema-v2.3.1-support-branch.json"},
    {"cyclonedx-json@1.6", "cyclonedx/bom-1.6.schema.json"},
    {"cyclonedx-json@1.5", "cyclonedx/bom-1.5.schema.json"},
    {"distill-json@1", std::string(DISTILL_SOURCE_DIR) + "/doc/formats/distill-json-1.schema.json"},
};

TEST(RealSbomSchemas, EveryJsonOutputValidates) {
  ASSERT_EQ(std::system("python3 -c 'import jsonschema' 2>/dev/null"), 0)
      << "needs python3-jsonschema (Debian package)";
  fs::path dir = fs::path(::testing::TempDir()) / "distill-sbom-schemas";
  fs::create_directories(dir);
  for (const auto& [name, sbom] : Inputs()) {
    for (const Check& c : kChecks) {
      SCOPED_TRACE(name + " " + c.spec + " against " + c.schema);
      auto spec = ParseOutputSpec(c.spec);
      ASSERT_TRUE(spec.ok());
      auto bytes = EncodeToString(sbom, *spec);
      ASSERT_TRUE(bytes.ok()) << bytes.error().message;
      fs::path doc = dir / (name + "." + c.spec + ".json");
      std::ofstream(doc) << *bytes;
      fs::path log = dir / (name + "." + c.spec + ".log");
      std::string cmd = "python3 '" + kSchemas + "validate.py' '" + c.schema + "' '" +
                        doc.string() + "' > '" + log.string() + "' 2>&1";
      int rc = std::system(cmd.c_str());
      std::ifstream in(log);
      std::string errors((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(rc, 0) << errors;
    }
  }
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// CycloneDX XML against the official xsd with xmllint (Debian libxml2-utils). The xsd imports
// spdx.xsd by URL; as syft's schema/cyclonedx/README.md does, a copy points it at the local file.
TEST(RealSbomSchemas, CycloneDxXmlValidates) {
  ASSERT_EQ(std::system("xmllint --version >/dev/null 2>&1"), 0)
      << "needs xmllint (Debian libxml2-utils)";
  fs::path dir = fs::path(::testing::TempDir()) / "distill-sbom-xsd";
  fs::create_directories(dir);
  std::ofstream(dir / "spdx.xsd") << ReadAll(kSchemas + "cyclonedx/spdx.xsd");
  for (const char* version : {"1.6", "1.5"}) {
    std::string xsd = ReadAll(kSchemas + "cyclonedx/bom-" + version + ".xsd");
    const std::string remote = "schemaLocation=\"http://cyclonedx.org/schema/spdx\"";
    size_t at = xsd.find(remote);
    ASSERT_NE(at, std::string::npos);
    xsd.replace(at, remote.size(), "schemaLocation=\"spdx.xsd\"");
    std::ofstream(dir / (std::string("bom-") + version + ".xsd")) << xsd;
    for (const auto& [name, sbom] : Inputs()) {
      SCOPED_TRACE(name + " cyclonedx-xml@" + version);
      auto spec = ParseOutputSpec(std::string("cyclonedx-xml@") + version);
      ASSERT_TRUE(spec.ok());
      auto bytes = EncodeToString(sbom, *spec);
      ASSERT_TRUE(bytes.ok()) << bytes.error().message;
      fs::path doc = dir / (name + "." + version + ".xml"),
               log = dir / (name + "." + version + ".log");
      std::ofstream(doc) << *bytes;
      std::string cmd = "xmllint --noout --nonet --schema '" +
                        (dir / (std::string("bom-") + version + ".xsd")).string() + "' '" +
                        doc.string() + "' > '" + log.string() + "' 2>&1";
      EXPECT_EQ(std::system(cmd.c_str()), 0) << ReadAll(log);
    }
  }
}

}  // namespace
}  // namespace distill::sbom
