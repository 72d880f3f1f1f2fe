#include "image/engine/body_reader.h"

#include <cstring>

namespace distill::image::engine {

BodyReader::BodyReader(registry::HttpRequest req, Describe describe, size_t capacity)
    : req_(std::move(req)), describe_(std::move(describe)), cap_(capacity) {
  req_.on_body = [this](long, const char* data, size_t n) { return Push(data, n); };
  thread_ = std::thread([this] { Run(); });
}

BodyReader::~BodyReader() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  can_write_.notify_all();
  thread_.join();
}

bool BodyReader::Push(const char* data, size_t n) {
  std::unique_lock lock(mu_);
  can_write_.wait(lock, [&] { return stop_ || queued_ < cap_; });
  if (stop_) return false;
  chunks_.emplace_back(data, n);
  queued_ += n;
  can_read_.notify_one();
  return true;
}

void BodyReader::Run() {
  auto resp = registry::HttpDo(req_, {});
  std::optional<Error> err;
  if (!resp.ok())
    err = std::move(resp).error();
  else if (!resp->aborted && (resp->curl_code || resp->status < 200 || resp->status >= 300))
    err = describe_(*resp);
  std::lock_guard lock(mu_);
  error_ = std::move(err);
  done_ = true;
  can_read_.notify_one();
}

Result<size_t> BodyReader::Read(void* buf, size_t n) {
  std::unique_lock lock(mu_);
  can_read_.wait(lock, [&] { return queued_ > 0 || done_; });
  if (queued_ == 0) {
    if (error_) return *error_;
    return size_t{0};
  }
  const std::string& front = chunks_.front();
  size_t take = std::min(n, front.size() - front_off_);
  std::memcpy(buf, front.data() + front_off_, take);
  front_off_ += take;
  queued_ -= take;
  if (front_off_ == front.size()) {
    chunks_.pop_front();
    front_off_ = 0;
  }
  can_write_.notify_one();
  return take;
}

}  // namespace distill::image::engine
