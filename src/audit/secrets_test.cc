#include "audit/secrets.h"

#include <gtest/gtest.h>

namespace distill::audit {
namespace {

// Fake secrets, planted: AWS's documented example key id, made-up tokens.
const std::string kAws = "AKIAIOSFODNN7EXAMPLE";
const std::string kGithub = "ghp_" + std::string("0123456789abcdefghijABCDEFGHIJ012345");
const std::string kBody = "MIIEowIBAAKCAQEAfakefakefakefakefakefakefakefakefakefake0123456789";

// Compiled once for the suite: compiling is the slow part of a SecretScanner.
const SecretScanner* Scanner() {
  static auto s = SecretScanner::Create();
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s->get();
}

TEST(SecretsTest, FindsAndMasksEachKind) {
  auto s = Scanner();
  std::string text =
      "# creds\n[default]\naws_access_key_id = " + kAws + "\ntoken: " + kGithub + " trailing\n";
  auto hits = s->Scan("root/.aws/credentials", text);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].rule_id, "secret-aws-key");
  EXPECT_EQ(hits[0].line, 3u);
  EXPECT_EQ(hits[0].masked, "aws_access_key_id = AKIA********");
  EXPECT_EQ(hits[1].rule_id, "secret-github-token");
  EXPECT_EQ(hits[1].line, 4u);
  EXPECT_EQ(hits[1].masked, "token: ghp_********");
}

TEST(SecretsTest, PrivateKeyShowsOnlyItsHeader) {
  auto s = Scanner();
  std::string pem =
      "x\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + kBody + "\n-----END OPENSSH PRIVATE KEY-----\n";
  auto hits = s->Scan("home/u/.ssh/id_ed25519", pem);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].rule_id, "secret-private-key");
  EXPECT_EQ(hits[0].line, 2u);
  EXPECT_EQ(hits[0].masked, "-----BEGIN OPENSSH PRIVATE KEY----- (key body masked)");
  // A certificate, or a key header without a body (as in a TLS library's strings), is not a key.
  EXPECT_TRUE(s->Scan("a.pem", "-----BEGIN CERTIFICATE-----\n" + kBody + "\n").empty());
  EXPECT_TRUE(
      s->Scan("libcrypto.so", std::string("-----BEGIN RSA PRIVATE KEY-----\0x", 34)).empty());
}

TEST(SecretsTest, TokensCloudAndRegistryCredentials) {
  auto s = Scanner();
  struct Case {
    std::string path, text, rule, masked;
  };
  const Case cases[] = {
      {"app/.npmrc", "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnop1234\n",
       "secret-npm-token", "//registry.npmjs.org/:_authToken=********"},
      {"root/.docker/config.json", R"({"auths": {"r.example": {"auth": "dXNlcjpwYXNzd29yZA=="}}})",
       "secret-docker-auth", R"({"auths": {"r.example": {"auth": "********)"},
      {"app/sa.json",
       "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE\"}",
       "secret-gcp-service-account", "ivate_key\": \"-----BEGIN PRIVATE KEY-----********"},
      {"app/slack.txt", "SLACK=xoxb-123456789012-abcdefghijkl\n", "secret-slack-token",
       "SLACK=xoxb-********"},
      {"app/gl.txt", "glpat-abcdefghij0123456789\n", "secret-gitlab-token", "glpat-********"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    auto hits = s->Scan(c.path, c.text);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].rule_id, c.rule);
    EXPECT_EQ(hits[0].masked, c.masked);
  }
  // docker auths count only in a credentials file; an env reference is not an npm token.
  EXPECT_TRUE(s->Scan("app/data.json", R"({"auth": "dXNlcjpwYXNzd29yZA=="})").empty());
  EXPECT_TRUE(s->Scan("app/.npmrc", "_authToken=${NPM_TOKEN}\n").empty());
}

TEST(SecretsTest, TwoSecretsOnOneLineAreBothMasked) {
  auto s = Scanner();
  auto hits = s->Scan("x", "a=" + kAws + " b=" + kGithub + "\n");
  ASSERT_EQ(hits.size(), 2u);
  for (const auto& h : hits) {
    EXPECT_EQ(h.masked.find("IOSFODNN7EXAMPLE"), std::string::npos) << h.masked;
    EXPECT_EQ(h.masked.find("0123456789abcdefghij"), std::string::npos) << h.masked;
  }
  EXPECT_EQ(hits[1].masked, "a=******** b=ghp_********");
}

TEST(SecretsTest, Dotenv) {
  EXPECT_TRUE(IsDotenvPath("app/.env"));
  EXPECT_TRUE(IsDotenvPath(".env.production"));
  EXPECT_FALSE(IsDotenvPath("app/.env.example"));
  EXPECT_FALSE(IsDotenvPath("app/env"));
}

}  // namespace
}  // namespace distill::audit

namespace distill::audit {
namespace {

// Tokens inside longer words (base64 blobs) are not tokens; the compiled database is cached.
TEST(SecretsTest, WordBoundariesAndCache) {
  auto s = Scanner();
  EXPECT_TRUE(s->Scan("x", "QQAKIAIOSFODNN7EXAMPLE\n").empty());
  EXPECT_TRUE(s->Scan("x", "AKIAIOSFODNN7EXAMPLEXX\n").empty());
  EXPECT_EQ(s->Scan("x", "(AKIAIOSFODNN7EXAMPLE)").size(), 1u);
  std::string dir = ::testing::TempDir() + "/distill-hs-cache";
  auto first = SecretScanner::Create(dir);
  ASSERT_TRUE(first.ok());
  auto second = SecretScanner::Create(dir);  // loaded from the cache
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)->Scan("x", "k=AKIAIOSFODNN7EXAMPLE").size(), 1u);
}

}  // namespace
}  // namespace distill::audit
