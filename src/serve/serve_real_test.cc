// `distill serve` end to end with real components: a private PostgreSQL cluster, Debian's
// docker-registry with TLS and htpasswd auth holding an image pushed by `distill push`, a
// vulnerability database imported by `distill db import`, the `distill serve` process itself,
// and Harbor's client emulated (src/testing/harbor_client.py: credentials in
// registry.authorization, never follows redirects, honours Refresh-After). Every report is
// checked against the spec's schema (src/testing/harbor_schema.py).
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/postgres_server.h"
#include "testing/registry_server.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::serve {
namespace {

namespace fs = std::filesystem;
using distill::testing::RegistryServer;
using distill::testing::Shell;

std::string Images() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return env && *env ? env : "/var/cache/distill/test-images";
}

const std::string kSrc = DISTILL_SOURCE_DIR;

TEST(RealServeTest, HarborClientGetsSchemaValidReportsFromARealRegistry) {
  std::string error;
  bool skip = false;
  auto* pg = distill::testing::SharedPostgres(&error, &skip);
  if (!pg && skip) GTEST_SKIP() << error;
  ASSERT_TRUE(pg) << error;
  std::string conn = pg->CreateDatabase("serve_e2e", &error);
  ASSERT_FALSE(conn.empty()) << error;

  RegistryServer::Config c;
  c.tls = true;
  c.auth = RegistryServer::Auth::kBasic;
  auto reg = RegistryServer::Start(c, &error);
  ASSERT_TRUE(reg) << error;
  std::string dir = reg->dir(), ca = reg->ca_cert();
  std::string env = "DOCKER_CONFIG=" + dir + "/docker DISTILL_CACHE=" + dir + "/cache ";
  std::string d = std::string(DISTILL_BINARY) + " --ca-cert " + ca + " ";
  int rc = -1;
  std::string out = Shell("echo " + c.password + " | " + env + d + "login -u " + c.user +
                              " --password-stdin " + reg->host() + " 2>&1",
                          &rc);
  ASSERT_EQ(rc, 0) << out;
  std::string digest = Shell(
      env + d + "push -q oci-dir:" + Images() + "/oci:pyflask " + reg->host() + "/team/app:1", &rc);
  ASSERT_EQ(rc, 0) << digest;
  while (!digest.empty() && digest.back() == '\n') digest.pop_back();
  std::string db = dir + "/vuln.db";
  out = Shell(env + d + "db import -q --db " + db + " " + kSrc + "/tests/fixtures/vuln/osv 2>&1",
              &rc);
  ASSERT_EQ(rc, 0) << out;

  int port = distill::testing::FreePort();
  pid_t server = distill::testing::Spawn(
      {DISTILL_BINARY, "--ca-cert", ca, "serve", "--listen", fmt::format("127.0.0.1:{}", port),
       "--postgres", conn, "--db", db, "--api-key", "harbor-secret", "--workers", "2"},
      dir + "/serve.log");
  for (int i = 0; i < 100 && !distill::testing::Listening(port); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(distill::testing::Listening(port)) << Shell("cat " + dir + "/serve.log");

  auto harbor = [&](const std::string& out_dir) {
    return Shell("python3 " + kSrc + "/src/testing/harbor_client.py --url http://127.0.0.1:" +
                     std::to_string(port) + " --out " + out_dir +
                     " --api-key harbor-secret --registry-url https://" + reg->host() +
                     " --username " + c.user + " --password " + c.password +
                     " --repository team/app --digest " + digest +
                     " --tag 1 --sbom-media-type application/spdx+json --sbom-media-type "
                     "application/vnd.cyclonedx+json --first-poll 0.2 --time-scale 0.2 "
                     "--max-polls 200 2>&1",
                 &rc);
  };
  out = harbor(dir + "/h1");
  ASSERT_EQ(rc, 0) << out;
  auto summary = nlohmann::json::parse(*ReadFile(dir + "/h1/summary.json"));
  ASSERT_EQ(summary["scan"]["status"], 202) << summary.dump(1);
  ASSERT_EQ(summary["reports"].size(), 3u);
  std::vector<std::string> components = {"HarborVulnerabilityReport", "HarborSbomReport",
                                         "HarborSbomReport"};
  for (size_t i = 0; i < 3; ++i) {
    const auto& r = summary["reports"][i];
    ASSERT_EQ(r["status"], 200) << summary.dump(1) << Shell("cat " + dir + "/serve.log");
    EXPECT_EQ(r["content_type"], r["mime"]);
    std::string body_file = r["body_file"];
    std::string check = Shell("python3 " + kSrc + "/src/testing/harbor_schema.py " + components[i] +
                                  " " + body_file + " 2>&1",
                              &rc);
    EXPECT_EQ(rc, 0) << components[i] << ": " << check;
    auto body = nlohmann::json::parse(*ReadFile(body_file));
    EXPECT_EQ(body["artifact"]["digest"], digest);
    if (i > 0) {
      std::string sbom = body["sbom"].dump();
      EXPECT_NE(sbom.find("python3-flask"), std::string::npos) << i;
    }
  }

  // The same digest again: answered from the stored reports at the first poll (no new scan).
  out = harbor(dir + "/h2");
  ASSERT_EQ(rc, 0) << out;
  auto again = nlohmann::json::parse(*ReadFile(dir + "/h2/summary.json"));
  for (const auto& r : again["reports"]) {
    EXPECT_EQ(r["status"], 200) << again.dump(1);
    EXPECT_EQ(r["polls"], 1) << again.dump(1);
  }

  // A wrong API key: 401, and the scan is never queued.
  out = Shell(
      "curl -s -o /dev/null -w '%{http_code}' -H 'X-ScannerAdapter-API-Key: nope' "
      "http://127.0.0.1:" +
      std::to_string(port) + "/api/v1/metadata");
  EXPECT_EQ(out, "401");

  ::kill(server, SIGTERM);
  int status = 0;
  ::waitpid(server, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Shell("cat " + dir + "/serve.log");
  // The registry credential never reaches the log.
  EXPECT_EQ(Shell("grep -c " + c.password + " " + dir + "/serve.log"), "0\n");
}

}  // namespace
}  // namespace distill::serve
