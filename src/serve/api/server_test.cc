// The real server on 127.0.0.1 (an ephemeral port), spoken to over a plain socket, and by the
// Harbor client emulator (src/testing/harbor_client.py). The job store (src/serve/store/, on
// PostgreSQL) is not part of this test: FakeService below is an in-memory ScanService whose
// answers each test scripts. Every JSON answer is validated against the spec's schemas.
#include "serve/api/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "image/registry/auth.h"
#include "sbom/testing/sample_sbom.h"
#include "serve/api/report.h"
#include "serve/api/testing/sample_findings.h"
#include "serve/api/testing/schema_check.h"
#include "testing/shell.h"
#include "util/log.h"

namespace distill::serve {
namespace {

namespace fs = std::filesystem;
using J = nlohmann::json;

// An in-memory ScanService. Each scan answers from `script` in turn (the last answer repeats);
// kDone answers get the report rendered for the kind asked, from the sample findings and SBOM.
class FakeService : public ScanService {
 public:
  Result<std::string> Submit(const ScanRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!submit_error.empty()) return InternalErrorf("{}", submit_error);
    std::string id = "scan-" + std::to_string(requests.size() + 1);
    requests[id] = request;
    return id;
  }
  Result<ReportAnswer> Report(const std::string& id, ReportKind kind) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = requests.find(id);
    if (it == requests.end()) return ReportAnswer{};
    const auto& kinds = it->second.reports;
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) return ReportAnswer{};
    size_t& n = polls[{id, kind}];
    ReportAnswer a = script.empty() ? ReportAnswer{ReportAnswer::State::kDone}
                                    : script[std::min(n, script.size() - 1)];
    ++n;
    if (a.state == ReportAnswer::State::kDone) a.body = Render(it->second, kind);
    return a;
  }
  ServiceInfo Info() override {
    std::lock_guard<std::mutex> lock(mu_);
    return info;
  }

  static std::string Render(const ScanRequest& request, ReportKind kind) {
    ReportContext context = testing::SampleContext();
    context.artifact = request.artifact;
    if (TypeOf(kind).capability == "vulnerability")
      return RenderVulnerabilityReport(context, testing::SampleFindings(), kind);
    return *RenderSbomReport(context, sbom::testing::SampleSbom(), kind);
  }

  std::mutex mu_;
  std::string submit_error;
  std::vector<ReportAnswer> script;
  std::map<std::string, ScanRequest> requests;
  std::map<std::pair<std::string, ReportKind>, size_t> polls;
  ServiceInfo info;
};

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// `req` sent over a fresh socket, the answer read to the end.
Response HttpRaw(int port, const std::string& req) {
  Response r;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return r;
  }
  for (size_t sent = 0; sent < req.size();) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading it all
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[65536];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    raw.append(buf, static_cast<size_t>(n));
  ::close(fd);
  size_t end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  size_t line = raw.find("\r\n") + 2;
  while (line < end) {
    size_t next = raw.find("\r\n", line);
    std::string h = raw.substr(line, next - line);
    size_t colon = h.find(':');
    std::string name = h.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = h.substr(h.find_first_not_of(' ', colon + 1));
    line = next + 2;
  }
  r.body = raw.substr(end + 4);
  return r;
}

// One request, "Connection: close".
Response Http(int port, const std::string& method, const std::string& target,
              std::map<std::string, std::string> headers, const std::string& body = "") {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!body.empty() || method == "POST") headers["Content-Length"] = std::to_string(body.size());
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  return HttpRaw(port, req + "\r\n" + body);
}

const std::string kSecret = "harbor:s3cret";
const std::string kVulnMime = "application/vnd.security.vulnerability.report; version=1.1";
const std::string kLegacyMime =
    "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
const std::string kSbomMime = "application/vnd.security.sbom.report+json; version=1.0";
const std::string kRequestMime = "application/vnd.scanner.adapter.scan.request+json; version=1.1";
const std::string kErrorMime = "application/vnd.scanner.adapter.error+json; version=1.0";

