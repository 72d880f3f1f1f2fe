// registry: sources and push against a real CNCF distribution registry (docker-registry) on
// 127.0.0.1, with skopeo as the peer both ways: what skopeo pushed distill reads with the same
// digests and packages as from the OCI layout; what distill pushed skopeo reads back unchanged.
#include <cstdlib>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/image_builder.h"
#include "testing/registry_server.h"
#include "testing/shell.h"
#include "util/digest.h"
#include "util/file.h"

namespace distill::image::registry {
namespace {

using distill::testing::RegistryServer;
using distill::testing::Shell;

std::string Images() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return env ? env : "/var/cache/distill/test-images";
}

std::string Distill(const std::string& args, int* rc, const std::string& env = "") {
  return Shell(env + " " + std::string(DISTILL_BINARY) + " " + args + " 2>&1", rc);
}

std::string DistillOut(const std::string& args, int* rc, const std::string& env = "") {
  return Shell(env + " " + std::string(DISTILL_BINARY) + " " + args + " 2>/dev/null", rc);
}

std::set<std::string> Packages(const std::string& distill_json) {
  std::set<std::string> s;
  auto j = nlohmann::json::parse(distill_json, nullptr, false);
  if (j.is_discarded()) return s;
  for (const auto& p : j["packages"])
    s.insert(p["name"].get<std::string>() + " " + p["version"].get<std::string>());
  return s;
}

nlohmann::json Inspect(const std::string& src, const std::string& flags = "",
                       const std::string& env = "") {
  int rc = 0;
  std::string out = DistillOut("inspect -q -o json " + flags + " '" + src + "'", &rc, env);
  EXPECT_EQ(rc, 0) << src << "\n" << Distill("inspect -q " + flags + " '" + src + "'", &rc, env);
  auto j = nlohmann::json::parse(out, nullptr, false);
  return j.is_discarded() ? nlohmann::json::object() : j;
}

std::unique_ptr<RegistryServer> StartOrSkip(const RegistryServer::Config& c) {
  std::string err;
  auto r = RegistryServer::Start(c, &err);
  EXPECT_NE(r, nullptr) << err;
  return r;
}

class RealRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    oci_ = Images() + "/oci";
    ASSERT_TRUE(Shell("test -d " + oci_ + " && echo y") == "y\n")
        << "no test images: run scripts/make-test-images.sh";
    // Never read the developer's own credentials.
    config_dir_ = testing::TempDir();
    env_ = "DOCKER_CONFIG=" + config_dir_ + " DISTILL_CACHE=" + config_dir_ + "/cache";
  }
  std::string oci_, config_dir_, env_;
};

TEST_F(RealRegistryTest, SkopeoPushDistillPullSameDigestsAndPackages) {
  auto reg = StartOrSkip({});
  ASSERT_NE(reg, nullptr);
  int rc = 0;
  std::string out = Shell("skopeo copy -q --dest-tls-verify=false oci:" + oci_ +
                              ":pyflask docker://" + reg->host() + "/pyflask 2>&1",
                          &rc);
  ASSERT_EQ(rc, 0) << out;

  auto local = Inspect("oci-dir:" + oci_ + ":pyflask");
  auto remote = Inspect("registry:" + reg->host() + "/pyflask", "", env_);
  EXPECT_EQ(remote["type"], "registry");
  EXPECT_EQ(remote["manifest_digest"], local["manifest_digest"]);
  EXPECT_EQ(remote["config_digest"], local["config_digest"]);
  EXPECT_EQ(remote["layers"], local["layers"]);
  EXPECT_EQ(remote["totals"], local["totals"]);
  // skopeo's own view of the manifest agrees.
  std::string raw =
      Shell("skopeo inspect --raw --tls-verify=false docker://" + reg->host() + "/pyflask");
  EXPECT_EQ(Sha256Digest(raw), local["manifest_digest"]);

  auto want = Packages(DistillOut("sbom -q -o distill-json oci-dir:" + oci_ + ":pyflask", &rc));
  ASSERT_GT(want.size(), 100u);
  EXPECT_EQ(Packages(DistillOut(
                "sbom -q -o distill-json registry:" + reg->host() + "/pyflask:latest", &rc, env_)),
            want);
  // A bare reference with an explicit host, and by digest.
  EXPECT_EQ(Packages(DistillOut("sbom -q -o distill-json " + reg->host() + "/pyflask", &rc, env_)),
            want);
  auto by_digest =
      Inspect("registry:" + reg->host() + "/pyflask@" + local["manifest_digest"].get<std::string>(),
              "", env_);
  EXPECT_EQ(by_digest["manifest_digest"], local["manifest_digest"]);
  // With the blob cache: the second read comes from the cache and gives the same answer.
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(Packages(DistillOut(
                  "--blob-cache sbom -q -o distill-json registry:" + reg->host() + "/pyflask", &rc,
                  env_)),
              want);
  EXPECT_EQ(Shell("ls " + config_dir_ + "/cache/blobs/sha256 | wc -l"), "2\n");  // the two layers
}

