// The HTTP transport is GNU libmicrohttpd, loaded with dlopen when a server starts
// (util/libmicrohttpd.h): the only file that speaks to it. Requests and answers are the small
// structs below, so the handlers know nothing of the library.
#include "serve/api/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <map>

#include <nlohmann/json.hpp>

#include "serve/api/auth.h"
#include "serve/api/metrics.h"
#include "serve/api/scan_request.h"
#include "util/libmicrohttpd.h"
#include "util/log.h"
#include "version.h"

namespace distill::serve {

namespace {
struct Route;

// One request as the handlers see it: the method, the path (without the query) and lookups of the
// headers (case-insensitive) and query parameters (decoded) of the connection.
struct HttpReq {
  const MicrohttpdApi* mhd = nullptr;
  MHD_Connection* connection = nullptr;
  std::string method, path;
  std::string Header(const char* name) const {
    const char* v = mhd->lookup_connection_value(connection, MHD_HEADER_KIND, name);
    return v ? v : "";
  }
  bool HasHeader(const char* name) const {
    return mhd->lookup_connection_value(connection, MHD_HEADER_KIND, name) != nullptr;
  }
  std::optional<std::string> Param(const char* name) const {
    const char* v = mhd->lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  }
};

// The answer a handler makes.
struct HttpRes {
  int status = 0;
  std::string body, type;
  std::vector<std::pair<std::string, std::string>> headers;
  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// What a connection's request carries between libmicrohttpd's calls of the access handler.
struct Pending {
  const Route* route = nullptr;
  std::string body;
  bool too_big = false;
  bool answered = false;
};
}  // namespace

class Server::Impl {
 public:
  Impl(ScanService& service, ServerOptions options)
      : service_(service), options_(std::move(options)) {}

  // The handlers of the routes (kRoutes below).
  void Metadata(const HttpReq& req, std::string_view body, HttpRes& res);
  void Scan(const HttpReq& req, std::string_view body, HttpRes& res);
  void Report(const HttpReq& req, std::string_view body, HttpRes& res);
  void Healthz(const HttpReq& req, std::string_view body, HttpRes& res);
  void Readyz(const HttpReq& req, std::string_view body, HttpRes& res);
  void Metrics(const HttpReq& req, std::string_view body, HttpRes& res);

  Status Listen();
  void Stop();
  int port() const { return port_; }

  // libmicrohttpd's callbacks.
  static MHD_Result Access(void* self, MHD_Connection* connection, const char* url,
                           const char* method, const char* version, const char* upload,
                           size_t* upload_size, void** state);
  static void Completed(void* self, MHD_Connection* connection, void** state,
                        MHD_RequestTerminationCode why);

 private:
  // Before routing, and before a body is read: the method, the length and the caller. True when
  // it answered.
  bool Screen(const HttpReq& req, const Route* route, bool other_method, HttpRes& res);
  MHD_Result Send(const HttpReq& req, const Route* route, HttpRes& res, Pending* pending);

