// Fetch: .deb files into the content-addressed cache, in parallel, each checked before it enters.
#include <sys/stat.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "imagebuild/deb/apt/apt.h"
#include "imagebuild/deb/apt/download.h"
#include "util/blob_cache.h"
#include "util/digest.h"
#include "util/progress.h"

namespace distill::imagebuild::apt {

namespace {

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : UINT64_MAX;
}

// Downloads one .deb into the cache: size first (the download stops at ref.size + 1 bytes), then
// the SHA256 by BlobCache::Adopt. A failure leaves nothing in the cache.
Result<std::string> FetchOne(const BlobCache& cache, const DebRef& ref, Progress* progress) {
  DISTILL_TRY(std::string tmp, cache.TempPath());
  auto on_bytes = [&](size_t n) {
    if (progress) progress->Add(n);
  };
  Status st = DownloadToFile(ref.url, tmp, ref.size + 1, on_bytes);
  if (!st.ok() && st.error().message.find("download failed") != std::string::npos)
    st =
        DownloadToFile(ref.url, tmp, ref.size + 1, on_bytes);  // one retry for a dropped connection
  if (!st.ok()) {
    std::remove(tmp.c_str());
    return std::move(st).error();
  }
  uint64_t got = FileSize(tmp);
  if (got != ref.size) {
    std::remove(tmp.c_str());
    return Errorf("{}: size {} differs from the index's {}", ref.url, got, ref.size);
  }
  auto adopted = cache.Adopt(tmp, ref.sha256);
  if (!adopted.ok()) return std::move(adopted).error().wrap(ref.url);
  return adopted;
}

}  // namespace

Result<std::vector<Fetched>> Fetch(const std::vector<DebRef>& refs, const FetchOptions& opt) {
  BlobCache cache = opt.cache_dir.empty() ? BlobCache::Default() : BlobCache(opt.cache_dir);
  std::vector<Fetched> out(refs.size());
  std::vector<size_t> todo;
  uint64_t todo_bytes = 0;
  for (size_t i = 0; i < refs.size(); ++i) {
    const DebRef& r = refs[i];
    if (!IsSha256Hex(r.sha256))
      return Errorf("{} {}: '{}' is not a sha256 hex digest", r.name, r.version, r.sha256);
    out[i].ref = r;
    if (cache.Has(r.sha256) && FileSize(cache.PathFor(r.sha256)) == r.size) {
      out[i].path = cache.PathFor(r.sha256);
      continue;
    }
    todo.push_back(i);
    todo_bytes += r.size;
  }
  if (todo.empty()) return out;
  std::optional<Progress> progress;
  if (opt.progress) progress.emplace(fmt::format("fetch {} packages", todo.size()), todo_bytes);
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::optional<Error> first_error;
  auto worker = [&] {
    for (;;) {
      size_t k = next.fetch_add(1);
      if (k >= todo.size()) return;
      {
        std::lock_guard lock(mu);
        if (first_error) return;
      }
      size_t i = todo[k];
      auto got = FetchOne(cache, refs[i], progress ? &*progress : nullptr);
      std::lock_guard lock(mu);
      if (got.ok())
        out[i].path = std::move(*got);
      else if (!first_error)
        first_error = std::move(got).error();
    }
  };
  int jobs = std::max(1, std::min<int>(opt.jobs, static_cast<int>(todo.size())));
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (first_error) return std::move(*first_error);
  return out;
}

}  // namespace distill::imagebuild::apt