TEST_F(RealRegistryTest, ZstdLayersAndDockerSchema2) {
  auto reg = StartOrSkip({});
  ASSERT_NE(reg, nullptr);
  int rc = 0;
  Shell("skopeo copy -q --dest-tls-verify=false oci:" + Images() + "/oci-zstd:pyflask docker://" +
            reg->host() + "/zstd",
        &rc);
  ASSERT_EQ(rc, 0);
  Shell("skopeo copy -q --dest-tls-verify=false --format v2s2 oci:" + oci_ + ":minbase docker://" +
            reg->host() + "/v2s2",
        &rc);
  ASSERT_EQ(rc, 0);
  auto zstd = Inspect("registry:" + reg->host() + "/zstd");
  EXPECT_EQ(zstd["manifest_digest"],
            Inspect("oci-dir:" + Images() + "/oci-zstd")["manifest_digest"]);
  auto v2s2 = Inspect("registry:" + reg->host() + "/v2s2");
  std::string raw =
      Shell("skopeo inspect --raw --tls-verify=false docker://" + reg->host() + "/v2s2");
  EXPECT_EQ(v2s2["manifest_digest"], Sha256Digest(raw));
  EXPECT_NE(raw.find("application/vnd.docker.distribution.manifest.v2+json"), std::string::npos);
  EXPECT_EQ(v2s2["config_digest"], Inspect("oci-dir:" + oci_ + ":minbase")["config_digest"]);
}

TEST_F(RealRegistryTest, NotFoundNamesTheRegistryErrorCode) {
  auto reg = StartOrSkip({});
  ASSERT_NE(reg, nullptr);
  int rc = 0;
  std::string out = Distill("inspect registry:" + reg->host() + "/nothing:here", &rc, env_);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(
      out.find("error: " + reg->host() + ": GET /v2/nothing/manifests/here: not found (HTTP 404 "),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("UNKNOWN"), std::string::npos) << out;
}

TEST_F(RealRegistryTest, DistillPushSkopeoReadsBack) {
  auto reg = StartOrSkip({});
  ASSERT_NE(reg, nullptr);
  int rc = 0;
  std::string want = Inspect("oci-dir:" + oci_ + ":pyflask")["manifest_digest"];
  std::string out =
      DistillOut("push -q oci-dir:" + oci_ + ":pyflask " + reg->host() + "/pushed:v1", &rc, env_);
  ASSERT_EQ(rc, 0) << Distill("push oci-dir:" + oci_ + ":pyflask " + reg->host() + "/pushed:v1",
                              &rc, env_);
  EXPECT_EQ(out, want + "\n");
  std::string raw =
      Shell("skopeo inspect --raw --tls-verify=false docker://" + reg->host() + "/pushed:v1");
  EXPECT_EQ(Sha256Digest(raw), want);
  std::string back = testing::TempDir() + "/back";
  Shell("skopeo copy -q --src-tls-verify=false docker://" + reg->host() + "/pushed:v1 oci:" + back +
            ":x 2>&1",
        &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(Inspect("oci-dir:" + back + ":x")["manifest_digest"], want);

  // Again: every blob is there already.
  out = Distill("push oci-dir:" + oci_ + ":pyflask " + reg->host() + "/pushed:v2", &rc, env_);
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find("0 blobs uploaded (0.0 MB), 3 already present"), std::string::npos) << out;
  // Chunked uploads to another repository.
  out =
      Distill("push --chunk-size 1000000 oci-dir:" + oci_ + ":pyflask " + reg->host() + "/chunked",
              &rc, env_);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("3 blobs uploaded"), std::string::npos) << out;
  EXPECT_EQ(Sha256Digest(Shell("skopeo inspect --raw --tls-verify=false docker://" + reg->host() +
                               "/chunked")),
            want);
  EXPECT_EQ(Inspect("registry:" + reg->host() + "/chunked", "", env_)["layers"],
            Inspect("oci-dir:" + oci_ + ":pyflask")["layers"]);
  // Cross-repository mount.
  out =
      Distill("push --mount-from pushed oci-dir:" + oci_ + ":pyflask " + reg->host() + "/mounted:1",
              &rc, env_);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("3 mounted"), std::string::npos) << out;
  EXPECT_EQ(Sha256Digest(Shell("skopeo inspect --raw --tls-verify=false docker://" + reg->host() +
                               "/mounted:1")),
            want);
}