  ScanService& service_;
  ServerOptions options_;
  RequestMetrics metrics_;
  const MicrohttpdApi* mhd_ = nullptr;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
};

namespace {

// A route's handler; `body` is the request's body, read within ServerOptions::max_body.
using Handler = void (Server::Impl::*)(const HttpReq&, std::string_view body, HttpRes&);

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

const Route* FindRoute(std::string_view method, std::string_view path, bool* other_method) {
  *other_method = false;
  for (const Route& r : kRoutes) {
    if (!PathMatches(r.pattern, path)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) return &r;
    *other_method = true;
  }
  return nullptr;
}

void Answer(HttpRes& res, int status, std::string_view body, std::string_view type) {
  res.status = status;
  res.body = std::string(body);
  res.type = std::string(type);
}

void Refuse(HttpRes& res, const Refusal& refusal) {
  Answer(res, refusal.status, ErrorJson(refusal.message), kErrorMime);
}

// The message of an error answer whose handler gave none.
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

void Server::Impl::Metadata(const HttpReq& req, std::string_view, HttpRes& res) {
  std::string_view mime = NegotiateMetadata(req.Header("Accept"));
  ServiceInfo info = service_.Info();
  Answer(res, 200, MetadataJson(mime, options_.scanner, info.database_updated_at), mime);
}

void Server::Impl::Scan(const HttpReq& req, std::string_view body, HttpRes& res) {
  if (auto refusal = CheckScanRequestType(req.Header("Content-Type"))) return Refuse(res, *refusal);
  ScanRequest request;
  if (auto refusal = ParseScanRequest(body, &request)) return Refuse(res, *refusal);
  auto id = service_.Submit(request);
  if (!id.ok()) return Refuse(res, {500, "scan request not queued: " + id.error().message});
  nlohmann::json answer = {{"id", *id}};
  Answer(res, 202, answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
         kScanResponseMime);
}

void Server::Impl::Report(const HttpReq& req, std::string_view, HttpRes& res) {
  // "/api/v1/scan/{id}/report": the segment after "/scan/".
  std::string id = req.path.substr(std::strlen("/api/v1/scan/"));
  id.resize(id.size() - std::strlen("/report"));
  std::optional<std::string> media = req.Param("sbom_media_type");
  if (media) {
    // An unescaped '+' arrives as a space (form encoding); no media type has a space.
    std::replace(media->begin(), media->end(), ' ', '+');
  }
  Negotiated want = NegotiateReport(req.Header("Accept"), media);
  if (!want.kind) return Refuse(res, want.refusal);
  if (id.size() > 128) return Refuse(res, {404, "no scan with that id"});
  auto answer = service_.Report(id, *want.kind);
  if (!answer.ok()) return Refuse(res, {500, "report: " + answer.error().message});
  switch (answer->state) {
    case ReportAnswer::State::kPending:
      // No Location: Harbor's client never follows redirects, it polls the same URL again.
      res.status = 302;
      res.SetHeader("Refresh-After", std::to_string(ClampRefreshAfter(answer->refresh_after)));
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

void Server::Impl::Healthz(const HttpReq&, std::string_view, HttpRes& res) {
  Answer(res, 200, "ok\n", "text/plain; charset=utf-8");
}

void Server::Impl::Readyz(const HttpReq&, std::string_view, HttpRes& res) {
  ServiceInfo info = service_.Info();
  if (info.ready) return Answer(res, 200, "ready\n", "text/plain; charset=utf-8");
  Refuse(res, {503, "not ready: " + info.not_ready_reason});
}

void Server::Impl::Metrics(const HttpReq&, std::string_view, HttpRes& res) {
  Answer(res, 200, metrics_.Render(service_.Info()), kMetricsMime);
}

bool Server::Impl::Screen(const HttpReq& req, const Route* route, bool other_method, HttpRes& res) {
  if (!route && other_method) {
    res.SetHeader("Allow", "GET, POST");
    Refuse(res, {405, fmt::format("method {} not allowed here", req.method)});
    return true;
  }
  // A POST without a length has no body (RFC 9112): refused rather than read as empty.
  if (req.method == "POST" && !req.HasHeader("Content-Length") &&
      !req.HasHeader("Transfer-Encoding")) {
    Refuse(res, {411, "a POST needs Content-Length (or a chunked body)"});
    return true;
  }
  if (route && route->authenticated &&
      !Authorized(options_.secret, req.Header("Authorization"),
                  req.Header("X-ScannerAdapter-API-Key"))) {
    res.SetHeader("WWW-Authenticate", "Bearer");
    Refuse(res, {401,
                 "unauthorized: a valid Authorization (Basic or Bearer) or "
                 "X-ScannerAdapter-API-Key header is required"});
    return true;
  }
  if (req.HasHeader("Content-Length")) {
    // A declared length over the limit is refused before a byte of it is read.
    std::string length = req.Header("Content-Length");
    if (length.size() > 18 || (!length.empty() && std::stoull(length) > options_.max_body)) {
      res.SetHeader("Connection", "close");
      Refuse(res, {413, "request body too large"});
      return true;
    }
  }
  return false;
}

// Queues the answer: counted by route, logged without headers or body (the registry credential
// is in the body).
MHD_Result Server::Impl::Send(const HttpReq& req, const Route* route, HttpRes& res,
                              Pending* pending) {
  if (pending) pending->answered = true;
  if (res.status >= 400 && res.body.empty())
    Refuse(res, {res.status, std::string(DefaultMessage(res.status))});
  metrics_.Count(route ? route->pattern : kOtherRoute, res.status);
  log::debug("serve: {} {} {}", req.method, req.path, res.status);
  MHD_Response* r =
      mhd_->create_response_from_buffer(res.body.size(), res.body.data(), MHD_RESPMEM_MUST_COPY);
  if (!r) return MHD_NO;
  if (!res.type.empty()) mhd_->add_response_header(r, "Content-Type", res.type.c_str());
  for (const auto& [name, value] : res.headers)
    mhd_->add_response_header(r, name.c_str(), value.c_str());
  MHD_Result ok = mhd_->queue_response(req.connection, res.status, r);
  mhd_->destroy_response(r);
  return ok;
}

MHD_Result Server::Impl::Access(void* self_ptr, MHD_Connection* connection, const char* url,
                                const char* method, const char*, const char* upload,
                                size_t* upload_size, void** state) {
  auto* self = static_cast<Impl*>(self_ptr);
  HttpReq req{self->mhd_, connection, method, url};
  bool other_method = false;
  const Route* route = FindRoute(req.method, req.path, &other_method);
  auto* pending = static_cast<Pending*>(*state);
  if (!pending) {  // the headers are in; no byte of a body yet
    pending = new Pending;
    pending->route = route;
    *state = pending;
    HttpRes res;
    if (self->Screen(req, route, other_method, res)) return self->Send(req, route, res, pending);
    return MHD_YES;
  }
  if (pending->answered) {  // refused early: the rest of the body is dropped
    *upload_size = 0;
    return MHD_YES;
  }
  if (*upload_size > 0) {  // a piece of the body (chunked bodies too: their length is unknown)
    // Past the limit the rest is read and dropped (libmicrohttpd sends no answer queued in the
    // middle of a body), then refused: memory stays bounded, the read by the connection timeout.
    if (!pending->too_big && pending->body.size() + *upload_size > self->options_.max_body) {
      pending->too_big = true;
      pending->body = std::string();
    }
    if (!pending->too_big) pending->body.append(upload, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  if (pending->too_big) {
    HttpRes res;
    res.SetHeader("Connection", "close");
    Refuse(res, {413, "request body too large"});
    return self->Send(req, route, res, pending);
  }
  HttpRes res;
  if (!route) {
    Refuse(res, {404, "not found"});
  } else {
    try {
      (self->*(route->handler))(req, pending->body, res);
    } catch (const std::exception&) {
      res = HttpRes{};
      Refuse(res, {500, "internal error"});
    }
  }
  return self->Send(req, route, res, pending);
}

void Server::Impl::Completed(void*, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
  delete static_cast<Pending*>(*state);
  *state = nullptr;
}

Status Server::Impl::Listen() {
  if (options_.scanner.version.empty()) options_.scanner.version = DISTILL_VERSION;
  DISTILL_TRY(mhd_, LoadMicrohttpd());
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(options_.port));
  if (::inet_pton(AF_INET, options_.host.c_str(), &addr.sin_addr) != 1)
    return Errorf("--listen: '{}' is not an IPv4 address", options_.host);
  unsigned int threads = static_cast<unsigned int>(std::max(1, options_.threads));
  // SO_REUSEADDR (a restart binds at once) but never SO_REUSEPORT: with it a second server on the
  // same port would start without error and take half the requests.
  daemon_ = mhd_->start_daemon(MHD_USE_AUTO_INTERNAL_THREAD, static_cast<uint16_t>(options_.port),
                               nullptr, nullptr, &Impl::Access, this, MHD_OPTION_SOCK_ADDR,
                               reinterpret_cast<sockaddr*>(&addr), MHD_OPTION_THREAD_POOL_SIZE,
                               threads, MHD_OPTION_NOTIFY_COMPLETED, &Impl::Completed, this,
                               MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
  if (!daemon_)
    return Errorf("cannot listen on {}:{}{}", options_.host, options_.port,
                  options_.port == 0 ? " (any port)" : "");
  const MHD_DaemonInfo* info = mhd_->get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info ? info->port : options_.port;
  return {};
}

void Server::Impl::Stop() {
  if (daemon_) mhd_->stop_daemon(daemon_);
  daemon_ = nullptr;
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
