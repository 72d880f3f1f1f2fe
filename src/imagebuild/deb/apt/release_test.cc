#include "imagebuild/deb/apt/release.h"

#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "util/file.h"

namespace distill::imagebuild::apt {
namespace {

const std::string kTestdata = std::string(DISTILL_SOURCE_DIR) + "/src/imagebuild/deb/apt/testdata";
const std::string kInRelease = kTestdata + "/repo/dists/distilltest/InRelease";
const std::string kKeyring = kTestdata + "/keyring.gpg";

TEST(AptReleaseTest, Parses) {
  auto r = ParseRelease(
      "Origin: Debian\nSuite: oldstable\nCodename: bookworm\nDate: Sat, 11 Jul 2026 10:16:37 "
      "UTC\nAcquire-By-Hash: yes\n"
      "No-Support-for-Architecture-all: Packages\nArchitectures: all amd64  arm64\nMD5Sum:\n "
      "0ed6d4c8891eb86358b94bb35d9e4da4  1484322 contrib/Contents-all\n"
      "SHA256:\n 663e9b341ec1ecb521b9ab551f3f8df1663e9b341ec1ecb521b9ab551f3f8df1    93822 "
      "main/binary-amd64/Packages\n"
      " 763e9b341ec1ecb521b9ab551f3f8df1663e9b341ec1ecb521b9ab551f3f8df1       20 "
      "main/binary-amd64/Packages.xz\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->origin, "Debian");
  EXPECT_EQ(r->suite, "oldstable");
  EXPECT_EQ(r->codename, "bookworm");
  EXPECT_TRUE(r->acquire_by_hash);
  EXPECT_TRUE(r->all_in_arch_packages);
  EXPECT_EQ(r->architectures, (std::vector<std::string>{"all", "amd64", "arm64"}));
  ASSERT_EQ(r->files.size(), 2u);
  const ReleaseFile* f = r->Find("main/binary-amd64/Packages.xz");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->size, 20u);
  EXPECT_EQ(r->Find("contrib/Contents-all"), nullptr) << "MD5Sum entries are not trusted";
}

TEST(AptReleaseTest, Errors) {
  EXPECT_EQ(ParseRelease("Origin: x\nMD5Sum:\n abc 1 x\n").error().message,
            "no SHA256 section (MD5Sum and SHA1 alone are not trusted)");
  EXPECT_EQ(ParseRelease("SHA256:\n abcd 12 main/x\n").error().message,
            "line 2: SHA256: expected 'HASH SIZE PATH'");
  EXPECT_EQ(ParseRelease("Origin x\n").error().message, "line 1: expected 'Field: value'");
}

TEST(AptReleaseTest, CheckReleaseFor) {
  Release r;
  r.suite = "oldstable";
  r.codename = "bookworm";
  EXPECT_TRUE(CheckReleaseFor(r, "bookworm", true, 0).ok());
  EXPECT_TRUE(CheckReleaseFor(r, "oldstable", true, 0).ok());
  EXPECT_EQ(CheckReleaseFor(r, "trixie", true, 0).error().message,
            "Release is for suite 'oldstable' (codename 'bookworm'), not 'trixie'");
  r.valid_until = "Sat, 11 Jul 2026 10:16:37 UTC";
  EXPECT_TRUE(CheckReleaseFor(r, "bookworm", true, 1783764996).ok());
  EXPECT_EQ(CheckReleaseFor(r, "bookworm", true, 1783764998).error().message,
            "Release expired (Valid-Until: Sat, 11 Jul 2026 10:16:37 UTC)");
  EXPECT_TRUE(CheckReleaseFor(r, "bookworm", false, 1783764998).ok());
}

TEST(AptReleaseTest, ClearsignedText) {
  auto t = ClearsignedText(
      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nA: 1\n- -dash\n-----BEGIN PGP "
      "SIGNATURE-----\nx\n");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(*t, "A: 1\n-dash\n");
  EXPECT_FALSE(ClearsignedText("A: 1\n").ok());
}

// gpgv, the real tool, on the test repository signed by a throwaway key (testdata/make-repo.sh).
TEST(AptReleaseTest, VerifyWithGpgv) {
  auto text = VerifyInRelease(kInRelease, kKeyring);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_TRUE(text->starts_with("Origin: distill\n"));
  EXPECT_EQ(text->find("BEGIN PGP"), std::string::npos);

  // The wrong keyring: refused.
  auto wrong = VerifyInRelease(kInRelease, kDefaultKeyring);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("signature check with keyring"), std::string::npos)
      << wrong.error().message;

  // One byte of the signed text changed: refused.
  auto data = ReadFile(kInRelease);
  ASSERT_TRUE(data.ok());
  std::string tampered = *data;
  tampered.replace(tampered.find("Label: distill"), 14, "Label: distilL");
  std::string path = testing::TempDir() + "/InRelease";
  ASSERT_TRUE(WriteFileAtomic(path, tampered).ok());
  auto bad = VerifyInRelease(path, kKeyring);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("BAD signature"), std::string::npos) << bad.error().message;

  EXPECT_EQ(VerifyInRelease(kInRelease, "/nonexistent.gpg").error().message,
            "keyring /nonexistent.gpg: not found");
}

}  // namespace
}  // namespace distill::imagebuild::apt
