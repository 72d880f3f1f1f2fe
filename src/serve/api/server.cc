// The only file that includes httplib.h (Debian's split cpp-httplib: declarations here, the code
// in libcpp-httplib.so).
#include "serve/api/server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "serve/api/auth.h"
#include "serve/api/metrics.h"
#include "serve/api/scan_request.h"
#include "util/log.h"
#include "version.h"

namespace distill::serve {

namespace {
struct Route;
}  // namespace

class Server::Impl {
 public:
  Impl(ScanService& service, ServerOptions options)
      : service_(service), options_(std::move(options)) {}

  // The handlers of the routes (kRoutes below).
  void Metadata(const httplib::Request& req, std::string_view body, httplib::Response& res);
  void Scan(const httplib::Request& req, std::string_view body, httplib::Response& res);
  void Report(const httplib::Request& req, std::string_view body, httplib::Response& res);
  void Healthz(const httplib::Request& req, std::string_view body, httplib::Response& res);
  void Readyz(const httplib::Request& req, std::string_view body, httplib::Response& res);
  void Metrics(const httplib::Request& req, std::string_view body, httplib::Response& res);

  Status Listen();
  void Stop();
  int port() const { return port_; }

 private:
  void Install();
  void Register(const Route& route);
  httplib::Server::HandlerResponse Screen(const httplib::Request& req, httplib::Response& res);
  std::optional<std::string> ReadBody(const httplib::ContentReader& read, httplib::Response& res);

  ScanService& service_;
  ServerOptions options_;
  RequestMetrics metrics_;
  httplib::Server http_;
  std::thread thread_;
  int port_ = 0;
};

namespace {

// A route's handler; `body` is the request's body, read within ServerOptions::max_body.
using Handler = void (Server::Impl::*)(const httplib::Request&, std::string_view body,
                                       httplib::Response&);

struct Route {
  std::string_view method;
  std::string_view pattern;  // as the spec writes it; "{x}" is one path segment. Also the
                             // route's label in /metrics
  bool authenticated;        // callers must present the secret (auth.h)
  Handler handler;
};

// THE routes. Harbor's API under /api/v1 (authenticated); probes and metrics for the platform.
const Route kRoutes[] = {
    {"GET", "/api/v1/metadata", true, &Server::Impl::Metadata},
    {"POST", "/api/v1/scan", true, &Server::Impl::Scan},
    {"GET", "/api/v1/scan/{scan_request_id}/report", true, &Server::Impl::Report},
    {"GET", "/healthz", false, &Server::Impl::Healthz},
    {"GET", "/readyz", false, &Server::Impl::Readyz},
    {"GET", "/metrics", false, &Server::Impl::Metrics},
};

// The label of requests no route matches.
constexpr std::string_view kOtherRoute = "other";

// Whether `path` is an instance of `pattern`.
bool PathMatches(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (pattern.front() == '{') {
      size_t close = pattern.find('}');
      size_t end = path.find('/');
      if (close == std::string_view::npos || end == 0 || path.empty()) return false;
      if (end == std::string_view::npos) end = path.size();
      pattern.remove_prefix(close + 1);
      path.remove_prefix(end);
      continue;
    }
    if (path.empty() || path.front() != pattern.front()) return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
  }
  return path.empty();
}

// httplib routes by regular expression: each "{x}" becomes one captured segment.
std::string PatternRegex(std::string_view pattern) {
  std::string out;
  while (!pattern.empty()) {
    size_t open = pattern.find('{');
    out += pattern.substr(0, open);
    if (open == std::string_view::npos) break;
    out += "([^/]+)";
    pattern.remove_prefix(pattern.find('}', open) + 1);
  }
  return out;
}

const Route* FindRoute(std::string_view method, std::string_view path, bool* other_method) {
  *other_method = false;
  for (const Route& r : kRoutes) {
    if (!PathMatches(r.pattern, path)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) return &r;
    *other_method = true;
  }
  return nullptr;
}

void Answer(httplib::Response& res, int status, std::string_view body, std::string_view type) {
  res.status = status;
  res.set_content(std::string(body), std::string(type).c_str());
}

void Refuse(httplib::Response& res, const Refusal& refusal) {
  Answer(res, refusal.status, ErrorJson(refusal.message), kErrorMime);
}

// The message of an error answer whose handler gave none (httplib's own 404, 413, 400).
std::string_view DefaultMessage(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "not found";
    case 413:
      return "request body too large";
    case 414:
      return "request URI too long";
    default:
      return "request failed";
  }
}

}  // namespace

