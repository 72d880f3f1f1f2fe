// One HTTP exchange over libcurl (loaded with dlopen, util/libcurl.h): request in, status, headers
// and body out. Bodies of successful responses can be streamed to a callback (layer blobs never
// touch the disk); other bodies are collected (capped) so errors can quote the registry.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace distill::image::registry {

struct TlsConfig {
  std::string ca_cert;  // extra CA file (PEM), on top of the system store
  bool verify = true;   // false: accept any certificate (--insecure-registry)
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, PUT, POST, PATCH, DELETE
  std::string url;
  std::string unix_socket;  // connect to this socket instead of the URL's host (container engines)
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent when has_body (PUT/POST/PATCH)
  bool has_body = false;
  // Streaming request body (instead of `body`): fills buf, returns bytes (0 at the end).
  std::function<size_t(char* buf, size_t n)> read_body;
  uint64_t body_size = 0;             // with read_body
  std::function<bool()> rewind_body;  // restarts read_body for a retry; false: cannot
  // Called with a 2xx response's body as it arrives (and its status: 200, 206); returning false
  // aborts the transfer.
  std::function<bool(long status, const char* data, size_t n)> on_body;
  bool follow_redirects = true;
  size_t max_body = 8 << 20;  // cap for collected bodies
  long connect_timeout_seconds = 30;
  long low_speed_seconds = 60;  // abort when under 1 byte/s for this long
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>>
      headers;        // of the last response, names lowercased
  std::string body;   // when not streamed (capped at max_body)
  int curl_code = 0;  // CURLcode; non-zero: the transfer failed (error says why)
  std::string error;
  bool aborted = false;  // on_body returned false
  std::string Header(std::string_view lower_name) const;
};

// Performs the request. Transport failures come back in curl_code/error (so callers can retry or
// fall back); Result errors are only for "libcurl cannot be loaded".
Result<HttpResponse> HttpDo(const HttpRequest& req, const TlsConfig& tls);

// CURLE_SSL_CONNECT_ERROR and friends: the server did not speak TLS (plain HTTP registry).
bool IsTlsHandshakeFailure(int curl_code);
// The certificate was not trusted (or the CA file could not be read): retrying will not help.
bool IsCertificateFailure(int curl_code);

}  // namespace distill::image::registry
