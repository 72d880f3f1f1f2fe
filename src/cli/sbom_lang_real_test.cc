// `distill sbom --keep-owned` end to end on the real python3+flask image: by default Debian's
// python3-* are reported once (as debs); with the flag the pip packages appear too, with purls.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "testing/shell.h"

namespace distill::cli {
namespace {

using distill::testing::Shell;

TEST(RealSbomLanguages, KeepOwnedAddsTheOwnedPipPackages) {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  std::string tar =
      std::string(env && *env ? env : "/var/cache/distill/test-images") + "/pyflask.docker.tar";
  if (!std::filesystem::exists(tar)) GTEST_SKIP() << tar << " missing";
  std::string bin = DISTILL_BINARY;
  int rc = 0;
  std::string plain = Shell(bin + " sbom -q -o cyclonedx-json docker-archive:" + tar, &rc);
  ASSERT_EQ(rc, 0) << plain;
  EXPECT_EQ(plain.find("pypi"), std::string::npos);
  EXPECT_NE(plain.find("\"pkg:deb/debian/python3-flask@2.2.2-3?arch=all"), std::string::npos);
  std::string kept =
      Shell(bin + " sbom -q --keep-owned -o cyclonedx-json docker-archive:" + tar, &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_NE(kept.find("\"pkg:pypi/flask@2.2.2\""), std::string::npos);
  EXPECT_NE(kept.find("\"pkg:pypi/werkzeug@2.2.2\""), std::string::npos);
  EXPECT_NE(kept.find("\"pkg:deb/debian/python3-flask@2.2.2-3?arch=all"), std::string::npos);
  std::string os_only = Shell(
      bin + " sbom -q --keep-owned --no-languages -o cyclonedx-json docker-archive:" + tar, &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(os_only.find("pkg:pypi"), std::string::npos);
}

}  // namespace
}  // namespace distill::cli
