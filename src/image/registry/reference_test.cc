#include "image/registry/reference.h"

#include <gtest/gtest.h>

namespace distill::image::registry {
namespace {

TEST(ReferenceTest, Forms) {
  struct Case {
    const char* text;
    const char* host;
    const char* repo;
    const char* tag;
    const char* digest;
  } cases[] = {
      {"127.0.0.1:5000/pyflask", "127.0.0.1:5000", "pyflask", "latest", ""},
      {"127.0.0.1:5000/team/app:1.2-rc_3", "127.0.0.1:5000", "team/app", "1.2-rc_3", ""},
      {"localhost/app", "localhost", "app", "latest", ""},
      {"ghcr.io/org/img", "ghcr.io", "org/img", "latest", ""},
      {"debian", "docker.io", "library/debian", "latest", ""},
      {"debian:12", "docker.io", "library/debian", "12", ""},
      {"user/app:v1", "docker.io", "user/app", "v1", ""},
      {"[::1]:5000/app:x", "[::1]:5000", "app", "x", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = ParseReference(c.text);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->host, c.host);
    EXPECT_EQ(r->repository, c.repo);
    EXPECT_EQ(r->tag, c.tag);
    EXPECT_EQ(r->digest, c.digest);
  }
}

TEST(ReferenceTest, Digest) {
  std::string d = "sha256:" + std::string(64, 'b');
  auto r = ParseReference("reg.example:443/app:1@" + d);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->tag, "1");
  EXPECT_EQ(r->digest, d);
  EXPECT_EQ(r->ManifestRef(), d);
  EXPECT_EQ(r->ToString(), "reg.example:443/app:1@" + d);
  auto only = ParseReference("reg.example/app@" + d);
  ASSERT_TRUE(only.ok());
  EXPECT_EQ(only->tag, "");
  EXPECT_EQ(ParseReference("docker.io/library/x")->ApiHost(), "registry-1.docker.io");
}

// Docker limits the normalized name (host/repository) to 255 characters. The fuzzer found a bare
// name of 250 that passed alone, then failed to parse back once printed with docker.io/library/.
TEST(ReferenceTest, NameLimitCountsTheNormalizedName) {
  const std::string n237(237, 'a'), n238(238, 'a');  // "docker.io/library/" is 18 characters
  auto fits = ParseReference(n237);
  ASSERT_TRUE(fits.ok()) << fits.error().message;
  EXPECT_EQ(fits->ToString(), "docker.io/library/" + n237 + ":latest");
  EXPECT_TRUE(ParseReference(fits->ToString()).ok());
  auto over = ParseReference(n238);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().message,
            n238 + ": name docker.io/library/" + n238 + " longer than 255 characters");
  EXPECT_TRUE(ParseReference("reg.example:5000/" + std::string(238, 'b')).ok());  // 17 + 238 = 255
  EXPECT_FALSE(ParseReference("reg.example:5000/" + std::string(239, 'b')).ok());
}

TEST(ReferenceTest, Errors) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"", "empty image reference"},
      {"reg.example/App",
       "reg.example/App: invalid repository name component 'App' (lowercase letters, digits and . "
       "_ - only)"},
      {"reg.example/app:", "reg.example/app:: invalid tag ''"},
      {"reg.example/app:-x", "reg.example/app:-x: invalid tag '-x'"},
      {"reg.example/", "reg.example/: missing repository name"},
      {"reg.example/a//b",
       "reg.example/a//b: invalid repository name component '' (lowercase letters, digits and . _ "
       "- only)"},
      {"reg.example/app@sha256:12",
       "reg.example/app@sha256:12: digest: invalid digest 'sha256:12': want 64 hex digits"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = ParseReference(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, c.error);
  }
}

TEST(ReferenceTest, Loopback) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1:5000"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("[::1]:5000"));
  EXPECT_FALSE(IsLoopbackHost("registry.example:5000"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1"));
}

}  // namespace
}  // namespace distill::image::registry
