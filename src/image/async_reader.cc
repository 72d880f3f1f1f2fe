#include "image/async_reader.h"

#include <cstring>

namespace distill::image {

AsyncReader::AsyncReader(std::unique_ptr<ByteStream> src, size_t chunk, size_t depth)
    : src_(std::move(src)), chunk_(chunk), depth_(depth), region_((depth + 2) * chunk) {
  thread_ = std::thread([this] { Produce(); });
}

AsyncReader::~AsyncReader() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void AsyncReader::Produce() {
  for (;;) {
    Chunk buf;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || full_.size() < depth_; });
      if (stop_) return;
      if (!free_.empty()) {
        buf = free_.back();
        free_.pop_back();
      } else {
        // Only this thread carves. At most depth_ chunks are full, one is the consumer's and this
        // one is being filled: depth_ + 2 in all.
        buf.data = region_.data() + carved_++ * chunk_;
      }
    }
    // Fill the chunk as far as the source allows, so the consumer sees few small reads.
    size_t got = 0;
    std::optional<Error> err;
    while (got < chunk_) {
      auto n = src_->Read(buf.data + got, chunk_ - got);
      if (!n.ok()) {
        err = std::move(n).error();
        break;
      }
      if (*n == 0) break;
      got += *n;
    }
    buf.size = got;
    std::lock_guard lock(mu_);
    if (got > 0) full_.push_back(std::move(buf));
    if (err) error_ = std::move(err);
    if (err || got < chunk_) {
      eof_ = true;
      cv_.notify_all();
      return;
    }
    cv_.notify_all();
  }
}

Result<bool> AsyncReader::Refill() {
  if (cur_pos_ < cur_.size) return true;
  std::unique_lock lock(mu_);
  if (cur_.data) free_.push_back(std::move(cur_));
  cur_ = {};
  cur_pos_ = 0;
  cv_.notify_all();
  cv_.wait(lock, [&] { return !full_.empty() || eof_; });
  if (full_.empty()) {
    if (error_) return *error_;
    return false;
  }
  cur_ = std::move(full_.front());
  full_.pop_front();
  return true;
}

Result<std::string_view> AsyncReader::Next() {
  DISTILL_TRY(bool more, Refill());
  if (!more) return std::string_view();
  std::string_view v(cur_.data + cur_pos_, cur_.size - cur_pos_);
  cur_pos_ = cur_.size;
  return v;
}

Result<size_t> AsyncReader::Read(void* out, size_t n) {
  DISTILL_TRY(bool more, Refill());
  if (!more) return size_t{0};
  size_t k = std::min(n, cur_.size - cur_pos_);
  std::memcpy(out, cur_.data + cur_pos_, k);
  cur_pos_ += k;
  return k;
}

}  // namespace distill::image
