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
  std::string conn = distill::testing::FreshDatabase("serve_e2e", &error, &skip);
  if (skip) GTEST_SKIP() << error;
  ASSERT_FALSE(conn.empty()) << error;

  RegistryServer::Config c;
  c.tls = true;
  c.auth = RegistryServer::Auth::kBasic;
  auto reg = RegistryServer::Start(c, &error);
  ASSERT_TRUE(reg) << error;
  std::string dir = reg->dir(), ca = reg->ca_cert();
  char tmpl[] = "/tmp/distill-serve-e2e-XXXXXX";
  std::string work = ::mkdtemp(tmpl);
  std::string ca_copy = work + "/ca.pem";
  fs::copy_file(ca, ca_copy);
  ca = ca_copy;
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
  std::string db = work + "/vuln.db";
  out = Shell(env + d + "db import -q --db " + db + " " + kSrc + "/tests/fixtures/vuln/osv 2>&1",
              &rc);
  ASSERT_EQ(rc, 0) << out;

  // A webhook receiver: every POST body appended to a file.
  int hook_port = distill::testing::FreePort();
  std::string hook_log = work + "/hook.log";
  pid_t hook = distill::testing::Spawn(
      {"python3", "-c",
       "import http.server,sys\n"
       "class H(http.server.BaseHTTPRequestHandler):\n"
       "  def do_POST(self):\n"
       "    b=self.rfile.read(int(self.headers['Content-Length']))\n"
       "    open(sys.argv[2],'ab').write(b+b'\\n')\n"
       "    self.send_response(204); self.end_headers()\n"
       "  def log_message(self,*a): pass\n"
       "http.server.HTTPServer(('127.0.0.1',int(sys.argv[1])),H).serve_forever()\n",
       std::to_string(hook_port), hook_log},
      work + "/hook.out");
  int port = distill::testing::FreePort();
  pid_t server = distill::testing::Spawn(
      {DISTILL_BINARY, "--ca-cert", ca, "serve", "--listen", fmt::format("127.0.0.1:{}", port),
       "--postgres", conn, "--db", db, "--api-key", "harbor-secret", "--workers", "2", "--webhook",
       fmt::format("http://127.0.0.1:{}/hook", hook_port)},
      work + "/serve.log");
  for (int i = 0; i < 100 && !distill::testing::Listening(port); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(distill::testing::Listening(port)) << Shell("cat " + work + "/serve.log");

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
    ASSERT_EQ(r["status"], 200) << summary.dump(1) << Shell("cat " + work + "/serve.log");
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

  // A new database (an advisory for flask, the source of the image's python3-flask) renamed in
  // while the server runs, and the registry gone: the stored SBOM is matched again, and the report
  // Harbor already has an id for shows the new finding.
  std::string advisory = R"({"schema_version": "1.4.0", "id": "DSA-9999-1",
    "modified": "2026-12-01T00:00:00Z", "aliases": ["CVE-2099-0001"], "summary": "test advisory",
    "affected": [{"package": {"ecosystem": "Debian:12", "name": "flask"},
      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.2.5-1"}]}]}]})";
  fs::create_directories(work + "/osv2");
  ASSERT_TRUE(WriteFileAtomic(work + "/osv2/DSA-9999-1.json", advisory).ok());
  out = Shell(env + d + "db import -q --db " + work + "/new.db " + kSrc +
                  "/tests/fixtures/vuln/osv " + work + "/osv2 2>&1",
              &rc);
  ASSERT_EQ(rc, 0) << out;
  reg.reset();
  fs::rename(work + "/new.db", db);
  std::string id = summary["id"];
  std::string report;
  for (int i = 0; i < 100; ++i) {
    report = Shell(
        "curl -s -H 'X-ScannerAdapter-API-Key: harbor-secret' -H 'Accept: "
        "application/vnd.security.vulnerability.report; version=1.1' "
        "http://127.0.0.1:" +
        std::to_string(port) + "/api/v1/scan/" + id + "/report");
    if (report.find("CVE-2099-0001") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_NE(report.find("CVE-2099-0001"), std::string::npos)
      << report << Shell("cat " + work + "/serve.log");

  // The webhook heard of it: the artifact and the one finding added.
  std::string heard;
  for (int i = 0; i < 50 && heard.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (auto text = ReadFile(hook_log); text.ok()) heard = *text;
  }
  ASSERT_FALSE(heard.empty()) << Shell("cat " + work + "/serve.log " + work + "/hook.out");
  auto change = nlohmann::json::parse(heard.substr(0, heard.find('\n')));
  EXPECT_EQ(change["type"], "distill.findings.changed");
  EXPECT_EQ(change["artifact"]["digest"], digest);
  EXPECT_EQ(change["artifact"]["repository"], "team/app");
  ASSERT_EQ(change["added"].size(), 1u) << heard;
  EXPECT_TRUE(change["added"][0].get<std::string>().starts_with("CVE-2099-0001 ")) << heard;
  EXPECT_TRUE(change["removed"].empty()) << heard;
  distill::testing::StopChild(hook, 1000);

  ::kill(server, SIGTERM);
  int status = 0;
  ::waitpid(server, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Shell("cat " + work + "/serve.log");
  // The registry credential never reaches the log.
  EXPECT_EQ(Shell("grep -c " + c.password + " " + work + "/serve.log"), "0\n");
  fs::remove_all(work);
}

}  // namespace
}  // namespace distill::serve
