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

// An image whose first layer is gzip (diff_id as `config_diff_id` names it, "" = its own) and
// whose second, if `plain_tar`, is an uncompressed tar; written as an OCI layout.
struct Layout {
  testing::TestImage img;
  std::string dir = testing::TempDir() + "/layout";
  explicit Layout(std::string config_diff_id, bool plain_tar = false) {
    img.tag = "app";
    img.layers.push_back(testing::Layer("dir etc\nfile etc/os-release 0644 ID=test\n"));
    img.layers[0].config_diff_id = std::move(config_diff_id);
    if (plain_tar)
      img.layers.push_back(testing::Layer("file etc/motd 0644 hi\n", image::Compression::kNone));
    testing::WriteDir(dir, testing::OciLayoutFiles({img}));
  }
};

// The binary; with the flag, verified pairs go to the cache: a test's own, not the user's.
testing::Ran Distill(const std::string& args) {
  return testing::Run("env DISTILL_CACHE=" + testing::TempDir() + " " + DISTILL_BINARY + " " +
                      args);
}

TEST(VerifyDiffIdsCli, ConfigThatMisnamesATarIsRefusedOnlyWhenAsked) {
  const std::string wrong = Sha256Digest("another tar");
  Layout layout(wrong);

  testing::Ran plain = Distill("ls oci-dir:" + layout.dir);
  EXPECT_EQ(plain.rc, 0) << plain.err;
  EXPECT_THAT(plain.out, HasSubstr("etc/os-release"));

  for (const std::string& args : {"--verify-diff-ids ls oci-dir:" + layout.dir,
                                  "ls --verify-diff-ids oci-dir:" + layout.dir}) {
    testing::Ran checked = Distill(args);
    EXPECT_EQ(checked.rc, 2) << args;
    EXPECT_THAT(checked.err, HasSubstr("diff_id mismatch: config says " + ShortDigest(wrong)))
        << args;
    EXPECT_EQ(checked.out, "") << args;
  }
}

// `inspect -o json` says which diff_ids were checked: a gzip layer's only with the flag, a
// plain-tar layer's always (its digest is the same hash).
TEST(VerifyDiffIdsCli, InspectSaysWhetherEachDiffIdWasVerified) {
  Layout layout("", /*plain_tar=*/true);
  auto verified = [&](const std::string& flags) {
    testing::Ran r = Distill(flags + " inspect -o json oci-dir:" + layout.dir);
    EXPECT_EQ(r.rc, 0) << r.err;
    std::vector<bool> out;
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    for (const auto& l : doc.at("layers")) {
      EXPECT_EQ(l.at("diff_id"), Sha256Digest(layout.img.layers[out.size()].tar));
      out.push_back(l.at("diff_id_verified").get<bool>());
    }
    return out;
  };
  EXPECT_EQ(verified(""), (std::vector<bool>{false, true}));
  EXPECT_EQ(verified("--verify-diff-ids"), (std::vector<bool>{true, true}));
}

}  // namespace
}  // namespace distill::cli