std::string ScanBody() {
  return R"({"registry":{"url":"http://core:8080","authorization":"Basic cm9ib3Q6cm9ib3Qtc2VjcmV0"},)"
         R"("artifact":{"repository":"library/app","digest":"sha256:)" +
         std::string(64, 'b') +
         R"(","tag":"1.0","mime_type":"application/vnd.oci.image.manifest.v1+json"}})";
}

class ServeServer : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    options.secret = kSecret;
    options.max_body = 4096;
    options.threads = 2;
    options.scanner = {"distill", "distill", "9.9.9"};
    auto server = Server::Start(service_, options);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(server).value();
  }
  void TearDown() override {
    server_.reset();
    // Every error answer any test got is the spec's error document.
    if (!errors_.empty()) {
      EXPECT_EQ(testing::HarborSchemaErrors("ErrorResponse", errors_), "");
    }
  }

  // A request with the Bearer secret; error answers are kept for the schema check.
  Response Call(const std::string& method, const std::string& target,
                std::map<std::string, std::string> headers = {}, const std::string& body = "") {
    if (!headers.count("Authorization") && !headers.count("X-ScannerAdapter-API-Key"))
      headers["Authorization"] = "Bearer " + kSecret;
    Response r = Http(server_->port(), method, target, headers, body);
    if (r.status >= 400) {
      EXPECT_EQ(r.Header("content-type"), kErrorMime) << method << " " << target;
      errors_.push_back(r.body);
    }
    return r;
  }
  std::string Submit(const std::string& body = ScanBody()) {
    Response r = Call("POST", "/api/v1/scan", {{"Content-Type", kRequestMime}}, body);
    EXPECT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(r.Header("content-type"),
              "application/vnd.scanner.adapter.scan.response+json; version=1.0");
    EXPECT_EQ(testing::HarborSchemaErrors("ScanResponse", {r.body}), "");
    return J::parse(r.body)["id"];
  }
  Response GetReport(const std::string& id, const std::string& accept,
                     const std::string& query = "") {
    return Call("GET", "/api/v1/scan/" + id + "/report" + query, {{"Accept", accept}});
  }
  std::string Message(const Response& r) { return J::parse(r.body)["error"]["message"]; }

  FakeService service_;
  std::unique_ptr<Server> server_;
  std::vector<std::string> errors_;
};

TEST_F(ServeServer, MetadataInBothVersions) {
  service_.info.database_updated_at = "2026-12-07T06:00:00Z";
  Response v11 = Call("GET", "/api/v1/metadata",
                      {{"Accept", "application/vnd.scanner.adapter.metadata+json; version=1.1"}});
  ASSERT_EQ(v11.status, 200);
  EXPECT_EQ(v11.Header("content-type"),
            "application/vnd.scanner.adapter.metadata+json; version=1.1");
  J doc = J::parse(v11.body);
  EXPECT_EQ(doc["scanner"]["version"], "9.9.9");
  EXPECT_EQ(doc["capabilities"].size(), 2u);
  EXPECT_EQ(doc["properties"]["harbor.scanner-adapter/vulnerability-database-updated-at"],
            "2026-12-07T06:00:00Z");
  Response v10 = Call("GET", "/api/v1/metadata",
                      {{"Accept", "application/vnd.scanner.adapter.metadata+json; version=1.0"}});
  ASSERT_EQ(v10.status, 200);
  EXPECT_EQ(v10.Header("content-type"),
            "application/vnd.scanner.adapter.metadata+json; version=1.0");
  EXPECT_EQ(J::parse(v10.body)["capabilities"].size(), 1u);
  EXPECT_EQ(testing::HarborSchemaErrors("ScannerAdapterMetadata", {v11.body, v10.body}), "");
}

