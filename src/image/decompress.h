// Layer decompression as a stream: gzip (isa-l's igzip, the fastest streaming inflater here — see
// bench/inflate.sh; zlib kept as a fallback), zstd (libzstd), or none. Multi-member gzip and
// multi-frame zstd streams are read to the end; truncation and corruption are errors.
#pragma once

#include <memory>
#include <string_view>

#include "image/byte_stream.h"
#include "util/digest.h"

namespace distill::image {

enum class Compression { kNone, kGzip, kZstd };
std::string_view CompressionName(Compression c);

// Sniffs the magic bytes: 1f 8b → gzip, 28 b5 2f fd → zstd, else none.
Compression SniffCompression(const unsigned char* p, size_t n);

enum class GzipBackend { kIsal, kZlib };

// Decompresses src. Errors say what is wrong and after how many compressed bytes.
std::unique_ptr<ByteStream> Decompress(std::unique_ptr<ByteStream> src, Compression c,
                                       GzipBackend gzip = GzipBackend::kIsal);

// Passes bytes through while hashing and counting them.
class HashingReader : public ByteStream {
 public:
  // hash=false only counts (when another reader already hashes the same bytes).
  explicit HashingReader(ByteStream* src, bool hash = true) : src_(src), hash_(hash) {}
  Result<size_t> Read(void* buf, size_t n) override;
  uint64_t count() const { return count_; }
  std::string digest() { return sha_.digest(); }

 private:
  ByteStream* src_;
  bool hash_;
  Sha256 sha_;
  uint64_t count_ = 0;
};

}  // namespace distill::image