void Server::Impl::Metadata(const httplib::Request& req, std::string_view, httplib::Response& res) {
  std::string_view mime = NegotiateMetadata(req.get_header_value("Accept"));
  ServiceInfo info = service_.Info();
  Answer(res, 200, MetadataJson(mime, options_.scanner, info.database_updated_at), mime);
}

void Server::Impl::Scan(const httplib::Request& req, std::string_view body,
                        httplib::Response& res) {
  if (auto refusal = CheckScanRequestType(req.get_header_value("Content-Type")))
    return Refuse(res, *refusal);
  ScanRequest request;
  if (auto refusal = ParseScanRequest(body, &request)) return Refuse(res, *refusal);
  auto id = service_.Submit(request);
  if (!id.ok()) return Refuse(res, {500, "scan request not queued: " + id.error().message});
  nlohmann::json answer = {{"id", *id}};
  Answer(res, 202, answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
         kScanResponseMime);
}

void Server::Impl::Report(const httplib::Request& req, std::string_view, httplib::Response& res) {
  std::string id = req.matches.size() > 1 ? std::string(req.matches[1]) : "";
  std::optional<std::string> media;
  if (req.has_param("sbom_media_type")) {
    media = req.get_param_value("sbom_media_type");
    // An unescaped '+' arrives as a space (form encoding); no media type has a space.
    std::replace(media->begin(), media->end(), ' ', '+');
  }
  Negotiated want = NegotiateReport(req.get_header_value("Accept"), media);
  if (!want.kind) return Refuse(res, want.refusal);
  if (id.size() > 128) return Refuse(res, {404, "no scan with that id"});
  auto answer = service_.Report(id, *want.kind);
  if (!answer.ok()) return Refuse(res, {500, "report: " + answer.error().message});
  switch (answer->state) {
    case ReportAnswer::State::kPending:
      // No Location: Harbor's client never follows redirects, it polls the same URL again.
      res.status = 302;
      res.set_header("Refresh-After", std::to_string(ClampRefreshAfter(answer->refresh_after)));
      return;
    case ReportAnswer::State::kDone:
      return Answer(res, 200, answer->body, TypeOf(*want.kind).mime);
    case ReportAnswer::State::kFailed:
      return Refuse(res, {500, answer->body});
    case ReportAnswer::State::kUnknown:
      break;
  }
  Refuse(res, {404, fmt::format("no {} report for scan '{}'", TypeOf(*want.kind).name,
                                id.substr(0, 128))});
}

void Server::Impl::Healthz(const httplib::Request&, std::string_view, httplib::Response& res) {
  Answer(res, 200, "ok\n", "text/plain; charset=utf-8");
}

void Server::Impl::Readyz(const httplib::Request&, std::string_view, httplib::Response& res) {
  ServiceInfo info = service_.Info();
  if (info.ready) return Answer(res, 200, "ready\n", "text/plain; charset=utf-8");
  Refuse(res, {503, "not ready: " + info.not_ready_reason});
}

void Server::Impl::Metrics(const httplib::Request&, std::string_view, httplib::Response& res) {
  Answer(res, 200, metrics_.Render(service_.Info()), kMetricsMime);
}

// A request's body, read within max_body. httplib's own limit (set_payload_max_length) holds for
// a Content-Length but not for a chunked body, which it would read whole.
std::optional<std::string> Server::Impl::ReadBody(const httplib::ContentReader& read,
                                                  httplib::Response& res) {
  std::string body;
  bool too_big = false;
  bool ok = read([&](const char* data, size_t size) {
    too_big = body.size() + size > options_.max_body;
    if (!too_big) body.append(data, size);
    return !too_big;
  });
  if (ok && !too_big) return body;
  res.set_header("Connection", "close");  // the rest of the body is not read
  if (too_big || res.status == 413)
    Refuse(res, {413, "request body too large"});
  else
    Refuse(res, {400, "request body could not be read"});
  return std::nullopt;
}

