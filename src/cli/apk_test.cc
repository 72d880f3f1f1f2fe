// `distill apk verify`, run as a user runs it, on the real fixtures and on a tampered copy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "imagebuild/apk/testing/apk_fixture.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::cli {
namespace {

using imagebuild::apk::testing::FixturePath;
using ::testing::HasSubstr;

distill::testing::Ran Verify(const std::string& args) {
  return distill::testing::Run(std::string(DISTILL_BINARY) + " apk verify " + args);
}

TEST(ApkCliTest, EveryFileVerifiesExitsZero) {
  auto r = Verify("'" + FixturePath("alpine/v3.16-main-aarch64/alpine-baselayout-3.2.0-r23.apk") +
                  "' '" + FixturePath("apko-misc/rsa256-signed/APKINDEX.tar.gz") + "' --keyring '" +
                  FixturePath("keys/alpine") + "' --keyring '" +
                  FixturePath("apko-misc/rsa256-signed/test-rsa256.rsa.pub") + "'");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "OK    " + FixturePath("alpine/v3.16-main-aarch64/alpine-baselayout-3.2.0-r23.apk") +
          ": package alpine-baselayout 3.2.0-r23 aarch64 Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=: verified "
          "by alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub\n"));
  EXPECT_THAT(r.out, HasSubstr("OK    " + FixturePath("apko-misc/rsa256-signed/APKINDEX.tar.gz") +
                               ": index (1 packages): verified by test-rsa256.rsa.pub\n"));
  EXPECT_THAT(r.out, HasSubstr("2 of 2 verified (4 keys in the keyring)\n"));
}

TEST(ApkCliTest, UnsignedOrUntrustedOrTamperedExitsOne) {
  std::string dir = distill::testing::TempDir();
  std::string bytes = imagebuild::apk::testing::ReadFixture("wolfi/aarch64/wolfi-base-1-r1.apk");
  bytes[941 + 4] ^= 1;  // the data member's gzip mtime: datahash no longer holds
  ASSERT_TRUE(WriteFileAtomic(dir + "/wolfi-base.apk", bytes).ok());
  auto r = Verify("'" + FixturePath("apko-misc/hello-0.1.0-r0.apk") + "' '" +
                  FixturePath("apko-misc/odd/APKINDEX-sign-last.tar.gz") + "' '" +
                  FixturePath("wolfi/x86_64/ruby3.2-base64-0.2.0-r2.apk") + "' '" + dir +
                  "/wolfi-base.apk' --keyring '" + FixturePath("keys/alpine") + "'");
  EXPECT_EQ(r.rc, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr(": package hello 0.1.0-r0 x86_64 Q1DNWZeWkviN7MJedLpYM8yBvmnGM=: "
                               "unsigned (no .SIGN entry"));
  EXPECT_THAT(r.out, HasSubstr(": index v20210402-2123-gabcdef (2 packages): unsigned: its .SIGN "
                               "entry is stored after APKINDEX"));
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "ruby3.2-base64 0.2.0-r2 x86_64 Q1kQfQXs+MLbCqi4Tb9KF229uRI10=: "
          ".SIGN.RSA.wolfi-signing.rsa.pub: no trusted key: no key named wolfi-signing.rsa.pub"));
  EXPECT_THAT(r.out, HasSubstr("FAIL  " + dir +
                               "/wolfi-base.apk: datahash mismatch: .PKGINFO says ced32229"));
  EXPECT_THAT(r.out, HasSubstr("0 of 4 verified (3 keys in the keyring)\n"));
}

TEST(ApkCliTest, JsonNamesIdentityKeyAndVerdict) {
  auto r = Verify("--json '" + FixturePath("wolfi/aarch64/libcap-2.69-r0.apk") + "' '" +
                  FixturePath("apko-misc/hello-0.1.0-r0.apk") + "' --keyring '" +
                  FixturePath("keys/wolfi-signing.rsa.pub") + "'");
  EXPECT_EQ(r.rc, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["files"].size(), 2u);
  const auto& libcap = j["files"][0];
  EXPECT_EQ(libcap["kind"], "package");
  EXPECT_EQ(libcap["identity"], "Q1GTjdDWSAN/e8mRmTQLLkcs0qRkA=");
  EXPECT_EQ(libcap["datahash"], "fb2e6aef71e85e7eb738d8029b1939d779034b14e23168fd27238e10cd908ed0");
  EXPECT_EQ(libcap["verified"], true);
  EXPECT_EQ(libcap["verdict"], "verified");
  EXPECT_EQ(libcap["key"], "wolfi-signing.rsa.pub");
  EXPECT_EQ(libcap["key_path"], FixturePath("keys/wolfi-signing.rsa.pub"));
  EXPECT_EQ(libcap["signatures"][0]["entry"], ".SIGN.RSA.wolfi-signing.rsa.pub");
  EXPECT_EQ(j["files"][1]["verdict"], "unsigned");
  EXPECT_EQ(j["files"][1]["verified"], false);
  EXPECT_EQ(j["verified"], 1);
  EXPECT_EQ(j["total"], 2);
}

TEST(ApkCliTest, UnreadableFileOrKeyExitsTwo) {
  auto r =
      Verify("/nonexistent/x.apk --keyring '" + FixturePath("keys/wolfi-signing.rsa.pub") + "'");
  EXPECT_EQ(r.rc, 2);
  EXPECT_THAT(r.out, HasSubstr("FAIL  "));
  EXPECT_THAT(r.out, HasSubstr("/nonexistent/x.apk"));
  r = Verify("'" + FixturePath("apko-misc/hello-0.1.0-r0.apk") +
             "' --keyring /nonexistent/key.pub");
  EXPECT_EQ(r.rc, 2);
  EXPECT_THAT(r.err, HasSubstr("error: keyring: "));
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/key.pub"));
  r = Verify("");
  EXPECT_EQ(r.rc, 2);
  r = distill::testing::Run(std::string(DISTILL_BINARY) + " apk");
  EXPECT_EQ(r.rc, 2);
}

}  // namespace
}  // namespace distill::cli
