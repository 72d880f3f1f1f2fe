#include "image/registry/client.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

#include "image/registry/reference.h"
#include "util/log.h"

namespace distill::image::registry {

namespace {

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// The host[:port] of an absolute URL.
std::string UrlHost(std::string_view url) {
  auto p = url.find("://");
  if (p == std::string_view::npos) return "";
  url = url.substr(p + 3);
  return std::string(url.substr(0, url.find_first_of("/?#")));
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

double RetryAfterSeconds(const HttpResponse& r, int attempt) {
  std::string ra = r.Header("retry-after");
  if (!ra.empty() && std::all_of(ra.begin(), ra.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      }))
    return std::atof(ra.c_str());
  return 0.5 * (1 << attempt);
}

bool Retryable(long status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace

std::string RegistryErrorSummary(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "";
  auto errs = j.find("errors");
  if (errs == j.end() || !errs->is_array() || errs->empty()) return "";
  std::string out;
  for (const auto& e : *errs) {
    if (!e.is_object()) continue;
    auto str = [&](const char* k) {
      auto it = e.find(k);
      return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    std::string code = str("code"), msg = str("message");
    if (!out.empty()) out += "; ";
    out += code.empty() ? msg : msg.empty() ? code : code + ": " + msg;
  }
  return out;
}

Result<std::shared_ptr<Client>> Client::Create(std::string host, Options opt) {
  std::shared_ptr<Client> c(new Client(std::move(host), std::move(opt)));
  c->config_path_ = c->opt_.docker_config.empty() ? DockerConfigPath() : c->opt_.docker_config;
  if (c->opt_.credential) {
    c->cred_ = c->opt_.credential;
  } else {
    DISTILL_TRY(c->cred_, LookupCredential(c->config_path_, c->host_));
  }
  return c;
}

TlsConfig Client::TlsFor(std::string_view url_host) const {
  TlsConfig t;
  t.ca_cert = opt_.ca_cert;
  // "--insecure-registry reg.example" covers every port of it; "reg.example:5000" only that one.
  std::string_view bare = url_host;
  if (auto colon = url_host.rfind(':');
      colon != std::string_view::npos && url_host.rfind(']') == std::string_view::npos)
    bare = url_host.substr(0, colon);
  else if (auto close = url_host.rfind("]:"); close != std::string_view::npos)
    bare = url_host.substr(0, close + 1);
  for (const auto& h : opt_.insecure_hosts)
    if (h == url_host || h == bare) t.verify = false;
  return t;
}

std::string Client::CredentialsTried() const {
  if (!opt_.authorization.empty()) return "the Authorization value the caller gave";
  if (cred_ && (cred_->username.empty() || cred_->username == "<token>"))
    return fmt::format("an identity token from {}", cred_->source);
  if (cred_)
    return fmt::format("credentials for user '{}' from {}", cred_->username, cred_->source);
  return fmt::format("anonymous access (no credentials for {} in {})", host_, config_path_);
}

std::string Client::Url(std::string_view p) {
  if (p.starts_with("http://") || p.starts_with("https://")) return std::string(p);
  std::lock_guard lock(mu_);
  return (scheme_.empty() ? std::string("https") : scheme_) + "://" + host_ + std::string(p);
}

Result<HttpResponse> Client::SendOnce(HttpRequest req, const std::string& auth) {
  std::string path = req.url;
  bool relative = !(path.starts_with("http://") || path.starts_with("https://"));
  if (!auth.empty()) req.headers.push_back("Authorization: " + auth);
  std::string scheme;
  {
    std::lock_guard lock(mu_);
    scheme = scheme_.empty() ? "https" : scheme_;
  }
  if (relative) req.url = scheme + "://" + host_ + path;
  TlsConfig tls = TlsFor(UrlHost(req.url));
  DISTILL_TRY(HttpResponse resp, HttpDo(req, tls));
  bool may_be_plain = IsLoopbackHost(host_) || !TlsFor(host_).verify;
  if (relative && scheme == "https" && resp.curl_code && IsTlsHandshakeFailure(resp.curl_code) &&
      may_be_plain) {
    log::debug("{}: no TLS ({}); using plain HTTP", host_, resp.error);
    {
      std::lock_guard lock(mu_);
      scheme_ = "http";
    }
    if (req.rewind_body && !req.rewind_body()) return InternalErrorf("cannot rewind request body");
    req.url = "http://" + host_ + path;
    DISTILL_TRY(resp, HttpDo(req, tls));
  } else if (relative && !resp.curl_code) {
    std::lock_guard lock(mu_);
    if (scheme_.empty()) scheme_ = scheme;
  }
  return resp;
}

Result<HttpResponse> Client::Send(HttpRequest req, const std::vector<std::string>& scopes) {
  const std::string key = Join(scopes, " ");
  bool authenticated = false;
  for (int attempt = 0;; ++attempt) {
    std::string auth;
    {
      std::lock_guard lock(mu_);
      if (!opt_.authorization.empty())
        auth = opt_.authorization;
      else if (auto it = auth_.find(key); it != auth_.end())
        auth = it->second;
      else if (basic_ && cred_)
        auth = "Basic " + Base64Encode(cred_->username + ":" + cred_->password);
    }
    if (attempt > 0 && req.rewind_body && !req.rewind_body())
      return InternalErrorf("cannot rewind request body");
    DISTILL_TRY(HttpResponse resp, SendOnce(req, auth));
    if (resp.curl_code) {
      if (attempt < opt_.max_retries && !req.on_body && !IsCertificateFailure(resp.curl_code) &&
          !IsTlsHandshakeFailure(resp.curl_code)) {
        log::debug("{}: {}; retrying", host_, resp.error);
        std::this_thread::sleep_for(std::chrono::milliseconds(250 << attempt));
        continue;
      }
      if (req.on_body) return resp;  // a streamed body: the caller resumes (blob_reader.cc)
      std::string hint =
          IsCertificateFailure(resp.curl_code)
              ? fmt::format(
                    " (pass --ca-cert FILE, or --insecure-registry {} to skip verification)", host_)
              : "";
      return Errorf("{}: {} {}: {}{}", host_, req.method, req.url, resp.error, hint);
    }
    if (resp.status == 401 && !authenticated && opt_.authorization.empty()) {
      DISTILL_TRY(std::string value, Authenticate(resp, scopes));
      authenticated = true;
      if (value.empty()) return resp;  // no usable challenge: the caller reports the 401
      std::lock_guard lock(mu_);
      auth_[key] = value;
      continue;
    }
    if (Retryable(resp.status) && attempt < opt_.max_retries) {
      double wait = std::min(RetryAfterSeconds(resp, attempt), opt_.max_retry_wait_seconds);
      log::warn("{}: {} {}: HTTP {}; retrying in {:.1f}s", host_, req.method, req.url, resp.status,
                wait);
      std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(wait * 1000)));
      continue;
    }
    return resp;
  }
}

Result<std::string> Client::Authenticate(const HttpResponse& resp,
                                         const std::vector<std::string>& scopes) {
  std::string header = resp.Header("www-authenticate");
  if (header.empty()) return std::string();
  auto parsed = ParseChallenges(header);
  if (!parsed.ok()) return std::move(parsed).error().wrap(host_);
  for (const auto& c : *parsed) {
    if (c.scheme != "bearer") continue;
    std::vector<std::string> all = scopes;
    if (auto s = c.params.find("scope");
        s != c.params.end() && std::find(all.begin(), all.end(), s->second) == all.end())
      all.push_back(s->second);
    return FetchToken(c.params, all);
  }
  for (const auto& c : *parsed) {
    if (c.scheme != "basic" || !cred_) continue;
    std::lock_guard lock(mu_);
    basic_ = true;
    return "Basic " + Base64Encode(cred_->username + ":" + cred_->password);
  }
  return std::string();
}

namespace {

// The token from a token endpoint's JSON answer: "token" (distribution token spec) or
// "access_token" (OAuth2); a new "refresh_token" goes to *refresh.
std::string TokenFromResponse(const std::string& body, std::string* refresh) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return "";
  auto str = [&](const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (refresh) *refresh = str("refresh_token");
  std::string token = str("token");
  return token.empty() ? str("access_token") : token;
}

}  // namespace

Result<HttpResponse> Client::SendTokenRequest(const HttpRequest& req, const std::string& url) {
  HttpResponse resp;
  for (int attempt = 0;; ++attempt) {
    DISTILL_TRY(resp, HttpDo(req, TlsFor(UrlHost(url))));
    if (resp.curl_code || !Retryable(resp.status) || attempt >= opt_.max_retries) return resp;
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(
        std::min(RetryAfterSeconds(resp, attempt), opt_.max_retry_wait_seconds) * 1000)));
  }
}