TEST_F(RealRegistryTest, PushMultiPlatformIndex) {
  auto reg = StartOrSkip({});
  ASSERT_NE(reg, nullptr);
  std::vector<testing::TestImage> images(2);
  images[0].tag = "multi";
  images[0].layers = {
      testing::Layer("file etc/os-release 0644 ID=debian\\n\nfile bin/amd 0755 x\n")};
  images[1].arch = "arm64";
  images[1].variant = "v8";
  images[1].layers = {
      testing::Layer("file etc/os-release 0644 ID=debian\\n\nfile bin/arm 0755 y\n")};
  std::string dir = testing::TempDir() + "/layout";
  testing::WriteDir(dir, testing::OciLayoutFiles(images, true));
  int rc = 0;
  std::string digest =
      DistillOut("push oci-dir:" + dir + " " + reg->host() + "/multi:1", &rc, env_);
  ASSERT_EQ(rc, 0) << Distill("push oci-dir:" + dir + " " + reg->host() + "/multi:1", &rc, env_);
  std::string raw =
      Shell("skopeo inspect --raw --tls-verify=false docker://" + reg->host() + "/multi:1");
  EXPECT_EQ(Sha256Digest(raw) + "\n", digest);
  EXPECT_NE(raw.find("\"manifests\""), std::string::npos);
  auto arm = Inspect("registry:" + reg->host() + "/multi:1", "--platform linux/arm64", env_);
  EXPECT_EQ(arm["platform"], "linux/arm64/v8");
  EXPECT_EQ(arm["index_digest"].get<std::string>() + "\n", digest);
  int lsrc = 0;
  EXPECT_NE(
      DistillOut("--platform linux/arm64 ls registry:" + reg->host() + "/multi:1", &lsrc, env_)
          .find("bin/arm"),
      std::string::npos);
}

TEST_F(RealRegistryTest, BasicAuthOverTls) {
  auto reg = StartOrSkip({.tls = true, .auth = RegistryServer::Auth::kBasic});
  ASSERT_NE(reg, nullptr);
  const auto& c = reg->config();
  int rc = 0;
  std::string out =
      Shell("skopeo copy -q --dest-tls-verify=false --dest-creds " + c.user + ":" + c.password +
                " oci:" + oci_ + ":minbase docker://" + reg->host() + "/app:1 2>&1",
            &rc);
  ASSERT_EQ(rc, 0) << out;
  std::string src = "registry:" + reg->host() + "/app:1";
  std::string ca = " --ca-cert " + reg->ca_cert() + " ";

  // The self-signed certificate is refused without --ca-cert.
  out = Distill("inspect " + src, &rc, env_);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("--ca-cert"), std::string::npos) << out;
  // Anonymous: 401, naming what was tried.
  out = Distill(ca + "inspect " + src, &rc, env_);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("authentication required (HTTP 401"), std::string::npos) << out;
  EXPECT_NE(out.find("tried anonymous access (no credentials for " + reg->host() + " in " +
                     config_dir_ + "/config.json)"),
            std::string::npos)
      << out;
  // A wrong password is refused by login, and never printed.
  out = Shell("echo wrong-secret | " + env_ + " " + DISTILL_BINARY + ca + "login -u " + c.user +
                  " --password-stdin " + reg->host() + " 2>&1",
              &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_EQ(out.find("wrong-secret"), std::string::npos) << out;
  EXPECT_NE(out.find("tried credentials for user 'alice' from distill login"), std::string::npos)
      << out;
  // login, then pull with the stored credentials.
  out = Shell("echo " + c.password + " | " + env_ + " " + DISTILL_BINARY + ca + "login -u " +
                  c.user + " --password-stdin " + reg->host() + " 2>&1",
              &rc);
  ASSERT_EQ(rc, 0) << out;
  auto cfg = nlohmann::json::parse(Shell("cat " + config_dir_ + "/config.json"));
  EXPECT_TRUE(cfg["auths"].contains(reg->host()));
  EXPECT_EQ(Shell("stat -c %a " + config_dir_ + "/config.json"), "600\n");
  std::string want = Inspect("oci-dir:" + oci_ + ":minbase")["manifest_digest"];
  EXPECT_EQ(Inspect(src, ca, env_)["manifest_digest"], want);
  EXPECT_EQ(Inspect(src, "--insecure-registry " + reg->host(), env_)["manifest_digest"], want);
  // push with the stored credentials
  out = DistillOut(ca + "push oci-dir:" + oci_ + ":minbase " + reg->host() + "/pushed", &rc, env_);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, want + "\n");
  // logout removes them; the password never shows up in any output.
  out = Distill("logout " + reg->host(), &rc, env_);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_FALSE(
      nlohmann::json::parse(Shell("cat " + config_dir_ + "/config.json"))["auths"].contains(
          reg->host()));
  out = Distill(ca + "inspect " + src, &rc, env_);
  EXPECT_EQ(rc, 2);
  EXPECT_EQ(out.find(c.password), std::string::npos);
}

