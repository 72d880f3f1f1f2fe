// `distill sbom dir:` run as a user who may not read every directory (a root-owned rootfs read by
// a nonroot container): the unreadable directory is skipped with a warning naming it, as syft and
// trivy skip it, and the packages elsewhere are still listed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::cli {
namespace {

using ::testing::HasSubstr;

TEST(SbomCli, DirectoryTheUserMayNotOpenIsSkippedWithAWarning) {
  std::string base = testing::TempDir(), root = base + "/rootfs";
  ASSERT_EQ(
      testing::Run("mkdir -p " + root + "/var/lib/dpkg " + root + "/root/secret && chmod 0755 " +
                   base + " " + root + " && chmod 0700 " + root + "/root")
          .rc,
      0);
  ASSERT_TRUE(
      WriteFileAtomic(
          root + "/var/lib/dpkg/status",
          "Package: hello\nStatus: install ok installed\nVersion: 2.10-3\nArchitecture: amd64\n\n")
          .ok());
  // As nobody (setpriv, util-linux): /root is 0700 and root's.
  testing::Ran ran = testing::Run("setpriv --reuid=65534 --regid=65534 --clear-groups " +
                                  std::string(DISTILL_BINARY) + " sbom dir:" + root);
  EXPECT_EQ(ran.rc, 0) << ran.err;
  EXPECT_THAT(ran.out, HasSubstr("hello"));
  EXPECT_THAT(ran.err, HasSubstr("warning: " + root +
                                 "/root: cannot open directory: Permission denied (skipped"));
  // The root directory itself unreadable is still an error: there is nothing to list.
  testing::Ran none = testing::Run("chmod 0700 " + root +
                                   " && setpriv --reuid=65534 --regid=65534 --clear-groups " +
                                   std::string(DISTILL_BINARY) + " sbom dir:" + root);
  EXPECT_EQ(none.rc, 2);
  EXPECT_EQ(none.out, "");
}

}  // namespace
}  // namespace distill::cli
