#include "imagebuild/deb/apt/download.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "util/libcurl.h"

namespace distill::imagebuild::apt {

namespace {

constexpr std::string_view kNotFound = "not found";

struct Sink {
  FILE* f = nullptr;
  std::string* s = nullptr;
  uint64_t max = 0, got = 0;
  bool too_big = false;
  const std::function<void(size_t)>* on_bytes = nullptr;
};

size_t OnData(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t len = size * n;
  if (sink->got + len > sink->max) {
    sink->too_big = true;
    return 0;  // aborts the transfer
  }
  sink->got += len;
  if (sink->f && std::fwrite(data, 1, len, sink->f) != len) return 0;
  if (sink->s) sink->s->append(data, len);
  if (sink->on_bytes && *sink->on_bytes) (*sink->on_bytes)(len);
  return len;
}

Status Transfer(const std::string& url, Sink* sink) {
  std::string path = FilePathOfUri(url);
  if (!path.empty() || url.starts_with("file:")) {
    FILE* in = std::fopen(path.c_str(), "rb");
    if (!in) {
      int e = errno;
      return Errorf("{}: {}", url, e == ENOENT ? kNotFound : std::string_view(std::strerror(e)));
    }
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) {
      if (OnData(buf, 1, n, sink) != n) {
        std::fclose(in);
        return sink->too_big ? Errorf("{}: larger than {} bytes", url, sink->max)
                             : Errorf("{}: write failed", url);
      }
    }
    bool err = std::ferror(in);
    std::fclose(in);
    if (err) return Errorf("{}: read failed", url);
    return {};
  }
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    return Errorf("{}: unsupported URI scheme (http, https and file are)", url);
  DISTILL_TRY(const CurlApi* api, LoadCurl());
  std::unique_ptr<CURL, void (*)(CURL*)> curl(api->easy_init(), api->easy_cleanup);
  if (!curl) return InternalErrorf("curl_easy_init failed");
  CURL* c = curl.get();
  char errbuf[CURL_ERROR_SIZE] = "";
  api->easy_setopt(c, CURLOPT_URL, url.c_str());
  api->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  api->easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  api->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  api->easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);  // abort a transfer stalled for 60 s
  api->easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  api->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  api->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  api->easy_setopt(c, CURLOPT_USERAGENT, "distill");
  api->easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnData);
  api->easy_setopt(c, CURLOPT_WRITEDATA, sink);
  CURLcode rc = api->easy_perform(c);
  long status = 0;
  api->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (rc == CURLE_OK) return {};
  if (sink->too_big) return Errorf("{}: larger than {} bytes", url, sink->max);
  if (status == 404 || status == 410) return Errorf("{}: {} (HTTP {})", url, kNotFound, status);
  return Errorf("{}: download failed: {}", url, errbuf[0] ? errbuf : api->easy_strerror(rc));
}

}  // namespace

std::string FilePathOfUri(const std::string& url) {
  if (!url.starts_with("file:")) return "";
  std::string p = url.substr(5);
  if (p.starts_with("//")) p = p.substr(2);  // file:///x → /x (file://host/x is not supported)
  return p;
}

bool IsNotFound(const Error& error) { return error.message.find(kNotFound) != std::string::npos; }

Status DownloadToFile(const std::string& url, const std::string& path, uint64_t max_bytes,
                      const std::function<void(size_t)>& on_bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Errorf("{}: cannot create: {}", path, std::strerror(errno));
  Sink sink{f, nullptr, max_bytes, 0, false, &on_bytes};
  Status st = Transfer(url, &sink);
  bool write_ok = std::fflush(f) == 0;
  std::fclose(f);
  if (st.ok() && !write_ok) st = Errorf("{}: write failed", path);
  if (!st.ok()) ::unlink(path.c_str());
  return st;
}

Result<std::string> DownloadToString(const std::string& url, uint64_t max_bytes) {
  std::string out;
  Sink sink{nullptr, &out, max_bytes, 0, false, nullptr};
  DISTILL_TRY_VOID(Transfer(url, &sink));
  return out;
}

}  // namespace distill::imagebuild::apt