TEST_F(ServeServer, ScanThenPendingThenEveryReport) {
  ReportAnswer pending{ReportAnswer::State::kPending};
  pending.refresh_after = 0;  // clamped to 1
  ReportAnswer slow = pending;
  slow.refresh_after = 100000;  // clamped to 127
  ReportAnswer soon = pending;
  soon.refresh_after = 30;
  service_.script = {pending, slow, soon, ReportAnswer{ReportAnswer::State::kDone}};
  std::string id = Submit();
  ASSERT_EQ(service_.requests.count(id), 1u);
  const ScanRequest& got = service_.requests[id];
  EXPECT_EQ(got.authorization, "Basic cm9ib3Q6cm9ib3Qtc2VjcmV0");
  EXPECT_EQ(got.artifact.repository, "library/app");
  EXPECT_EQ(got.reports.size(), 4u);

  for (const char* want : {"1", "127", "30"}) {
    Response r = GetReport(id, kVulnMime);
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(r.Header("refresh-after"), want);
    EXPECT_EQ(r.Header("location"), "");  // nothing Harbor could follow
  }
  service_.script = {};  // every kind is done now
  std::vector<std::string> vulnerability, sbom;
  for (const std::string& mime : {kVulnMime, kLegacyMime}) {
    Response r = GetReport(id, mime);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("content-type"), mime);
    vulnerability.push_back(r.body);
  }
  EXPECT_TRUE(J::parse(vulnerability[0])["vulnerabilities"][0].contains("preferred_cvss"));
  EXPECT_FALSE(J::parse(vulnerability[1])["vulnerabilities"][0].contains("preferred_cvss"));
  EXPECT_EQ(J::parse(vulnerability[0])["artifact"]["repository"], "library/app");
  for (const char* media : {"application/spdx+json", "application/vnd.cyclonedx+json"}) {
    Response r = GetReport(id, kSbomMime, std::string("?sbom_media_type=") + media);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("content-type"), kSbomMime);
    EXPECT_EQ(J::parse(r.body)["media_type"], media);
    sbom.push_back(r.body);
  }
  // The query as a Go client escapes it.
  Response escaped = GetReport(id, kSbomMime, "?sbom_media_type=application%2Fspdx%2Bjson");
  EXPECT_EQ(escaped.status, 200);
  EXPECT_EQ(J::parse(escaped.body)["media_type"], "application/spdx+json");
  EXPECT_EQ(testing::HarborSchemaErrors("HarborVulnerabilityReport", vulnerability), "");
  EXPECT_EQ(testing::HarborSchemaErrors("HarborSbomReport", sbom), "");
  EXPECT_EQ(
      testing::SbomSchemaErrors("spdx/spdx-schema-v2.3.json", {J::parse(sbom[0])["sbom"].dump()}),
      "");
  EXPECT_EQ(testing::SbomSchemaErrors("cyclonedx/bom-1.6.schema.json",
                                      {J::parse(sbom[1])["sbom"].dump()}),
            "");
}

TEST_F(ServeServer, ReportErrors) {
  std::string id = Submit();
  Response unknown = GetReport("scan-404", kVulnMime);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Message(unknown), "no vulnerability report for scan 'scan-404'");
  EXPECT_EQ(GetReport(std::string(200, 'x'), kVulnMime).status, 404);
  Response raw = GetReport(id, "application/vnd.scanner.adapter.vuln.report.raw");
  EXPECT_EQ(raw.status, 501);
  Response no_media = GetReport(id, kSbomMime);
  EXPECT_EQ(no_media.status, 400);
  EXPECT_EQ(Message(no_media),
            "the SBOM report needs the sbom_media_type query parameter (application/spdx+json or "
            "application/vnd.cyclonedx+json)");
  EXPECT_EQ(GetReport(id, kSbomMime, "?sbom_media_type=text/xml").status, 400);

  ReportAnswer failed{ReportAnswer::State::kFailed};
  failed.body = "pull library/app: registry answered 401 Unauthorized";
  service_.script = {failed};
  Response r = GetReport(id, kVulnMime);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(Message(r), "pull library/app: registry answered 401 Unauthorized");

  // A scan that asked only for the vulnerability report has no SBOM.
  std::string only =
      Submit(R"({"registry":{"url":"http://h"},"artifact":{"repository":"a",)"
             R"("digest":"sha256:)" +
             std::string(64, 'd') + R"("},"enabled_capabilities":[{"type":"vulnerability"}]})");
  EXPECT_EQ(GetReport(only, kSbomMime, "?sbom_media_type=application/spdx+json").status, 404);
}

