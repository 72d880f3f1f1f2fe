#include "vuln/db/fetch.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "util/digest.h"
#include "util/file.h"
#include "util/libcurl.h"
#include "util/text.h"

namespace distill::vuln {

namespace {

namespace fs = std::filesystem;

struct Meta {
  std::string etag, last_modified;
};

// <file>.meta: two lines, "etag: ..." and "last-modified: ...".
Meta ReadMeta(const std::string& path) {
  Meta m;
  auto text = ReadFile(path, 1 << 16);
  if (!text.ok()) return m;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t nl = text->find('\n', pos);
    std::string line = text->substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text->size() : nl + 1;
    if (line.starts_with("etag: ")) m.etag = line.substr(6);
    if (line.starts_with("last-modified: ")) m.last_modified = line.substr(15);
  }
  return m;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* m = static_cast<Meta*>(user);
  std::string_view line(data, size * n);
  auto value = [&](size_t skip) { return Trim(std::string(line.substr(skip))); };
  std::string lower;
  for (char c : line.substr(0, 16)) lower += AsciiLower(c);
  if (lower.starts_with("etag:")) m->etag = value(5);
  if (lower.starts_with("last-modified:")) m->last_modified = value(14);
  if (line.starts_with("HTTP/")) *m = {};  // a new response (after a redirect): forget the last
  return size * n;
}

size_t OnData(char* data, size_t size, size_t n, void* user) {
  return std::fwrite(data, size, n, static_cast<FILE*>(user)) * size;
}

struct Progress {
  const std::string* label;  // null: no progress line
  const std::atomic<bool>* cancel;
};

int OnProgress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  const auto* p = static_cast<const Progress*>(user);
  if (p->cancel && p->cancel->load()) return 1;  // curl stops with CURLE_ABORTED_BY_CALLBACK
  if (!p->label) return 0;
  // curl calls this many times a second; redraw at most every 100 ms, and at the end.
  static auto last = std::chrono::steady_clock::time_point();
  auto t = std::chrono::steady_clock::now();
  if (t - last < std::chrono::milliseconds(100) && !(total > 0 && now == total)) return 0;
  last = t;
  if (total > 0)
    std::fprintf(stderr, "\r%s: %.1f / %.1f MB (%d%%)", p->label->c_str(), now / 1e6, total / 1e6,
                 static_cast<int>(100 * now / total));
  else
    std::fprintf(stderr, "\r%s: %.1f MB", p->label->c_str(), now / 1e6);
  return 0;
}

// A download killed outright (kill -9) leaves its "<name>.part-N" behind: those of this URL over
// an hour old are removed (a younger one may be another update's, still running).
void RemoveStaleParts(const std::string& dir, const std::string& prefix) {
  std::error_code ec;
  auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    std::error_code e2;
    if (fs::last_write_time(it->path(), e2) < cutoff && !e2) fs::remove(it->path(), e2);
  }
}

}  // namespace

bool IsUrl(std::string_view text) {
  return text.starts_with("http://") || text.starts_with("https://") || text.starts_with("file://");
}

std::string DownloadName(const std::string& url) {
  std::string base = url.substr(url.find_last_of('/') + 1);
  base = base.substr(0, base.find_first_of("?#"));
  std::string safe;
  for (char c : base)
    safe +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  return Sha256Digest(url).substr(7, 16) + "-" + (safe.empty() ? "index" : safe);
}

Result<Fetched> Fetch(const std::string& url, const FetchOptions& opts) {
  DISTILL_TRY(const CurlApi* api, LoadCurl());
  std::error_code ec;
  fs::create_directories(opts.download_dir, ec);
  if (ec) return Errorf("{}: cannot create: {}", opts.download_dir, ec.message());
  Fetched out;
  out.path = opts.download_dir + "/" + DownloadName(url);
  std::string meta_path = out.path + ".meta";
  bool cached = fs::exists(out.path, ec);
  Meta old = cached ? ReadMeta(meta_path) : Meta{};
  RemoveStaleParts(opts.download_dir, DownloadName(url) + ".part-");
  std::string tmp = out.path + ".part-" + std::to_string(std::random_device{}());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Errorf("{}: cannot create", tmp);

  std::unique_ptr<CURL, CurlCleanup> curl(api->easy_init(), CurlCleanup{api});
  std::unique_ptr<curl_slist, SlistCleanup> headers(nullptr, SlistCleanup{api});
  if (!old.etag.empty())
    headers.reset(api->slist_append(headers.release(), ("If-None-Match: " + old.etag).c_str()));
  if (!old.last_modified.empty())
    headers.reset(
        api->slist_append(headers.release(), ("If-Modified-Since: " + old.last_modified).c_str()));
  Meta now;
  std::string label = opts.label.empty() ? DownloadName(url) : opts.label;
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  api->easy_setopt(c, CURLOPT_URL, url.c_str());
  api->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  api->easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  api->easy_setopt(c, CURLOPT_TIMEOUT, opts.timeout_seconds);
  api->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  api->easy_setopt(c, CURLOPT_USERAGENT, "distill");
  api->easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  api->easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
  api->easy_setopt(c, CURLOPT_HEADERDATA, &now);
  api->easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnData);
  api->easy_setopt(c, CURLOPT_WRITEDATA, f);
  Progress progress{opts.progress ? &label : nullptr, opts.cancel};
  if (opts.progress || opts.cancel) {
    api->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    api->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &OnProgress);
    api->easy_setopt(c, CURLOPT_XFERINFODATA, &progress);
  }
  CURLcode rc = api->easy_perform(c);
  api->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.http_status);
  bool write_ok = std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  std::fclose(f);
  if (opts.progress) std::fprintf(stderr, "\n");
  if (rc != CURLE_OK || !write_ok) {
    ::unlink(tmp.c_str());
    return Errorf("{}: download failed: {}", url, errbuf[0] ? errbuf : api->easy_strerror(rc));
  }
  if (out.http_status == 304 && cached) {
    ::unlink(tmp.c_str());
    out.not_modified = true;
    return out;
  }
  if (::rename(tmp.c_str(), out.path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Errorf("{}: cannot rename into place", out.path);
  }
  DISTILL_TRY_VOID(WriteFileAtomic(
      meta_path, "etag: " + now.etag + "\nlast-modified: " + now.last_modified + "\n"));
  return out;
}

}  // namespace distill::vuln
