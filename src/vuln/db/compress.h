// zstd compression of a database file for `db push` and `db export` (doc/vuln-db.md, "The
// database as an artifact"): streamed through a fixed buffer, never the whole file in memory, at
// one level chosen for the size/time trade-off, with zstd's own worker threads when the library
// has them (the output is the same for any number of workers, so a push is reproducible).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "util/result.h"

namespace distill::vuln {

// Level 9, see doc/vuln-db.md for the measurements behind it.
inline constexpr int kDbZstdLevel = 9;

// Hands the compressed bytes to a sink as they are produced.
class ZstdCompressor {
 public:
  using Sink = std::function<Status(const char* data, size_t n)>;
  // level: 1..19; threads: zstd workers (0: one per core), ignored by a single-threaded libzstd.
  static Result<std::unique_ptr<ZstdCompressor>> Create(Sink sink, int level = kDbZstdLevel,
                                                        int threads = 0);
  ~ZstdCompressor();
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;
  Status Write(const void* data, size_t n);
  Status Finish();  // ends the frame (with its checksum); no Write afterwards

 private:
  ZstdCompressor() = default;
  Status Drain(const void* data, size_t n, bool end);
  void* cctx_ = nullptr;  // ZSTD_CCtx
  Sink sink_;
  std::string out_;
};

// Compresses the file at `path` into `sink`; returns the file's size.
Result<uint64_t> CompressFile(const std::string& path, ZstdCompressor& compressor);

}  // namespace distill::vuln
