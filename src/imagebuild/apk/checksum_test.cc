#include "imagebuild/apk/checksum.h"

#include <gtest/gtest.h>

namespace distill::imagebuild::apk {
namespace {

TEST(ApkChecksumTest, IdentityIsQ1AndBase64OfSha1) {
  // sha1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d (FIPS 180 example).
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(ApkIdentity("abc"), "Q1qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
}

}  // namespace
}  // namespace distill::imagebuild::apk