Result<std::string> Client::FetchToken(const std::map<std::string, std::string>& params,
                                       const std::vector<std::string>& scopes) {
  auto realm = params.find("realm");
  if (realm == params.end() ||
      !(realm->second.starts_with("https://") || realm->second.starts_with("http://")))
    return Errorf("{}: Bearer challenge without an http(s) realm", host_);
  auto service = params.find("service");
  std::string refresh_token;
  {
    std::lock_guard lock(mu_);
    if (cred_) refresh_token = cred_->identity_token;
  }
  std::string oauth_note;
  // An identity token (an OAuth2 refresh token) is exchanged by POSTing a form, as the
  // distribution spec's OAuth2 token flow says; endpoints without it answer 400/401/404/405, and
  // then the GET below is tried.
  if (!refresh_token.empty()) {
    std::string form = "grant_type=refresh_token&refresh_token=" + PercentEncode(refresh_token);
    if (service != params.end()) form += "&service=" + PercentEncode(service->second);
    if (!scopes.empty()) form += "&scope=" + PercentEncode(Join(scopes, " "));
    form += "&client_id=distill";
    HttpRequest post;
    post.method = "POST";
    post.url = realm->second;
    post.body = std::move(form);
    post.has_body = true;
    post.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    post.max_body = 1 << 20;
    DISTILL_TRY(HttpResponse resp, SendTokenRequest(post, realm->second));
    if (resp.curl_code)
      return Errorf("{}: token endpoint {}: {}", host_, realm->second, resp.error);
    if (resp.status == 200) {
      std::string next_refresh;
      std::string token = TokenFromResponse(resp.body, &next_refresh);
      if (token.empty())
        return Errorf("{}: token endpoint {}: response has no access_token", host_, realm->second);
      if (!next_refresh.empty()) {  // rotated: use the new one for the next scope
        std::lock_guard lock(mu_);
        cred_->identity_token = next_refresh;
      }
      return "Bearer " + token;
    }
    if (resp.status != 400 && resp.status != 401 && resp.status != 404 && resp.status != 405)
      return Errorf("{}: token endpoint {}: POST (OAuth2 refresh token): HTTP {} {}", host_,
                    realm->second, resp.status, RegistryErrorSummary(resp.body));
    log::debug("{}: token endpoint {}: POST with the identity token: HTTP {}; trying GET", host_,
               realm->second, resp.status);
    oauth_note = fmt::format(" (the OAuth2 POST with the identity token got HTTP {})", resp.status);
  }
  std::string url = realm->second + (realm->second.find('?') == std::string::npos ? "?" : "&");
  std::string sep;
  if (service != params.end()) {
    url += "service=" + PercentEncode(service->second);
    sep = "&";
  }
  for (const auto& s : scopes) {
    url += sep + "scope=" + PercentEncode(s);
    sep = "&";
  }
  HttpRequest req;
  req.url = url;
  req.max_body = 1 << 20;
  // Basic auth with a username and password; an identity token alone has none ("<token>").
  if (cred_ && !cred_->username.empty() && cred_->username != "<token>")
    req.headers.push_back("Authorization: Basic " +
                          Base64Encode(cred_->username + ":" + cred_->password));
  DISTILL_TRY(HttpResponse resp, SendTokenRequest(req, url));
  if (resp.curl_code) return Errorf("{}: token endpoint {}: {}", host_, realm->second, resp.error);
  if (resp.status == 401 || resp.status == 403)
    return Errorf("{}: authentication failed at token endpoint {} (HTTP {}); tried {}{}", host_,
                  realm->second, resp.status, CredentialsTried(), oauth_note);
  if (resp.status != 200)
    return Errorf("{}: token endpoint {}: HTTP {} {}{}", host_, realm->second, resp.status,
                  RegistryErrorSummary(resp.body), oauth_note);
  std::string token = TokenFromResponse(resp.body, nullptr);
  if (token.empty())
    return Errorf("{}: token endpoint {}: response has no token", host_, realm->second);
  return "Bearer " + token;
}

Error Client::ErrorFor(const HttpRequest& req, const HttpResponse& resp) const {
  std::string summary = RegistryErrorSummary(resp.body);
  std::string what = fmt::format("HTTP {}{}", resp.status, summary.empty() ? "" : " " + summary);
  std::string path = req.url;
  if (auto p = path.find("://"); p != std::string::npos) path = path.substr(path.find('/', p + 3));
  switch (resp.status) {
    case 401:
      return Errorf("{}: authentication required ({}); tried {}{}", host_, what, CredentialsTried(),
                    cred_ ? "" : fmt::format("; run `distill login {}`", host_));
    case 403:
      return Errorf("{}: access denied ({}); tried {}", host_, what, CredentialsTried());
    case 404:
      return Errorf("{}: {} {}: not found ({})", host_, req.method, path, what);
    case 429:
      return Errorf("{}: rate limited ({}) after {} retries", host_, what, opt_.max_retries);
    default:
      return Errorf("{}: {} {}: {}", host_, req.method, path, what);
  }
}

}  // namespace distill::image::registry
