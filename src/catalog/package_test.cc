// Package's identity and the interned digest-algorithm names.
#include "catalog/package.h"

#include <gtest/gtest.h>

namespace distill::catalog {
namespace {

TEST(PackageTest, IdIsTypeNameVersionArchAndFirstLocation) {
  Package p;
  p.type = "deb";
  p.name = "libc6";
  p.version = "2.36-9+deb12u4";
  p.arch = "amd64";
  EXPECT_EQ(p.id(), "deb/libc6@2.36-9+deb12u4/amd64#");
  p.locations = {{"var/lib/dpkg/status", "sha256:aa"},
                 {"var/lib/dpkg/status.d/libc6", "sha256:bb"}};
  EXPECT_EQ(p.id(), "deb/libc6@2.36-9+deb12u4/amd64#var/lib/dpkg/status");
  Package q = p;
  q.locations[0].layer_digest = "sha256:cc";  // the same path in another layer: the same package
  EXPECT_EQ(q.id(), p.id());
  q.arch = "arm64";
  EXPECT_NE(q.id(), p.id());
}

TEST(PackageTest, AlgorithmNames) {
  AlgorithmName none;
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(AlgorithmName("").empty());
  for (const char* known : {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}) {
    AlgorithmName a(known);
    EXPECT_EQ(a, known);
    EXPECT_EQ(a.str(), known);
  }
  std::string name = "blake2b";
  AlgorithmName a(name);
  name = "changed";  // the name is kept, not borrowed from the caller
  EXPECT_EQ(a, "blake2b");
  EXPECT_EQ(a.view().data(), AlgorithmName("blake2b").view().data());  // interned once
  EXPECT_EQ(AlgorithmName(std::string("sha256")).view().data(),
            AlgorithmName("sha256").view().data());
  EXPECT_NE(AlgorithmName("sha256"), AlgorithmName("SHA256"));
}

}  // namespace
}  // namespace distill::catalog
