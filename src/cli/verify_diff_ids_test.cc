// `--verify-diff-ids` end to end, through the real binary: an OCI layout whose config names a
// diff_id its gzip layer's tar does not have is read by default (the blobs' digests all match)
// and refused with the flag, before and after the command name, as docker pull refuses it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/digest.h"

namespace distill::cli {
namespace {

using ::testing::HasSubstr;

TEST(VerifyDiffIdsCli, ConfigThatMisnamesATarIsRefusedOnlyWhenAsked) {
  testing::TestImage img;
  img.tag = "app";
  img.layers.push_back(testing::Layer("dir etc\nfile etc/os-release 0644 ID=test\n"));
  img.layers[0].config_diff_id = Sha256Digest("another tar");
  const std::string dir = testing::TempDir() + "/layout";
  testing::WriteDir(dir, testing::OciLayoutFiles({img}));
  const std::string bin = std::string(DISTILL_BINARY) + " ";

  testing::Ran plain = testing::Run(bin + "ls oci-dir:" + dir);
  EXPECT_EQ(plain.rc, 0) << plain.err;
  EXPECT_THAT(plain.out, HasSubstr("etc/os-release"));

  for (const std::string& args : {"--verify-diff-ids ls oci-dir:" + dir, "ls --verify-diff-ids oci-dir:" + dir}) {
    testing::Ran checked = testing::Run(bin + args);
    EXPECT_EQ(checked.rc, 2) << args;
    EXPECT_THAT(checked.err, HasSubstr("diff_id mismatch: config says " + ShortDigest(Sha256Digest("another tar")))) << args;
    EXPECT_EQ(checked.out, "") << args;
  }
}

}  // namespace
}  // namespace distill::cli
