// Streams of bytes: a blob inside an archive, a file, a layer being decompressed. Every reader is
// pull-based and single-pass; Read returns 0 only at the end of the stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "util/file.h"
#include "util/result.h"

namespace distill::image {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to n bytes; 0 means end of stream.
  virtual Result<size_t> Read(void* buf, size_t n) = 0;
  // True when the reader hashes (sha256) every byte it returns itself, e.g. on the thread that
  // downloads them, and fails the read that would end the stream if they do not match the digest
  // it was opened for. Then verified_digest() is that digest once Read has returned 0, and
  // consumers need not hash the same bytes again.
  virtual bool self_verifying() const { return false; }
  virtual std::string verified_digest() const { return ""; }
};

// A byte range [offset, offset+size) of a host file, read with pread (so many can share one file).
class FileRegionReader : public ByteStream {
 public:
  FileRegionReader(std::shared_ptr<RandomAccessFile> file, uint64_t offset, uint64_t size)
      : file_(std::move(file)), pos_(offset), end_(offset + size) {}
  Result<size_t> Read(void* buf, size_t n) override;

 private:
  std::shared_ptr<RandomAccessFile> file_;
  uint64_t pos_, end_;
};

// A reader over bytes in memory (tests, small blobs).
class StringReader : public ByteStream {
 public:
  explicit StringReader(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(void* buf, size_t n) override;

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Reads a whole stream into memory, failing past max_bytes.
Result<std::string> ReadAll(ByteStream& r, uint64_t max_bytes, std::string_view what);

}  // namespace distill::image
