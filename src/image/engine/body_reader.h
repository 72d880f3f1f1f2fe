// An HTTP response body as a ByteStream: a thread runs the request (registry/http.h) and hands the
// body over through a bounded queue (a few MB), so a `docker save` stream of any size is read
// front to back without touching the disk. A status other than 2xx, or a transfer that breaks off,
// ends the stream with an error instead of a clean end.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "image/byte_stream.h"
#include "image/registry/http.h"

namespace distill::image::engine {

class BodyReader : public ByteStream {
 public:
  // describe turns a finished response that is not a 2xx (or a failed transfer) into the error the
  // reader reports.
  using Describe = std::function<Error(const registry::HttpResponse&)>;
  BodyReader(registry::HttpRequest req, Describe describe, size_t capacity = 4 << 20);
  ~BodyReader() override;
  BodyReader(const BodyReader&) = delete;
  BodyReader& operator=(const BodyReader&) = delete;
  Result<size_t> Read(void* buf, size_t n) override;

 private:
  void Run();
  bool Push(const char* data, size_t n);

  registry::HttpRequest req_;
  Describe describe_;
  const size_t cap_;
  std::mutex mu_;
  std::condition_variable can_read_, can_write_;
  std::deque<std::string> chunks_;
  size_t queued_ = 0, front_off_ = 0;  // bytes queued; bytes of chunks_.front() already read
  bool done_ = false, stop_ = false;
  std::optional<Error> error_;
  std::thread thread_;
};

}  // namespace distill::image::engine