void Server::Impl::Register(const Route& r) {
  std::string regex = PatternRegex(r.pattern);
  if (r.method == "GET")
    http_.Get(regex, [this, h = r.handler](const httplib::Request& req, httplib::Response& res) {
      (this->*h)(req, "", res);
    });
  if (r.method == "POST")
    http_.Post(regex, [this, h = r.handler](const httplib::Request& req, httplib::Response& res,
                                            const httplib::ContentReader& read) {
      if (auto body = ReadBody(read, res)) (this->*h)(req, *body, res);
    });
}

// Before routing, and before a body is read: the method, the length and the caller.
httplib::Server::HandlerResponse Server::Impl::Screen(const httplib::Request& req,
                                                      httplib::Response& res) {
  bool other_method = false;
  const Route* route = FindRoute(req.method, req.path, &other_method);
  if (!route && other_method) {
    res.set_header("Allow", "GET, POST");
    Refuse(res, {405, fmt::format("method {} not allowed here", req.method)});
    return httplib::Server::HandlerResponse::Handled;
  }
  // Without a length httplib would read a request body until the caller closes (RFC 9112 says
  // such a request has none): a thread held for the read timeout.
  if (req.method == "POST" && !req.has_header("Content-Length") &&
      !req.has_header("Transfer-Encoding")) {
    Refuse(res, {411, "a POST needs Content-Length (or a chunked body)"});
    return httplib::Server::HandlerResponse::Handled;
  }
  if (route && route->authenticated &&
      !Authorized(options_.secret, req.get_header_value("Authorization"),
                  req.get_header_value("X-ScannerAdapter-API-Key"))) {
    res.set_header("WWW-Authenticate", "Bearer");
    Refuse(res, {401,
                 "unauthorized: a valid Authorization (Basic or Bearer) or "
                 "X-ScannerAdapter-API-Key header is required"});
    return httplib::Server::HandlerResponse::Handled;
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

void Server::Impl::Install() {
  for (const Route& r : kRoutes) Register(r);
  http_.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return Screen(req, res); });
  // Every error answer carries the spec's error document, also those httplib makes itself.
  http_.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        Refuse(res, {res.status, std::string(DefaultMessage(res.status))});
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        Refuse(res, {500, "internal error"});
      });
  // Counted by route, logged without headers or body: the registry credential is in the body.
  http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    bool other_method = false;
    const Route* route = FindRoute(req.method, req.path, &other_method);
    metrics_.Count(route ? route->pattern : kOtherRoute, res.status);
    log::debug("serve: {} {} {}", req.method, req.path, res.status);
  });
  // SO_REUSEADDR (a restart binds at once) but not httplib's default SO_REUSEPORT too: with it a
  // second server on the same port would start without error and take half the requests.
  http_.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http_.set_payload_max_length(options_.max_body);
  int threads = std::max(1, options_.threads);
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

Status Server::Impl::Listen() {
  if (options_.scanner.version.empty()) options_.scanner.version = DISTILL_VERSION;
  Install();
  if (options_.port == 0) {
    port_ = http_.bind_to_any_port(options_.host);
    if (port_ < 0) return Errorf("cannot listen on {} (any port)", options_.host);
  } else {
    if (!http_.bind_to_port(options_.host, options_.port))
      return Errorf("cannot listen on {}:{}", options_.host, options_.port);
    port_ = options_.port;
  }
  thread_ = std::thread([this] { http_.listen_after_bind(); });
  // Until the loop runs, httplib's stop() would not stop it: Stop() right after Start() waits.
  while (!http_.is_running() && thread_.joinable())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return {};
}

void Server::Impl::Stop() {
  http_.stop();
  if (thread_.joinable()) thread_.join();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Start(ScanService& service, ServerOptions options) {
  auto impl = std::make_unique<Impl>(service, std::move(options));
  DISTILL_TRY_VOID(impl->Listen());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace distill::serve