TEST_F(ServeServer, ScanRequestErrors) {
  auto post = [&](const std::string& body, const std::string& type = kRequestMime) {
    return Call("POST", "/api/v1/scan", {{"Content-Type", type}}, body);
  };
  Response bad_json = post("{\"registry\":");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(Message(bad_json).rfind("request body is not JSON: ", 0), 0u) << bad_json.body;
  Response no_digest = post(R"({"registry":{"url":"http://h"},"artifact":{"repository":"a"}})");
  EXPECT_EQ(no_digest.status, 422);
  EXPECT_EQ(Message(no_digest), "artifact.digest: missing");
  Response capability =
      post(R"({"registry":{"url":"http://h"},"artifact":{"repository":"a",)"
           R"("digest":"sha256:)" +
           std::string(64, 'e') + R"("},"enabled_capabilities":[{"type":"malware"}]})");
  EXPECT_EQ(capability.status, 501);
  EXPECT_EQ(post(ScanBody(), "text/plain").status, 415);
  EXPECT_EQ(
      post(ScanBody(), "application/vnd.scanner.adapter.scan.request+json; version=3.0").status,
      501);
  Response big = post(std::string(5000, ' ') + ScanBody());
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(Message(big), "request body too large");
  // Chunked, the length unknown until the end: cut at the same limit.
  std::string chunked =
      "POST /api/v1/scan HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      "Authorization: Bearer " +
      kSecret + "\r\nContent-Type: " + kRequestMime + "\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 10; ++i) chunked += "3e8\r\n" + std::string(1000, ' ') + "\r\n";
  Response big_chunked = HttpRaw(server_->port(), chunked + "0\r\n\r\n");
  EXPECT_EQ(big_chunked.status, 413) << big_chunked.body;
  errors_.push_back(big_chunked.body);
  Response empty = post("");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(Message(empty), "request body is empty");
  Response no_length = HttpRaw(server_->port(),
                               "POST /api/v1/scan HTTP/1.1\r\nHost: h\r\n"
                               "Connection: close\r\nAuthorization: Bearer " +
                                   kSecret + "\r\nContent-Type: " + kRequestMime + "\r\n\r\n");
  EXPECT_EQ(no_length.status, 411) << no_length.body;
  EXPECT_EQ(Message(no_length), "a POST needs Content-Length (or a chunked body)");
  errors_.push_back(no_length.body);
  service_.submit_error = "queue: connection refused";
  Response down = post(ScanBody());
  EXPECT_EQ(down.status, 500);
  EXPECT_EQ(Message(down), "scan request not queued: queue: connection refused");
  EXPECT_EQ(service_.requests.size(), 0u);
}

TEST_F(ServeServer, CallersMustPresentTheSecret) {
  const std::map<std::string, std::string> accept = {
      {"Accept", "application/vnd.scanner.adapter.metadata+json; version=1.1"}};
  auto with = [&](const std::string& name, const std::string& value) {
    auto h = accept;
    h[name] = value;
    return Call("GET", "/api/v1/metadata", h).status;
  };
  EXPECT_EQ(with("Authorization", "Bearer " + kSecret), 200);
  EXPECT_EQ(with("Authorization", "Basic " + image::registry::Base64Encode(kSecret)), 200);
  EXPECT_EQ(with("X-ScannerAdapter-API-Key", kSecret), 200);
  EXPECT_EQ(with("Authorization", "Bearer nope"), 401);
  EXPECT_EQ(with("Authorization", "Basic " + image::registry::Base64Encode("harbor:nope")), 401);
  EXPECT_EQ(with("X-ScannerAdapter-API-Key", "nope"), 401);
  Response none = Http(server_->port(), "GET", "/api/v1/metadata", accept);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("content-type"), kErrorMime);
  errors_.push_back(none.body);
  // Checked before the body is read or the request parsed.
  Response post = Http(server_->port(), "POST", "/api/v1/scan", {{"Content-Type", kRequestMime}},
                       std::string(5000, 'x'));
  EXPECT_EQ(post.status, 401);
  EXPECT_EQ(Http(server_->port(), "GET", "/api/v1/scan/x/report", {}).status, 401);
  // Probes and metrics are open.
  EXPECT_EQ(Http(server_->port(), "GET", "/healthz", {}).status, 200);
  EXPECT_EQ(Http(server_->port(), "GET", "/metrics", {}).status, 200);
}

