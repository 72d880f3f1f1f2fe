#include "image/registry/http.h"

#include <dirent.h>

#include <cstring>
#include <memory>

#include "util/libcurl.h"
#include "util/text.h"
#include "version.h"

namespace distill::image::registry {

namespace {

struct Transfer {
  const HttpRequest* req;
  HttpResponse* resp;
  bool in_headers_of_final = false;
};

std::string TrimValue(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
    v.remove_suffix(1);
  return std::string(v);
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {  // a new response (redirect, 100 Continue): start over
    t->resp->headers.clear();
    auto sp = line.find(' ');
    t->resp->status =
        sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  AsciiLowerInPlace(name);
  t->resp->headers.emplace_back(std::move(name), TrimValue(line.substr(colon + 1)));
  return size * n;
}

size_t OnData(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  bool ok2xx = t->resp->status >= 200 && t->resp->status < 300;
  if (ok2xx && t->req->on_body) {
    if (!t->req->on_body(t->resp->status, data, len)) {
      t->resp->aborted = true;
      return 0;
    }
    return len;
  }
  size_t room =
      t->req->max_body > t->resp->body.size() ? t->req->max_body - t->resp->body.size() : 0;
  t->resp->body.append(data, std::min(room, len));
  if (ok2xx && len > room) {
    t->resp->aborted = true;
    return 0;
  }
  return len;
}

size_t OnRead(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  return t->req->read_body(buf, size * n);
}

// Whether curl's default CA directory (Debian: /etc/ssl/certs) holds OpenSSL's hashed links
// ("5a4d6896.0"). Then the CA bundle file can be left out: OpenSSL 3 parses that 200 KB file for
// every new handle (~25 ms of CPU, even to find out that a loopback registry speaks plain HTTP),
// while the directory is read lazily, one certificate per issuer looked up.
bool HashedCaDirectory(const char* dir) {
  if (!dir || !*dir) return false;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir), &::closedir);
  if (!d) return false;
  while (struct dirent* e = ::readdir(d.get())) {
    std::string_view n(e->d_name);
    if (n.size() == 10 && n.ends_with(".0") &&
        n.substr(0, 8).find_first_not_of("0123456789abcdef") == std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return "";
}

bool IsTlsHandshakeFailure(int code) {
  return code == CURLE_SSL_CONNECT_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING;
}

bool IsCertificateFailure(int code) {
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
         code == CURLE_SSL_CERTPROBLEM;
}

Result<HttpResponse> HttpDo(const HttpRequest& req, const TlsConfig& tls) {
  DISTILL_TRY(const CurlApi* api, LoadCurl());
  std::unique_ptr<CURL, CurlCleanup> curl(api->easy_init(), CurlCleanup{api});
  if (!curl) return InternalErrorf("curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistCleanup> headers(nullptr, SlistCleanup{api});
  for (const auto& h : req.headers) headers.reset(api->slist_append(headers.release(), h.c_str()));
  headers.reset(api->slist_append(headers.release(), "Expect:"));  // no 100-continue round trip

  HttpResponse resp;
  Transfer t{&req, &resp};
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  std::string agent = std::string("distill/") + DISTILL_VERSION;
  api->easy_setopt(c, CURLOPT_URL, req.url.c_str());
  if (!req.unix_socket.empty())
    api->easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, req.unix_socket.c_str());
  api->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  api->easy_setopt(c, CURLOPT_USERAGENT, agent.c_str());
  api->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  api->easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  api->easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
  api->easy_setopt(c, CURLOPT_HEADERDATA, &t);
  api->easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnData);
  api->easy_setopt(c, CURLOPT_WRITEDATA, &t);
  api->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, req.connect_timeout_seconds);
  api->easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  api->easy_setopt(c, CURLOPT_LOW_SPEED_TIME, req.low_speed_seconds);
  api->easy_setopt(c, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
  api->easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  api->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  api->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  api->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, nullptr);  // blobs are hashed as stored
  if (req.on_body) api->easy_setopt(c, CURLOPT_BUFFERSIZE, 256L << 10);  // fewer, bigger hand-offs
  static const bool ca_dir = [&] {
    const char* capath = nullptr;
    return api->easy_getinfo(c, CURLINFO_CAPATH, &capath) == CURLE_OK && HashedCaDirectory(capath);
  }();
  if (!tls.ca_cert.empty())
    api->easy_setopt(c, CURLOPT_CAINFO, tls.ca_cert.c_str());
  else if (ca_dir)
    api->easy_setopt(c, CURLOPT_CAINFO, static_cast<const char*>(nullptr));
  if (!tls.verify) {
    api->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    api->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (req.method == "HEAD") {
    api->easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (req.read_body) {
    api->easy_setopt(c, CURLOPT_UPLOAD, 1L);
    api->easy_setopt(c, CURLOPT_READFUNCTION, &OnRead);
    api->easy_setopt(c, CURLOPT_READDATA, &t);
    api->easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body_size));
    if (req.method != "PUT") api->easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.has_body || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    api->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    api->easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    if (req.method != "POST") api->easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method != "GET") {
    api->easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  CURLcode rc = api->easy_perform(c);
  long status = 0;
  api->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status) resp.status = status;
  if (rc != CURLE_OK && !resp.aborted) {
    resp.curl_code = rc;
    resp.error = errbuf[0] ? TrimValue(errbuf) : api->easy_strerror(rc);
  }
  return resp;
}

}  // namespace distill::image::registry
