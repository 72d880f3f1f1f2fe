#include "image/registry/auth.h"

#include <sys/stat.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "testing/image_builder.h"
#include "util/file.h"

namespace distill::image::registry {
namespace {

TEST(AuthTest, BearerChallenge) {
  auto c = ParseChallenges(
      R"(Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push")");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].scheme, "bearer");
  EXPECT_EQ((*c)[0].params.at("realm"), "https://auth.example/token");
  EXPECT_EQ((*c)[0].params.at("service"), "registry.example");
  EXPECT_EQ((*c)[0].params.at("scope"), "repository:a/b:pull,push");
}

TEST(AuthTest, SeveralChallengesAndQuoting) {
  auto c = ParseChallenges(
      R"(Basic realm="a \"quoted\" realm", charset=UTF-8, Bearer realm=https://t.example/x)");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].scheme, "basic");
  EXPECT_EQ((*c)[0].params.at("realm"), "a \"quoted\" realm");
  EXPECT_EQ((*c)[0].params.at("charset"), "UTF-8");
  EXPECT_EQ((*c)[1].scheme, "bearer");
  EXPECT_EQ((*c)[1].params.at("realm"), "https://t.example/x");
}

TEST(AuthTest, ChallengeErrors) {
  EXPECT_EQ(ParseChallenges(R"(Bearer realm="open)").error().message,
            "WWW-Authenticate: unterminated quoted value for 'realm'");
  EXPECT_FALSE(ParseChallenges("=x").ok());
  EXPECT_TRUE(ParseChallenges("").ok());
}

TEST(AuthTest, Base64) {
  for (std::string s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", "user:p@ss:w0rd",
                                                std::string("\0\xff\x10", 3)}) {
    auto d = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(Base64Encode("alice:secret"), "YWxpY2U6c2VjcmV0");
  EXPECT_FALSE(Base64Decode("YW$x").ok());
}

TEST(AuthTest, DockerConfigRoundTrip) {
  std::string path = testing::TempDir() + "/docker/config.json";
  auto none = LookupCredential(path, "127.0.0.1:5000");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(StoreCredential(path, "127.0.0.1:5000", "alice", "s3:cret").ok());
  ASSERT_TRUE(StoreCredential(path, "docker.io", "bob", "hub").ok());
  auto c = LookupCredential(path, "127.0.0.1:5000");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->username, "alice");
  EXPECT_EQ((*c)->password, "s3:cret");
  EXPECT_EQ((*c)->source, path);
  auto hub = LookupCredential(path, "registry-1.docker.io");
  ASSERT_TRUE(hub.ok() && hub->has_value());
  EXPECT_EQ((*hub)->username, "bob");
  EXPECT_NE(ReadFile(path)->find("https://index.docker.io/v1/"), std::string::npos);
  EXPECT_TRUE(*EraseCredential(path, "127.0.0.1:5000"));
  EXPECT_FALSE(*EraseCredential(path, "127.0.0.1:5000"));
  EXPECT_FALSE(LookupCredential(path, "127.0.0.1:5000")->has_value());
  EXPECT_TRUE(LookupCredential(path, "docker.io")->has_value());
}

TEST(AuthTest, DockerConfigKeepsOtherKeysAndReportsBadFiles) {
  std::string dir = testing::TempDir();
  std::string path = dir + "/config.json";
  ASSERT_TRUE(
      WriteFileAtomic(
          path, R"({"auths":{"https://reg.example":{"auth":"YWxpY2U6eA=="}},"credsStore":"pass"})")
          .ok());
  auto c = LookupCredential(path, "reg.example");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->username, "alice");
  ASSERT_TRUE(StoreCredential(path, "other.example", "u", "p").ok());
  EXPECT_NE(ReadFile(path)->find("credsStore"), std::string::npos);
  ASSERT_TRUE(WriteFileAtomic(path, R"({"auths":{"reg.example":{"auth":"bm9jb2xvbg=="}}})").ok());
  EXPECT_EQ(LookupCredential(path, "reg.example").error().message,
            path + ": auths[\"reg.example\"].auth: not base64 of USER:PASSWORD");
  ASSERT_TRUE(WriteFileAtomic(path, "[1]").ok());
  EXPECT_EQ(LookupCredential(path, "reg.example").error().message, path + ": not a JSON object");
}

TEST(AuthTest, CredentialHelpers) {
  std::string dir = testing::TempDir();
  std::string helper = dir + "/docker-credential-fake";
  ASSERT_TRUE(WriteFileAtomic(helper,
                              "#!/bin/sh\ns=$(cat)\n[ \"$1\" = get ] || exit 3\n"
                              "if [ \"$s\" = 127.0.0.1:5000 ]; then echo "
                              "'{\"ServerURL\":\"x\",\"Username\":\"carol\",\"Secret\":\"pw\"}'; "
                              "else echo 'credentials not found in native keychain'; exit 1; fi\n")
                  .ok());
  ASSERT_EQ(::chmod(helper.c_str(), 0755), 0);
  std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (dir + ":" + old_path).c_str(), 1);
  std::string path = dir + "/config.json";
  ASSERT_TRUE(
      WriteFileAtomic(path, R"({"credHelpers":{"127.0.0.1:5000":"fake"},"credsStore":"fake"})")
          .ok());
  auto c = LookupCredential(path, "127.0.0.1:5000");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->username, "carol");
  EXPECT_EQ((*c)->password, "pw");
  EXPECT_EQ((*c)->source, "credential helper docker-credential-fake");
  auto none = LookupCredential(path, "other.example");  // credsStore: not found there
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(WriteFileAtomic(path, R"({"credsStore":"missing-helper"})").ok());
  EXPECT_EQ(
      LookupCredential(path, "x.example").error().message,
      "credential helper docker-credential-missing-helper cannot run: No such file or directory");
  ::setenv("PATH", old_path.c_str(), 1);
}

}  // namespace
}  // namespace distill::image::registry