TEST_F(RealRegistryTest, BearerTokenFlow) {
  auto reg = StartOrSkip({.auth = RegistryServer::Auth::kToken});
  ASSERT_NE(reg, nullptr);
  const auto& c = reg->config();
  int rc = 0;
  std::string creds = " --dest-creds " + c.user + ":" + c.password;
  std::string out = Shell("skopeo copy -q --dest-tls-verify=false" + creds + " oci:" + oci_ +
                              ":minbase docker://" + reg->host() + "/private/app 2>&1",
                          &rc);
  ASSERT_EQ(rc, 0) << out;
  Shell("skopeo copy -q --dest-tls-verify=false" + creds + " oci:" + oci_ + ":minbase docker://" +
            reg->host() + "/public/app 2>&1",
        &rc);
  ASSERT_EQ(rc, 0);
  std::string want = Inspect("oci-dir:" + oci_ + ":minbase")["manifest_digest"];
  // Anonymous tokens can pull public/*, not private/*.
  EXPECT_EQ(Inspect("registry:" + reg->host() + "/public/app", "", env_)["manifest_digest"], want);
  out = Distill("inspect registry:" + reg->host() + "/private/app", &rc, env_);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("tried anonymous access"), std::string::npos) << out;
  out = Shell("echo " + c.password + " | " + env_ + " " + DISTILL_BINARY + " login -u " + c.user +
                  " --password-stdin " + reg->host() + " 2>&1",
              &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(Inspect("registry:" + reg->host() + "/private/app", "", env_)["manifest_digest"], want);
  out = DistillOut(
      "push --mount-from private/app oci-dir:" + oci_ + ":minbase " + reg->host() + "/private/copy",
      &rc, env_);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, want + "\n");
}

// Docker config identity tokens and credential helpers answering "<token>" are OAuth2 refresh
// tokens: exchanged by POSTing the refresh_token grant to the token endpoint.
TEST_F(RealRegistryTest, IdentityTokenOAuth2Flow) {
  auto reg = StartOrSkip({.auth = RegistryServer::Auth::kToken});
  ASSERT_NE(reg, nullptr);
  const auto& c = reg->config();
  int rc = 0;
  std::string creds = " --dest-creds " + c.user + ":" + c.password;
  std::string out = Shell("skopeo copy -q --dest-tls-verify=false" + creds + " oci:" + oci_ +
                              ":minbase docker://" + reg->host() + "/private/app 2>&1",
                          &rc);
  ASSERT_EQ(rc, 0) << out;
  std::string want = Inspect("oci-dir:" + oci_ + ":minbase")["manifest_digest"];
  auto write_config = [&](const nlohmann::json& j) {
    EXPECT_TRUE(WriteFileAtomic(config_dir_ + "/config.json", j.dump()).ok());
  };
  write_config({{"auths", {{reg->host(), {{"identitytoken", reg->identity_token()}}}}}});
  EXPECT_EQ(Inspect("registry:" + reg->host() + "/private/app", "", env_)["manifest_digest"], want);
  // A wrong identity token: the POST is refused (401), the GET fallback is anonymous: no access.
  write_config({{"auths", {{reg->host(), {{"identitytoken", "rt-wrong"}}}}}});
  out = Distill("inspect registry:" + reg->host() + "/private/app", &rc, env_);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("tried an identity token from " + config_dir_ + "/config.json"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("rt-wrong"), std::string::npos) << out;
  // A credential helper whose Username is "<token>".
  std::string bin = config_dir_ + "/bin";
  Shell("mkdir -p " + bin);
  EXPECT_TRUE(
      WriteFileAtomic(bin + "/docker-credential-distilltest",
                      "#!/bin/sh\ncat >/dev/null\necho '{\"Username\":\"<token>\",\"Secret\":\"" +
                          reg->identity_token() + "\"}'\n")
          .ok());
  Shell("chmod +x " + bin + "/docker-credential-distilltest");
  write_config({{"credHelpers", {{reg->host(), "distilltest"}}}});
  EXPECT_EQ(Inspect("registry:" + reg->host() + "/private/app", "",
                    env_ + " PATH=" + bin + ":$PATH")["manifest_digest"],
            want);
}

}  // namespace
}  // namespace distill::image::registry
