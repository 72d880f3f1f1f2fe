#include "imagebuild/apk/signature.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "imagebuild/apk/package.h"
#include "imagebuild/apk/testing/apk_fixture.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

using testing::FixturePath;
using ::testing::HasSubstr;
using testing::LoadKeyring;
using testing::ReadFixture;

constexpr const char* kMelangePkg = "apko-e2e/packages/x86_64/replayout-1.0.0-r0.apk";

Verification VerifyFixture(const std::string& rel, const Keyring& keys) {
  std::string bytes = ReadFixture(rel);
  auto pkg = ReadPackage(bytes, rel);
  if (!pkg.ok()) throw std::runtime_error(pkg.error().message);
  return VerifyPackage(bytes, *pkg, keys);
}

TEST(ApkSignatureTest, ParsesSignatureNames) {
  Signature s;
  ASSERT_TRUE(ParseSignatureName(".SIGN.RSA256.melange.rsa.pub", &s));
  EXPECT_EQ(s.algorithm, "RSA256");
  EXPECT_EQ(s.key_name, "melange.rsa.pub");
  EXPECT_FALSE(ParseSignatureName(".PKGINFO", &s));
  EXPECT_FALSE(ParseSignatureName(".SIGN.RSA", &s));
  EXPECT_FALSE(ParseSignatureName(".SIGN..x", &s));
  EXPECT_FALSE(ParseSignatureName(".SIGN.RSA.", &s));
}

TEST(ApkSignatureTest, KeyringLoadsFoldersAndFilesAndBothPemForms) {
  Keyring ring =
      LoadKeyring({FixturePath("keys/alpine"), FixturePath("keys/wolfi-signing.rsa.pub")});
  ASSERT_EQ(ring.keys().size(), 4u);
  EXPECT_EQ(ring.keys()[0].name, "alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub");  // sorted
  EXPECT_EQ(ring.keys()[3].name, "wolfi-signing.rsa.pub");
  EXPECT_EQ(ring.keys()[3].path, FixturePath("keys/wolfi-signing.rsa.pub"));
  EXPECT_EQ(ring.keys()[3].fingerprint.size(), 64u);
  // The fingerprint is the SHA-256 of the DER SubjectPublicKeyInfo, as openssl writes it.
  std::string der = distill::testing::Shell("openssl pkey -pubin -in '" +
                                            FixturePath("keys/wolfi-signing.rsa.pub") +
                                            "' -outform DER | sha256sum | cut -d' ' -f1");
  EXPECT_EQ(ring.keys()[3].fingerprint + "\n", der);
  // PKCS#1 "RSA PUBLIC KEY" PEM (openssl rsa -RSAPublicKey_out) is the same key.
  std::string pkcs1 = distill::testing::Shell("openssl rsa -pubin -in '" +
                                              FixturePath("keys/wolfi-signing.rsa.pub") +
                                              "' -RSAPublicKey_out 2>/dev/null");
  ASSERT_THAT(pkcs1, HasSubstr("BEGIN RSA PUBLIC KEY"));
  Keyring other;
  ASSERT_TRUE(other.Add("wolfi-signing.rsa.pub", "", pkcs1).ok());
  EXPECT_EQ(other.keys()[0].fingerprint, ring.keys()[3].fingerprint);
  EXPECT_EQ(VerifyFixture("wolfi/aarch64/libcap-2.69-r0.apk", other).verdict, Verdict::kVerified);
}

TEST(ApkSignatureTest, KeyringErrorsNameTheFile) {
  std::string dir = distill::testing::TempDir();
  ASSERT_TRUE(WriteFileAtomic(dir + "/junk.rsa.pub", "not a key\n").ok());
  auto r = Keyring::Load({dir});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, ::testing::StartsWith("keyring: " + dir + "/junk.rsa.pub: "));
  ASSERT_TRUE(
      WriteFileAtomic(dir + "/junk.rsa.pub", ReadFixture("keys/wolfi-signing.rsa.pub")).ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/README", "not a key, not read\n").ok());
  EXPECT_TRUE(Keyring::Load({dir}).ok());
  std::string priv = dir + "/x.rsa";
  distill::testing::Shell("openssl genrsa -out '" + priv + "' 1024 2>/dev/null");
  r = Keyring::Load({priv});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "keyring: " + priv + ": is a private key; give the public key (.pub)");
  std::string ec = dir + "/ec.pub";
  distill::testing::Shell(
      "openssl ecparam -name prime256v1 -genkey 2>/dev/null | openssl ec -pubout -out '" + ec +
      "' 2>/dev/null");
  r = Keyring::Load({ec});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "keyring: " + ec + ": not an RSA key (APK v2 signatures are RSA)");
  r = Keyring::Load({dir + "/missing.pub"});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("missing.pub"));
}

