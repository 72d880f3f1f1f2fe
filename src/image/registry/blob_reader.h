// A layer blob streamed from a registry into the layer reader: a producer thread runs the HTTP
// GET and hands the bytes over through a bounded ring buffer (a few MB), so nothing touches the
// disk and memory stays flat. Each side sleeps only when the ring is full (producer: until it is
// half empty) or empty (consumer), so a fast network and a slower inflater do not wake each other
// for every small receive. A dropped connection resumes with a Range request from the byte it
// stopped at. With a blob cache, the bytes are also written to a temporary file that enters the
// cache (by rename, after its digest is checked) once the stream has ended. The producer thread
// also hashes the bytes as they arrive and fails the stream's end on a digest mismatch, so the
// consumer (the inflater) does not spend its time on the compressed digest.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "image/byte_stream.h"
#include "image/registry/client.h"
#include "util/digest.h"
#include "util/heap.h"

namespace distill::image::registry {

class BlobReader : public ByteStream {
 public:
  BlobReader(std::shared_ptr<Client> client, std::string repository, std::string digest,
             size_t capacity = 2 << 20);
  ~BlobReader() override;
  Result<size_t> Read(void* buf, size_t n) override;
  bool self_verifying() const override { return hashing_; }
  std::string verified_digest() const override { return hashing_ ? digest_ : ""; }

 private:
  void Run();
  Status Fetch();
  bool Push(const char* data, size_t n);

  std::shared_ptr<Client> client_;
  std::string repository_, digest_;
  bool hashing_;  // sha256 digests: checked on the producer thread
  Sha256 sha_;
  std::mutex mu_;
  std::condition_variable can_read_, can_write_;
  const size_t cap_;
  heap::ScratchBuffer ring_;      // cap_ bytes
  uint64_t head_ = 0, tail_ = 0;  // bytes consumed / produced so far; the ring holds [head_, tail_)
  bool reader_waits_ = false, writer_waits_ = false;
  bool done_ = false, stop_ = false;
  std::optional<Error> error_;
  int cache_fd_ = -1;
  std::string cache_tmp_;
  std::thread thread_;
};

// Opens blob `digest` of `repository`: from the client's blob cache when present, else streamed.
Result<std::unique_ptr<ByteStream>> OpenBlob(std::shared_ptr<Client> client,
                                             const std::string& repository,
                                             const std::string& digest);

}  // namespace distill::image::registry