// Harbor's Go client keeps its connection open between requests.
TEST_F(ServeServer, KeepAlive) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string pending;
  auto exchange = [&](const std::string& request) {
    EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
    char buf[4096];
    while (true) {  // until the headers and Content-Length bytes of body are in
      size_t end = pending.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t at = pending.find("Content-Length: ");
        size_t length = at < end ? std::stoul(pending.substr(at + 16)) : 0;
        if (pending.size() >= end + 4 + length) {
          std::string answer = pending.substr(0, end + 4 + length);
          pending.erase(0, end + 4 + length);
          return answer;
        }
      }
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return std::string("(closed) ") + pending;
      pending.append(buf, static_cast<size_t>(n));
    }
  };
  std::string auth = "Authorization: Bearer " + kSecret + "\r\n";
  for (int i = 0; i < 3; ++i) {
    std::string meta = exchange("GET /api/v1/metadata HTTP/1.1\r\nHost: h\r\n" + auth + "\r\n");
    EXPECT_EQ(meta.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << meta;
    EXPECT_NE(meta.find("\"capabilities\""), std::string::npos) << meta;
  }
  ::close(fd);
}

TEST_F(ServeServer, OtherPathsAndMethods) {
  Response nowhere = Call("GET", "/api/v2/metadata");
  EXPECT_EQ(nowhere.status, 404);
  EXPECT_EQ(Message(nowhere), "not found");
  Response del = Call("DELETE", "/api/v1/scan");
  EXPECT_EQ(del.status, 405);
  EXPECT_EQ(del.Header("allow"), "GET, POST");
  EXPECT_EQ(Call("GET", "/api/v1/scan").status, 405);
}

