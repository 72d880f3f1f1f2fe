// Runs a reader (typically a decompressor) on its own thread, a few chunks ahead of the consumer,
// so inflating a layer and hashing + parsing its tar use two cores. Bounded: at most `depth`
// chunks of `chunk` bytes are in flight, in at most depth + 2 buffers carved from one
// heap::ScratchBuffer and recycled (a page touched for the first time is dear: doc/design.md,
// "Footprint"). The chunks are small enough that a chunk the inflater wrote is still in a cache
// when the consumer hashes and parses it. The source must not be touched by anyone else until the
// consumer has seen the end of the stream (or the AsyncReader is destroyed, which joins).
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "image/byte_stream.h"
#include "util/heap.h"

namespace distill::image {

class AsyncReader : public ByteStream {
 public:
  static constexpr size_t kChunk = 256 << 10;
  explicit AsyncReader(std::unique_ptr<ByteStream> src, size_t chunk = kChunk, size_t depth = 4);
  ~AsyncReader() override;
  Result<size_t> Read(void* buf, size_t n) override;
  // Zero-copy Read: the rest of the current chunk (empty at the end of the stream), valid until
  // the next call of Next or Read.
  Result<std::string_view> Next();

 private:
  void Produce();
  Result<bool> Refill();  // makes cur_ non-empty; false at the end
  std::unique_ptr<ByteStream> src_;
  size_t chunk_, depth_;
  heap::ScratchBuffer region_;  // (depth_ + 2) chunks
  size_t carved_ = 0;           // chunks handed out of region_ so far
  std::mutex mu_;
  std::condition_variable cv_;
  struct Chunk {
    char* data = nullptr;  // chunk_ bytes of region_
    size_t size = 0;       // filled
  };
  std::deque<Chunk> full_;  // filled chunks, in order
  std::vector<Chunk> free_;
  std::optional<Error> error_;
  bool eof_ = false, stop_ = false;
  Chunk cur_;
  size_t cur_pos_ = 0;
  std::thread thread_;
};

}  // namespace distill::image
