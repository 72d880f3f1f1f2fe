// A client for one registry host speaking the OCI distribution API
// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md): picks https or plain
// http, authenticates (anonymous, Bearer tokens from the WWW-Authenticate challenge — with an
// identity token, by the OAuth2 refresh-token POST — Basic), retries
// 429 (honouring Retry-After) and transient 5xx, and turns registry error bodies into clear errors.
// Thread-safe: layers are fetched in parallel through one client.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "image/registry/auth.h"
#include "image/registry/http.h"
#include "util/blob_cache.h"
#include "util/result.h"

namespace distill::image::registry {

struct Options {
  std::string ca_cert;  // --ca-cert FILE
  std::vector<std::string>
      insecure_hosts;                    // --insecure-registry HOST: plain HTTP or unverified TLS
  std::string docker_config;             // empty: DockerConfigPath()
  std::optional<Credential> credential;  // explicit credential (distill login), else the config's
  // A literal Authorization value sent with every request ("Bearer <token>" handed over by a caller
  // such as Harbor's scan request); a 401 is then final. Never logged.
  std::string authorization;
  std::optional<BlobCache> cache;      // content-addressed blob cache (shared with build)
  int max_retries = 4;                 // for 429, 5xx and dropped connections
  double max_retry_wait_seconds = 60;  // cap on one Retry-After wait
};

class Client {
 public:
  // host: "127.0.0.1:5000", "registry-1.docker.io".
  static Result<std::shared_ptr<Client>> Create(std::string host, Options opt);

  const std::string& host() const { return host_; }
  const Options& options() const { return opt_; }

  // Sends `req` (url = the path, "/v2/…") with the credentials for `scopes` ("repository:x:pull"),
  // answering auth challenges and retrying as described above. Returns any HTTP status: callers
  // decide what is expected and use Error() for the rest.
  Result<HttpResponse> Send(HttpRequest req, const std::vector<std::string>& scopes);
  // "HOST: GET /v2/x/manifests/y: 404 MANIFEST_UNKNOWN: manifest unknown" (+ which credentials
  // were tried for 401/403).
  Error ErrorFor(const HttpRequest& req, const HttpResponse& resp) const;
  // The absolute URL for a path or a Location header (which may be relative).
  std::string Url(std::string_view path_or_url);

 private:
  Client(std::string host, Options opt) : host_(std::move(host)), opt_(std::move(opt)) {}
  Result<HttpResponse> SendOnce(HttpRequest req, const std::string& auth);
  Result<std::string> Authenticate(const HttpResponse& challenge,
                                   const std::vector<std::string>& scopes);
  Result<HttpResponse> SendTokenRequest(const HttpRequest& req,
                                        const std::string& url);  // retries 429/5xx
  Result<std::string> FetchToken(const std::map<std::string, std::string>& params,
                                 const std::vector<std::string>& scopes);
  TlsConfig TlsFor(std::string_view url_host) const;
  std::string CredentialsTried() const;

  std::string host_;
  Options opt_;
  std::string config_path_;
  std::optional<Credential> cred_;
  std::mutex mu_;
  std::string scheme_;                       // "https" or "http", decided on the first request
  std::map<std::string, std::string> auth_;  // scopes → Authorization value
  bool basic_ = false;                       // the registry asked for Basic
};

// The error code and message of a registry error body ({"errors":[{"code","message"}]}), or "".
std::string RegistryErrorSummary(std::string_view body);

}  // namespace distill::image::registry
