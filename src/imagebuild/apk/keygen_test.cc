// Keys and signatures checked with the openssl CLI, a second implementation of PEM and RSA.
#include "imagebuild/apk/keygen.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "imagebuild/apk/testing/apk_fixture.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

namespace fs = std::filesystem;
using distill::testing::Shell;

std::string Fixture(const std::string& name) { return testing::WriterFixture(name); }

TEST(ApkKeygenTest, WritesAKeyPairOpensslReads) {
  const std::string dir = distill::testing::TempDir();
  auto keys = GenerateKeyPair(2048);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EXPECT_TRUE(keys->private_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
  EXPECT_TRUE(keys->public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
  auto priv = WriteKeyPair(*keys, dir, "test");
  ASSERT_TRUE(priv.ok()) << priv.error().message;
  EXPECT_EQ(*priv, dir + "/test.rsa");
  struct stat st;
  ASSERT_EQ(::stat(priv->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((*priv + ".pub").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  int rc = -1;
  std::string text = Shell("openssl rsa -in " + *priv + " -check -noout -text 2>&1", &rc);
  EXPECT_EQ(rc, 0) << text;
  EXPECT_NE(text.find("Private-Key: (2048 bit"), std::string::npos) << text;
  EXPECT_NE(text.find("RSA key ok"), std::string::npos) << text;
  // The public file is the public half of the private one.
  EXPECT_EQ(Shell("openssl rsa -in " + *priv + " -pubout 2>/dev/null"), keys->public_pem);
}

TEST(ApkKeygenTest, RefusesToOverwriteAndBadNames) {
  const std::string dir = distill::testing::TempDir();
  auto keys = GenerateKeyPair(2048);
  ASSERT_TRUE(keys.ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/k.rsa.pub", "old").ok());
  auto again = WriteKeyPair(*keys, dir, "k");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, dir + "/k.rsa.pub: already exists (not overwritten)");
  EXPECT_FALSE(fs::exists(dir + "/k.rsa"));
  EXPECT_FALSE(WriteKeyPair(*keys, dir, "a/b").ok());
  EXPECT_FALSE(WriteKeyPair(*keys, dir, ".hidden").ok());
  EXPECT_FALSE(GenerateKeyPair(1024).ok());
}

TEST(ApkKeygenTest, SignaturesVerifyWithOpenssl) {
  const std::string dir = distill::testing::TempDir();
  auto key = SigningKey::Load(Fixture("melange.rsa"));
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->key_name(), "melange.rsa.pub");
  auto pub = key->PublicPem();
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(*pub, *ReadFile(Fixture("melange.rsa.pub")));
  std::string data = "the compressed control member";
  auto sig = key->SignSha256(data);
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  EXPECT_EQ(sig->size(), 512u);  // a 4096-bit key
  ASSERT_TRUE(WriteFileAtomic(dir + "/data", data).ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/sig", *sig).ok());
  std::string verify = "openssl dgst -sha256 -verify " + Fixture("melange.rsa.pub") +
                       " -signature " + dir + "/sig " + dir + "/data 2>&1";
  int rc = -1;
  EXPECT_EQ(Shell(verify, &rc), "Verified OK\n");
  EXPECT_EQ(rc, 0);
  ASSERT_TRUE(WriteFileAtomic(dir + "/data", "The compressed control member").ok());
  Shell(verify, &rc);
  EXPECT_NE(rc, 0);
}

TEST(ApkKeygenTest, LoadNamesTheFileThatIsNotAKey) {
  auto key = SigningKey::Load(Fixture("melange.rsa.pub"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().message,
            Fixture("melange.rsa.pub") +
                ": not a PEM private key (an unencrypted RSA key, as `distill apk keygen` writes)");
  EXPECT_FALSE(SigningKey::Load(Fixture("missing.rsa")).ok());
}

}  // namespace
}  // namespace distill::imagebuild::apk
