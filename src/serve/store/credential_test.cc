#include "serve/store/credential.h"

#include <gtest/gtest.h>

#include <regex>

namespace distill::serve {
namespace {

const std::string kKey(32, 'k');

TEST(ServeCredentialTest, SealAndOpen) {
  auto sealed = SealCredential(kKey, "job-1", "Basic YWxpY2U6c2VjcmV0");
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->size(), 12 + 22 + 16u);
  EXPECT_EQ(sealed->find("YWxpY2U6c2VjcmV0"), std::string::npos);
  auto opened = OpenCredential(kKey, "job-1", *sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, "Basic YWxpY2U6c2VjcmV0");
  // A fresh nonce each time.
  EXPECT_NE(*SealCredential(kKey, "job-1", "x"), *SealCredential(kKey, "job-1", "x"));
}

TEST(ServeCredentialTest, BoundToJobAndKey) {
  std::string sealed = *SealCredential(kKey, "job-1", "Bearer token");
  auto other_job = OpenCredential(kKey, "job-2", sealed);
  ASSERT_FALSE(other_job.ok());
  EXPECT_EQ(other_job.error().message,
            "job job-2: the sealed credential does not open with this server's key");
  EXPECT_FALSE(OpenCredential(std::string(32, 'j'), "job-1", sealed).ok());
  sealed[13] ^= 1;
  EXPECT_FALSE(OpenCredential(kKey, "job-1", sealed).ok());
  EXPECT_EQ(OpenCredential(kKey, "job-1", "short").error().message,
            "job job-1: sealed credential too short (5 bytes)");
  EXPECT_EQ(SealCredential("short", "job-1", "x").error().message,
            "credential key: 5 bytes, want 32");
}

TEST(ServeCredentialTest, RandomUuid) {
  std::string a = RandomUuid(), b = RandomUuid();
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::regex_match(
      a, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a;
}

}  // namespace
}  // namespace distill::serve
