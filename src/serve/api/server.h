// The HTTP server of `distill serve`: Harbor's scanner API v1.2 plus /healthz, /readyz and
// /metrics, over GNU libmicrohttpd, loaded on demand (why in doc/serve.md). The routes are one
// table in server.cc; the protocol pieces are pure functions (protocol.h, scan_request.h,
// auth.h, metrics.h); the work is the ScanService's. Plain HTTP only for now (TLS is open).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "serve/api/protocol.h"
#include "serve/api/service.h"
#include "util/result.h"

namespace distill::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;              // 0: any free port (tests); Server::port() tells which
  std::string secret;           // what callers must present (auth.h); "" = no authentication
  size_t max_body = 64 * 1024;  // bytes of a POST body; more is 413. Harbor's requests are ~1 KB
                                // plus the registry token
  int threads = 8;              // the pool that answers requests; each request is short
  ScannerInfo scanner;          // for /metadata (version: distill's by default)
};

class Server {
 public:
  // Binds host:port and answers on a thread of its own until Stop() or destruction. The error
  // names the address that could not be bound.
  static Result<std::unique_ptr<Server>> Start(ScanService& service, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  // Stops accepting, finishes the requests being answered, and joins the thread.
  void Stop();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace distill::serve
