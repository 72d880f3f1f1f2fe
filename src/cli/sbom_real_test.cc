// `distill sbom` end to end on the real test images: every source kind gives the same packages,
// they equal dpkg-query on the rootfs, and every JSON output validates against its official schema.
#include <cstdio>
#include <cstdlib>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::cli {
namespace {

using distill::testing::Shell;

std::set<std::string> Packages(const std::string& distill_json) {
  std::set<std::string> s;
  auto j = nlohmann::json::parse(distill_json);
  for (const auto& p : j["packages"])
    s.insert(p["name"].get<std::string>() + "\t" + p["version"].get<std::string>() + "\t" +
             p["arch"].get<std::string>());
  return s;
}

TEST(RealSbomCli, EverySourceEqualsDpkgQuery) {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  ASSERT_NE(env, nullptr) << "DISTILL_TEST_IMAGES is not set: run through ctest (test 'real')";
  std::string d = env;
  std::set<std::string> want;
  std::string q = Shell("dpkg-query --admindir=" + d +
                        "/rootfs-pyflask/var/lib/dpkg -W "
                        "-f='${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n'");
  for (size_t i = 0; i < q.size();) {
    size_t nl = q.find('\n', i);
    std::string line = q.substr(i, nl - i);
    if (line.starts_with("installed\t")) want.insert(line.substr(10));
    i = nl + 1;
  }
  ASSERT_GT(want.size(), 100u);
  for (std::string src : {"docker-archive:" + d + "/pyflask.docker.tar",
                          "oci-archive:" + d + "/pyflask.oci.tar", "oci-dir:" + d + "/oci:pyflask",
                          "oci-dir:" + d + "/oci-zstd", "dir:" + d + "/rootfs-pyflask"}) {
    SCOPED_TRACE(src);
    int rc = 0;
    std::string out =
        Shell(std::string(DISTILL_BINARY) + " sbom -q -o distill-json '" + src + "'", &rc);
    ASSERT_EQ(rc, 0);
    EXPECT_EQ(Packages(out), want);
  }
}

TEST(RealSbomCli, OutputsValidateAgainstOfficialSchemas) {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  ASSERT_NE(env, nullptr);
  std::string dir = testing::TempDir();
  std::string src = std::string(env) + "/pyflask.oci.tar";
  int rc = 0;
  Shell(std::string(DISTILL_BINARY) + " sbom -q -o spdx-json=" + dir +
            "/a.spdx.json -o cyclonedx-json=" + dir + "/a.cdx.json -o cyclonedx-json@1.5=" + dir +
            "/a.cdx15.json -o distill-json=" + dir + "/a.distill.json " + src,
        &rc);
  ASSERT_EQ(rc, 0);
  std::string v = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/schemas/validate.py";
  struct {
    const char* schema;
    const char* doc;
  } cases[] = {
      {"spdx/spdx-schema-v2.3.json", "a.spdx.json"},
      {"cyclonedx/bom-1.6.schema.json", "a.cdx.json"},
      {"cyclonedx/bom-1.5.schema.json", "a.cdx15.json"},
      {(std::string(DISTILL_SOURCE_DIR) + "/doc/formats/distill-json-1.schema.json").c_str(),
       "a.distill.json"},
  };
  std::string distill_schema =
      std::string(DISTILL_SOURCE_DIR) + "/doc/formats/distill-json-1.schema.json";
  cases[3].schema = distill_schema.c_str();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.doc);
    std::string out =
        Shell("python3 " + v + " " + c.schema + " " + dir + "/" + c.doc + " 2>&1", &rc);
    EXPECT_EQ(rc, 0) << out;
  }
  // Same input, same bytes.
  Shell(std::string(DISTILL_BINARY) + " sbom -q -o spdx-json=" + dir + "/b.spdx.json " + src, &rc);
  EXPECT_EQ(*ReadFile(dir + "/a.spdx.json"), *ReadFile(dir + "/b.spdx.json"));
}

}  // namespace
}  // namespace distill::cli
