#include "image/registry/blob_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "util/digest.h"
#include "util/file.h"
#include "util/log.h"

namespace distill::image::registry {

BlobReader::BlobReader(std::shared_ptr<Client> client, std::string repository, std::string digest,
                       size_t capacity)
    : client_(std::move(client)),
      repository_(std::move(repository)),
      digest_(std::move(digest)),
      hashing_(digest_.starts_with("sha256:")),
      cap_(capacity),
      ring_(capacity) {
  const auto& cache = client_->options().cache;
  if (cache && digest_.starts_with("sha256:")) {
    auto tmp = cache->TempPath();
    if (tmp.ok()) {
      cache_tmp_ = *tmp;
      cache_fd_ = ::open(cache_tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
  }
  thread_ = std::thread([this] { Run(); });
}

BlobReader::~BlobReader() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  can_write_.notify_all();
  thread_.join();
  if (cache_fd_ >= 0) {
    ::close(cache_fd_);
    ::unlink(cache_tmp_.c_str());
  }
}

bool BlobReader::Push(const char* data, size_t n) {
  if (hashing_) sha_.update(data, n);
  if (cache_fd_ >= 0) {
    for (size_t off = 0; off < n;) {
      ssize_t w = ::write(cache_fd_, data + off, n - off);
      if (w <= 0) {  // the cache is optional: stop filling it, keep streaming
        ::close(cache_fd_);
        ::unlink(cache_tmp_.c_str());
        cache_fd_ = -1;
        break;
      }
      off += static_cast<size_t>(w);
    }
  }
  const size_t cap = cap_;
  while (n > 0) {
    uint64_t head;
    {
      std::unique_lock lock(mu_);
      if (tail_ - head_ == cap) {  // full: sleep until half of it is consumed
        writer_waits_ = true;
        can_write_.wait(lock, [&] { return stop_ || tail_ - head_ <= cap / 2; });
        writer_waits_ = false;
      }
      if (stop_) return false;
      head = head_;
    }
    // Only this thread moves tail_, and the reader never touches [tail_, head + cap): copy
    // unlocked.
    size_t k = std::min<uint64_t>(n, cap - (tail_ - head));
    size_t at = tail_ % cap, first = std::min(k, cap - at);
    std::memcpy(ring_.data() + at, data, first);
    std::memcpy(ring_.data(), data + first, k - first);
    data += k;
    n -= k;
    std::lock_guard lock(mu_);
    tail_ += k;
    if (reader_waits_) can_read_.notify_one();
  }
  return true;
}

Status BlobReader::Fetch() {
  const std::vector<std::string> scopes = {"repository:" + repository_ + ":pull"};
  uint64_t delivered = 0;
  for (int attempt = 0;; ++attempt) {
    HttpRequest req;
    req.url = "/v2/" + repository_ + "/blobs/" + digest_;
    if (delivered) req.headers.push_back(fmt::format("Range: bytes={}-", delivered));
    uint64_t skip = 0;  // a server that ignores Range (200, not 206) resends from the start
    bool first = true;
    req.on_body = [&, resumed = delivered](long status, const char* data, size_t n) {
      if (first) {
        first = false;
        if (resumed && status == 200) skip = resumed;
      }
      if (skip) {
        size_t drop = std::min<uint64_t>(skip, n);
        skip -= drop;
        data += drop;
        n -= drop;
        if (!n) return true;
      }
      if (!Push(data, n)) return false;
      delivered += n;
      return true;
    };
    auto r = client_->Send(req, scopes);
    if (!r.ok()) return std::move(r).error();
    if (r->aborted) return {};
    if (r->curl_code) {
      if (attempt < client_->options().max_retries) {
        log::warn("{}: blob {}: {}; resuming at byte {}", client_->host(), ShortDigest(digest_),
                  r->error, delivered);
        continue;
      }
      return Errorf("{}: blob {}: {}", client_->host(), ShortDigest(digest_), r->error);
    }
    if (r->status == 200 || r->status == 206) return {};
    return client_->ErrorFor(req, *r).wrap(fmt::format("blob {}", ShortDigest(digest_)));
  }
}

void BlobReader::Run() {
  Status s = Fetch();
  bool stopped;
  {
    std::lock_guard lock(mu_);
    stopped = stop_;
  }
  if (s.ok() && !stopped && hashing_) {
    std::string got = sha_.digest();
    if (got != digest_)
      s = Errorf("{}: blob {}: digest mismatch (content is {})", client_->host(),
                 ShortDigest(digest_), ShortDigest(got));
  }
  std::lock_guard lock(mu_);
  if (!s.ok()) error_ = std::move(s).error();
  done_ = true;
  can_read_.notify_one();
}

Result<size_t> BlobReader::Read(void* buf, size_t n) {
  const size_t cap = cap_;
  uint64_t tail;
  {
    std::unique_lock lock(mu_);
    if (tail_ == head_ && !done_) {
      reader_waits_ = true;
      can_read_.wait(lock, [&] { return tail_ != head_ || done_; });
      reader_waits_ = false;
    }
    tail = tail_;
    if (tail == head_) {
      if (error_) return *error_;
      if (cache_fd_ >= 0) {  // complete: hand the copy to the cache (it checks the digest)
        ::close(cache_fd_);
        cache_fd_ = -1;
        auto adopted = client_->options().cache->Adopt(cache_tmp_, DigestHex(digest_));
        if (!adopted.ok()) log::debug("blob cache: {}", adopted.error().message);
      }
      return size_t{0};
    }
  }
  // Only this thread moves head_, and the writer never touches [head_, tail): copy unlocked.
  size_t at = head_ % cap;
  size_t take = std::min<uint64_t>({n, tail - head_, cap - at});
  std::memcpy(buf, ring_.data() + at, take);
  std::lock_guard lock(mu_);
  head_ += take;
  if (writer_waits_ && tail_ - head_ <= cap / 2) can_write_.notify_one();
  return take;
}

Result<std::unique_ptr<ByteStream>> OpenBlob(std::shared_ptr<Client> client,
                                             const std::string& repository,
                                             const std::string& digest) {
  const auto& cache = client->options().cache;
  if (cache && digest.starts_with("sha256:") && cache->Has(DigestHex(digest))) {
    DISTILL_TRY(auto file, RandomAccessFile::Open(cache->PathFor(DigestHex(digest))));
    uint64_t size = file->size();
    return std::unique_ptr<ByteStream>(
        std::make_unique<FileRegionReader>(std::move(file), 0, size));
  }
  return std::unique_ptr<ByteStream>(
      std::make_unique<BlobReader>(std::move(client), repository, digest));
}

}  // namespace distill::image::registry
