#include "imagebuild/apk/signed_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "imagebuild/apk/testing/apk_fixture.h"

namespace distill::imagebuild::apk {
namespace {

using testing::FixtureKeyring;
using testing::FixturePath;
using ::testing::HasSubstr;
using testing::ReadFixture;

size_t CountPackages(std::string_view apkindex) {
  size_t n = apkindex.starts_with("P:") ? 1 : 0;
  for (size_t at = 0; (at = apkindex.find("\nP:", at)) != std::string_view::npos; ++at) ++n;
  return n;
}

TEST(ApkSignedIndexTest, AlpineIndexVerifiesWithAlpineKeys) {
  std::string bytes = ReadFixture("alpine/v3.16-main-x86_64/APKINDEX.tar.gz");
  auto idx = ReadVerifiedIndex(bytes, "APKINDEX.tar.gz", FixtureKeyring({"keys/alpine"}));
  ASSERT_TRUE(idx.ok()) << idx.error().message;
  EXPECT_EQ(idx->description, "v3.16.3-13-g4d933a1fa3");
  EXPECT_EQ(CountPackages(idx->apkindex), 4929u);
  EXPECT_EQ(idx->members.size(), 2u);
  ASSERT_EQ(idx->signatures.size(), 1u);
  EXPECT_EQ(idx->signatures[0].entry,
            ".SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub");
  Verification v = VerifyIndex(bytes, *idx, FixtureKeyring({"keys/alpine"}));
  EXPECT_EQ(v.key, "alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub");
  EXPECT_EQ(idx->signed_range.offset, idx->signature_member.end());
  EXPECT_EQ(idx->signed_range.end(), bytes.size());
}

TEST(ApkSignedIndexTest, EveryFixtureIndexVerifies) {
  struct Case {
    const char* file;
    const char* keys;
    const char* key;
  } cases[] = {
      {"apko-e2e/packages/aarch64/APKINDEX.tar.gz", "apko-e2e/melange.rsa.pub", "melange.rsa.pub"},
      {"apko-e2e/packages/x86_64/APKINDEX.tar.gz", "apko-e2e/melange.rsa.pub", "melange.rsa.pub"},
      {"apko-e2e/private_packages/packages/aarch64/APKINDEX.tar.gz",
       "apko-e2e/private_packages/private_pkg_key.rsa.pub", "private_pkg_key.rsa.pub"},
      {"apko-e2e/private_packages/packages/x86_64/APKINDEX.tar.gz",
       "apko-e2e/private_packages/private_pkg_key.rsa.pub", "private_pkg_key.rsa.pub"},
      {"apko-misc/rsa256-signed/APKINDEX.tar.gz", "apko-misc/rsa256-signed/test-rsa256.rsa.pub",
       "test-rsa256.rsa.pub"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    std::string bytes = ReadFixture(c.file);
    auto idx = ReadSignedIndex(bytes, c.file);
    ASSERT_TRUE(idx.ok()) << idx.error().message;
    Verification v = VerifyIndex(bytes, *idx, FixtureKeyring({c.keys}));
    EXPECT_EQ(v.verdict, Verdict::kVerified) << v.reason;
    EXPECT_EQ(v.key, c.key);
    EXPECT_GT(CountPackages(idx->apkindex), 0u);
    auto kind = DetectApkFile(bytes);
    ASSERT_TRUE(kind.ok()) << kind.error().message;
    EXPECT_EQ(*kind, ApkFileKind::kIndex);
  }
}

// apko-misc/signing: three RSA256 signatures, each from its own key; each verifies.
TEST(ApkSignedIndexTest, ThreeSignaturesEachVerify) {
  std::string bytes = ReadFixture("apko-misc/signing/APKINDEX.tar.gz");
  auto idx = ReadSignedIndex(bytes, "APKINDEX.tar.gz");
  ASSERT_TRUE(idx.ok()) << idx.error().message;
  ASSERT_EQ(idx->signatures.size(), 3u);
  Verification v = VerifyIndex(bytes, *idx, FixtureKeyring({"apko-misc/signing/keys"}));
  ASSERT_EQ(v.checks.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(v.checks[i].verdict, Verdict::kVerified) << v.checks[i].detail;
    EXPECT_EQ(v.checks[i].key, idx->signatures[i].key_name);
  }
  // One key of the three is enough.
  std::string one =
      "apko-misc/signing/keys/"
      "chainguard-60912bbc46bfc8ed6bda0b50db3a8a5f3c4344d6bc8549ec9b84d96140b475d1.rsa.pub";
  v = VerifyIndex(bytes, *idx, FixtureKeyring({one}));
  EXPECT_EQ(v.verdict, Verdict::kVerified);
  EXPECT_EQ(v.checks[0].verdict, Verdict::kNoTrustedKey);
  EXPECT_EQ(v.checks[1].verdict, Verdict::kVerified);
}

// VERIFY.txt: the index whose .SIGN entry is stored after APKINDEX is unsigned, as apk-tools says.
TEST(ApkSignedIndexTest, SignatureStoredLastIsUnsigned) {
  std::string bytes = ReadFixture("apko-misc/odd/APKINDEX-sign-last.tar.gz");
  auto idx = ReadSignedIndex(bytes, "APKINDEX-sign-last.tar.gz");
  ASSERT_TRUE(idx.ok()) << idx.error().message;
  EXPECT_TRUE(idx->signatures.empty());
  EXPECT_TRUE(idx->signature_not_first);
  EXPECT_EQ(idx->members.size(), 1u);
  EXPECT_EQ(idx->apkindex, ReadFixture("apko-misc/odd/extracted/APKINDEX"));
  EXPECT_EQ(idx->description, ReadFixture("apko-misc/odd/extracted/DESCRIPTION"));
  Verification v =
      VerifyIndex(bytes, *idx, FixtureKeyring({"keys/alpine", "apko-e2e/melange.rsa.pub"}));
  EXPECT_EQ(v.verdict, Verdict::kUnsigned);
  auto r = ReadVerifiedIndex(bytes, "APKINDEX-sign-last.tar.gz", FixtureKeyring({"keys/alpine"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "APKINDEX-sign-last.tar.gz: unsigned: its .SIGN entry is stored after APKINDEX, not in "
            "a first gzip "
            "member of its own (apk-tools treats such an index as unsigned)");
}

TEST(ApkSignedIndexTest, TamperedIndexIsRefused) {
  std::string bytes = ReadFixture("apko-e2e/packages/x86_64/APKINDEX.tar.gz");
  Keyring melange = FixtureKeyring({"apko-e2e/melange.rsa.pub"});
  auto idx = ReadSignedIndex(bytes, "APKINDEX.tar.gz");
  ASSERT_TRUE(idx.ok());
  uint64_t member = idx->members[1].offset;
  // The index member's gzip header (mtime): inflates, but the signature no longer holds.
  std::string header = bytes;
  header[member + 4] ^= 1;
  auto r = ReadVerifiedIndex(header, "APKINDEX.tar.gz", melange);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              HasSubstr("APKINDEX.tar.gz: .SIGN.RSA256.melange.rsa.pub: bad signature"));
  EXPECT_THAT(r.error().message,
              HasSubstr("SHA-256 of bytes after the signature member (bytes " +
                        std::to_string(member) + "-" + std::to_string(bytes.size() - 1) + ")"));
  // One byte of the APKINDEX text, re-compressed.
  std::string text =
      testing::Remake(bytes, 1, [](std::string& tar) { tar[tar.find("P:") + 2] ^= 0x20; });
  r = ReadVerifiedIndex(text, "APKINDEX.tar.gz", melange);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("bad signature"));
  // One byte inside the deflate data of each member.
  for (const auto& m : idx->members) {
    std::string flipped = bytes;
    flipped[m.offset + m.size / 2] ^= 1;
    r = ReadSignedIndex(flipped, "APKINDEX.tar.gz");
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("is corrupt"));
  }
}

TEST(ApkSignedIndexTest, DetectsPackagesIndexesAndNeither) {
  auto kind = DetectApkFile(ReadFixture("wolfi/aarch64/libcap-2.69-r0.apk"));
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, ApkFileKind::kPackage);
  kind = DetectApkFile(ReadFixture("apko-misc/hello-0.1.0-r0.apk"));
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, ApkFileKind::kPackage);
  kind = DetectApkFile(ReadFixture("apko-misc/odd/APKINDEX-sign-last.tar.gz"));
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, ApkFileKind::kIndex);
  kind = DetectApkFile("plain text");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().message, "no gzip member at offset 0");
  auto r = ReadSignedIndex(ReadFixture("apko-misc/hello-0.1.0-r0.apk"), "hello.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "hello.apk: no APKINDEX entry");
}

}  // namespace
}  // namespace distill::imagebuild::apk