TEST_F(ServeServer, ProbesAndMetrics) {
  Response health = Http(server_->port(), "GET", "/healthz", {});
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  service_.info.ready = false;
  service_.info.not_ready_reason = "database: connection refused";
  Response not_ready = Call("GET", "/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(Message(not_ready), "not ready: database: connection refused");
  service_.info.ready = true;
  service_.info.queue_depth = 3;
  service_.info.scan_seconds = DurationHistogram{{1, 10}, {2, 5}, 6, 31.5};
  EXPECT_EQ(Http(server_->port(), "GET", "/readyz", {}).status, 200);
  Submit();
  Call("GET", "/api/v1/scan/nope/report", {{"Accept", kVulnMime}});
  Call("GET", "/nowhere");
  Response m = Http(server_->port(), "GET", "/metrics", {});
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  // Read back by Prometheus' own parser (python3-prometheus-client).
  fs::path file = fs::path(::testing::TempDir()) /
                  ("distill-serve-metrics-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(file) << m.body;
  std::string script =
      "import sys\n"
      "from prometheus_client.parser import text_string_to_metric_families as parse\n"
      "for fam in parse(open(sys.argv[1]).read()):\n"
      "  for s in fam.samples:\n"
      "    print(s.name, ','.join(f'{k}={v}' for k, v in sorted(s.labels.items())), s.value)\n";
  distill::testing::Ran ran =
      distill::testing::Run(testing::Python() + " -c \"" + script + "\" '" + file.string() + "'");
  fs::remove(file);
  ASSERT_EQ(ran.rc, 0) << ran.err;
  for (const char* line :
       {"distill_serve_http_requests_total route=/api/v1/scan,status=202 1.0\n",
        "distill_serve_http_requests_total route=/api/v1/scan/{scan_request_id}/report,status=404 "
        "1.0\n",
        "distill_serve_http_requests_total route=/readyz,status=503 1.0\n",
        "distill_serve_http_requests_total route=/readyz,status=200 1.0\n",
        "distill_serve_http_requests_total route=other,status=404 1.0\n",
        "distill_serve_ready  1.0\n", "distill_serve_queue_depth  3.0\n",
        "distill_serve_scan_duration_seconds_bucket le=10 5.0\n",
        "distill_serve_scan_duration_seconds_count  6.0\n"})
    EXPECT_NE(ran.out.find(line), std::string::npos) << line << "\nin:\n" << ran.out;
}

// The registry credential of a scan request appears in no log line, even at debug level.
TEST_F(ServeServer, TheCredentialIsNeverLogged) {
  log::Level before = log::level();
  log::set_level(log::Level::kDebug);
  ::testing::internal::CaptureStderr();
  std::string id = Submit();
  GetReport(id, kVulnMime);
  Call("POST", "/api/v1/scan", {{"Content-Type", kRequestMime}},
       R"({"registry":{"url":"gopher://h","authorization":"Basic cm9ib3Q6cm9ib3Qtc2VjcmV0"}})");
  std::string logged = ::testing::internal::GetCapturedStderr();
  log::set_level(before);
  EXPECT_NE(logged.find("serve: POST /api/v1/scan 202"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("cm9ib3Q6cm9ib3Qtc2VjcmV0"), std::string::npos) << logged;
  EXPECT_EQ(logged.find(kSecret), std::string::npos) << logged;
}

// Harbor's client, emulated: Basic credentials in registry.authorization, no redirects followed,
// Refresh-After honoured as Go parses it, one poller per report type.
TEST_F(ServeServer, HarborClientEmulator) {
  ReportAnswer pending{ReportAnswer::State::kPending};
  pending.refresh_after = 2;
  service_.script = {pending, pending, ReportAnswer{ReportAnswer::State::kDone}};
  fs::path out =
      fs::path(::testing::TempDir()) / ("distill-serve-harbor-" + std::to_string(::getpid()));
  fs::remove_all(out);
  distill::testing::Ran ran = distill::testing::Run(
      testing::Python() + " '" + DISTILL_SOURCE_DIR + "/src/testing/harbor_client.py' --url " +
      "http://127.0.0.1:" + std::to_string(server_->port()) + " --out '" + out.string() +
      "' --auth 'Bearer " + kSecret + "' --first-poll 0.1 --time-scale 0.1 --max-polls 20 " +
      "--sbom-media-type application/spdx+json --sbom-media-type application/vnd.cyclonedx+json");
  ASSERT_EQ(ran.rc, 0) << ran.err;
  std::ifstream in(out / "summary.json");
  J summary = J::parse(in);
  EXPECT_EQ(summary["metadata"]["status"], 200);
  EXPECT_EQ(summary["scan"]["status"], 202);
  ASSERT_EQ(summary["reports"].size(), 3u);
  std::vector<std::string> vulnerability, sbom;
  for (const J& r : summary["reports"]) {
    SCOPED_TRACE(r.dump());
    EXPECT_EQ(r["status"], 200);
    EXPECT_EQ(r["content_type"], r["mime"]);
    EXPECT_EQ(r["polls"], 3);
    EXPECT_EQ(r["waits"], J({2, 2}));
    EXPECT_EQ(r["parse_errors"], J::array());
    std::ifstream body(r["body_file"].get<std::string>());
    std::string text((std::istreambuf_iterator<char>(body)), std::istreambuf_iterator<char>());
    (r["sbom_media_type"].is_null() ? vulnerability : sbom).push_back(text);
  }
  for (const J& a : summary["answers"]) EXPECT_TRUE(a["location"].is_null()) << a.dump();
  // The credential Harbor sends is the robot account's, as Basic.
  ASSERT_EQ(service_.requests.size(), 1u);
  EXPECT_EQ(service_.requests.begin()->second.authorization,
            "Basic " + image::registry::Base64Encode("robot$scanner:robot-secret"));
  EXPECT_EQ(service_.requests.begin()->second.reports,
            (std::vector<ReportKind>{ReportKind::kVulnerability, ReportKind::kSbomSpdx,
                                     ReportKind::kSbomCycloneDx}));
  EXPECT_EQ(testing::HarborSchemaErrors("HarborVulnerabilityReport", vulnerability), "");
  EXPECT_EQ(testing::HarborSchemaErrors("HarborSbomReport", sbom), "");
  fs::remove_all(out);
}

TEST(ServeServerStart, AnAddressInUseIsAnError) {
  FakeService service;
  ServerOptions options;
  options.port = 0;
  auto first = Server::Start(service, options);
  ASSERT_TRUE(first.ok()) << first.error().message;
  options.port = (*first)->port();
  auto second = Server::Start(service, options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message, "cannot listen on 127.0.0.1:" + std::to_string(options.port));
  // Stop right after start returns.
  (*first)->Stop();
}

}  // namespace
}  // namespace distill::serve
