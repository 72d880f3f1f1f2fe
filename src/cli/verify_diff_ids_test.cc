// `--verify-diff-ids` end to end, through the real binary: an OCI layout whose config names a
// diff_id its gzip layer's tar does not have is read by default (the blobs' digests all match)
// and refused with the flag, before and after the command name, as docker pull refuses it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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
  // (with the flag, verified pairs go to the cache: a test's own, not the user's)
  const std::string bin = "env DISTILL_CACHE=" + testing::TempDir() + " " + DISTILL_BINARY + " ";

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

// `inspect -o json` says which diff_ids were checked: a gzip layer's only with the flag, a
// plain-tar layer's always (its digest is the same hash).
TEST(VerifyDiffIdsCli, InspectSaysWhetherEachDiffIdWasVerified) {
  testing::TestImage img;
  img.tag = "app";
  img.layers.push_back(testing::Layer("dir etc\nfile etc/os-release 0644 ID=test\n"));
  img.layers.push_back(testing::Layer("file etc/motd 0644 hi\n", image::Compression::kNone));
  const std::string dir = testing::TempDir() + "/layout";
  testing::WriteDir(dir, testing::OciLayoutFiles({img}));
  const std::string bin = "env DISTILL_CACHE=" + testing::TempDir() + " " + DISTILL_BINARY + " ";
  auto verified = [&](const std::string& flags) {
    testing::Ran r = testing::Run(bin + flags + " inspect -o json oci-dir:" + dir);
    EXPECT_EQ(r.rc, 0) << r.err;
    std::vector<bool> out;
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    for (const auto& l : doc.at("layers")) {
      EXPECT_EQ(l.at("diff_id"), Sha256Digest(img.layers[out.size()].tar));
      out.push_back(l.at("diff_id_verified").get<bool>());
    }
    return out;
  };
  EXPECT_EQ(verified(""), (std::vector<bool>{false, true}));
  EXPECT_EQ(verified("--verify-diff-ids"), (std::vector<bool>{true, true}));
}

}  // namespace
}  // namespace distill::cli