// apko-misc's name-collision case: a key called melange.rsa.pub whose bytes are another key's is
// refused; the real melange key under any other name verifies (the bytes decide, not the name).
TEST(ApkSignatureTest, KeyWithTheRightNameButOtherBytesIsRefused) {
  std::string dir = distill::testing::TempDir();
  std::string impostor = dir + "/melange.rsa.pub";
  ASSERT_TRUE(
      WriteFileAtomic(impostor, ReadFixture("apko-e2e/private_packages/private_pkg_key.rsa.pub"))
          .ok());
  Verification v = VerifyFixture(kMelangePkg, LoadKeyring({impostor}));
  EXPECT_EQ(v.verdict, Verdict::kBadSignature);
  EXPECT_EQ(v.key, "melange.rsa.pub");
  EXPECT_EQ(v.key_path, impostor);
  EXPECT_THAT(
      v.reason,
      HasSubstr(
          ".SIGN.RSA256.melange.rsa.pub: bad signature: the key of that name, melange.rsa.pub (" +
          impostor + ", sha256 "));
  EXPECT_THAT(v.reason,
              HasSubstr("RSA PKCS#1 v1.5 over the SHA-256 of control member (bytes 647-1660)"));

  std::string renamed = dir + "/renamed.rsa.pub";
  ASSERT_TRUE(WriteFileAtomic(renamed, ReadFixture("apko-e2e/melange.rsa.pub")).ok());
  v = VerifyFixture(kMelangePkg, LoadKeyring({impostor, renamed}));
  EXPECT_EQ(v.verdict, Verdict::kVerified) << v.reason;
  EXPECT_EQ(v.key, "renamed.rsa.pub");
  EXPECT_EQ(v.key_path, renamed);
  EXPECT_THAT(v.checks[0].detail,
              ::testing::StartsWith(".SIGN.RSA256.melange.rsa.pub: verified by renamed.rsa.pub (" +
                                    renamed + ", sha256 "));
}

TEST(ApkSignatureTest, NoTrustedKeyAndUnsignedAndUnsupported) {
  Keyring alpine = LoadKeyring({FixturePath("keys/alpine")});
  Verification v = VerifyFixture("wolfi/aarch64/wolfi-base-1-r1.apk", alpine);
  EXPECT_EQ(v.verdict, Verdict::kNoTrustedKey);
  EXPECT_EQ(v.reason,
            ".SIGN.RSA.wolfi-signing.rsa.pub: no trusted key: no key named wolfi-signing.rsa.pub "
            "in the keyring (3 keys), "
            "and none of them verifies it (RSA PKCS#1 v1.5 over the SHA-1 of control member (bytes "
            "650-940))");
  v = VerifyFixture("apko-misc/hello-0.1.0-r0.apk", alpine);
  EXPECT_EQ(v.verdict, Verdict::kUnsigned);
  EXPECT_EQ(v.reason, "unsigned (no .SIGN entry in the first gzip member)");
  auto st = RequireVerified(v, "hello.apk");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "hello.apk: unsigned (no .SIGN entry in the first gzip member)");

  std::vector<Signature> sigs = {{".SIGN.RSA512.k.rsa.pub", "RSA512", "k.rsa.pub", "x"},
                                 {".SIGN.DSA.k.rsa.pub", "DSA", "k.rsa.pub", "x"}};
  v = VerifySignatures(sigs, "data", "the data", alpine);
  EXPECT_EQ(v.verdict, Verdict::kUnsupported);
  EXPECT_EQ(v.reason,
            ".SIGN.RSA512.k.rsa.pub: RSA512 signatures are not supported (RSA and RSA256 are)");
  EXPECT_EQ(VerdictName(v.verdict), "unsupported");
}

// The openssl CLI, as the research checked the fixtures (verify.py), agrees with our verdict on
// the real signatures (RSA/SHA-1 and RSA256) and on a copy whose control member header changed.
TEST(ApkSignatureTest, OpensslAgrees) {
  struct Case {
    const char* file;
    const char* key;
    const char* digest;
  } cases[] = {{"alpine/v3.16-main-aarch64/alpine-baselayout-3.2.0-r23.apk",
                "keys/alpine/alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub", "-sha1"},
               {kMelangePkg, "apko-e2e/melange.rsa.pub", "-sha256"}};
  std::string dir = distill::testing::TempDir();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    std::string bytes = ReadFixture(c.file);
    for (bool tamper : {false, true}) {
      auto pkg = ReadPackage(bytes, c.file);
      ASSERT_TRUE(pkg.ok()) << pkg.error().message;
      std::string data = std::string(pkg->signed_range.of(bytes));
      if (tamper) {
        bytes[pkg->control_member.offset + 4] ^= 1;  // gzip mtime: still inflates
        pkg = ReadPackage(bytes, c.file);
        ASSERT_TRUE(pkg.ok()) << pkg.error().message;
        data = std::string(pkg->signed_range.of(bytes));
      }
      ASSERT_TRUE(WriteFileAtomic(dir + "/signed", data).ok());
      ASSERT_TRUE(WriteFileAtomic(dir + "/sig", pkg->signatures[0].bytes).ok());
      auto ran = distill::testing::Run(std::string("openssl dgst ") + c.digest + " -verify '" +
                                       FixturePath(c.key) + "' -signature '" + dir + "/sig' '" +
                                       dir + "/signed'");
      Verification ours = VerifyPackage(bytes, *pkg, LoadKeyring({FixturePath(c.key)}));
      EXPECT_EQ(ran.rc == 0, ours.ok()) << ran.out << ran.err;
      EXPECT_EQ(ours.ok(), !tamper);
      EXPECT_EQ(ran.out, tamper ? "Verification failure\n" : "Verified OK\n");
    }
  }
}

}  // namespace
}  // namespace distill::imagebuild::apk
