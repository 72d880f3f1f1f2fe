// The scan worker against a real registry (Debian's docker-registry, TLS and htpasswd Basic auth):
// the image is pulled with the credential the scan request carries and nothing else, catalogued
// and matched; a wrong credential is an error that does not show it.
#include "serve/worker.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "image/registry/auth.h"
#include "testing/registry_server.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::serve {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Images() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return env && *env ? env : "/var/cache/distill/test-images";
}

TEST(ServeWorkerUrlTest, RegistryUrls) {
  auto a = ParseRegistryUrl("http://core:8080");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "core:8080");
  EXPECT_TRUE(a->plain_http);
  auto b = ParseRegistryUrl("https://registry.example/");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "registry.example");
  EXPECT_FALSE(b->plain_http);
  EXPECT_EQ(ParseRegistryUrl("127.0.0.1:5000")->host, "127.0.0.1:5000");
  EXPECT_FALSE(ParseRegistryUrl("ftp://x").ok());
  EXPECT_FALSE(ParseRegistryUrl("https://x/v2/").ok());
  EXPECT_FALSE(ParseRegistryUrl("").ok());
}

TEST(RealServeWorkerTest, PullsWithTheRequestsCredentialOnly) {
  std::string error;
  testing::RegistryServer::Config c;
  c.tls = true;
  c.auth = testing::RegistryServer::Auth::kBasic;
  auto reg = testing::RegistryServer::Start(c, &error);
  ASSERT_TRUE(reg) << error;
  std::string dir = reg->dir();
  const std::string& ca = reg->ca_cert();  // the certificate's file
  // Pushed with a login of its own (a private docker config), which the worker never reads.
  std::string env = "DOCKER_CONFIG=" + dir + "/docker DISTILL_CACHE=" + dir + "/cache ";
  int rc = -1;
  std::string out =
      testing::Shell("echo " + c.password + " | " + env + DISTILL_BINARY + " --ca-cert " + ca +
                         " login -u " + c.user + " --password-stdin " + reg->host() + " 2>&1",
                     &rc);
  ASSERT_EQ(rc, 0) << out;
  std::string digest =
      testing::Shell(env + DISTILL_BINARY + " --ca-cert " + ca + " push -q oci-dir:" + Images() +
                         "/oci:pyflask " + reg->host() + "/team/app:1",
                     &rc);
  ASSERT_EQ(rc, 0) << digest;
  while (!digest.empty() && digest.back() == '\n') digest.pop_back();
  ASSERT_TRUE(digest.starts_with("sha256:")) << digest;

  ScanTarget t;
  t.registry_url = "https://" + reg->host();
  t.authorization = "Basic " + image::registry::Base64Encode(c.user + ":" + c.password);
  t.repository = "team/app";
  t.digest = digest;
  WorkerOptions opt;
  opt.ca_cert = ca;
  auto doc = CatalogTarget(t, opt);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->source.manifest_digest, digest);
  EXPECT_EQ(doc->source.name, reg->host() + "/team/app@" + digest);
  bool flask = false;
  for (const auto& p : doc->catalog.packages) flask |= p.name == "python3-flask";
  EXPECT_TRUE(flask) << doc->catalog.packages.size() << " packages";

  // No credential, or a wrong one: an error naming the registry, never the secret.
  t.authorization = "";
  auto anonymous = CatalogTarget(t, opt);
  ASSERT_FALSE(anonymous.ok());
  EXPECT_THAT(anonymous.error().message, HasSubstr("401"));
  t.authorization = "Basic " + image::registry::Base64Encode(c.user + ":not-" + c.password);
  auto wrong = CatalogTarget(t, opt);
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.error().message, HasSubstr("401"));
  EXPECT_THAT(wrong.error().message, Not(HasSubstr("not-" + c.password)));
  // Another digest than the one the request names is refused.
  t.authorization = "Basic " + image::registry::Base64Encode(c.user + ":" + c.password);
  t.digest = "sha256:" + std::string(64, '0');
  EXPECT_FALSE(CatalogTarget(t, opt).ok());
}

}  // namespace
}  // namespace distill::serve
