// Files on the host: bounded reads, positional reads for random access into archives, and
// atomic writes (temporary file + rename, so no reader ever sees a half-written output).
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace distill {

// Reads a whole file, refusing files larger than max_bytes.
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes = 256ull << 20);

// Writes data to path atomically: path.tmp-XXXX in the same directory, fsync, rename.
Status WriteFileAtomic(const std::string& path, std::string_view data);

// A file written through a stream and put in place atomically: the bytes go to path.tmp-XXXX
// next to path, which replaces path only on Commit(); without Commit (an error on the way) the
// temporary file is removed, so no reader ever sees a half-written output.
class AtomicFile {
 public:
  static Result<std::unique_ptr<AtomicFile>> Create(const std::string& path);
  ~AtomicFile();
  std::ostream& stream();
  Status Commit();

 private:
  AtomicFile(std::string path, std::string tmp);
  std::string path_, tmp_;
  std::unique_ptr<std::ofstream> out_;
  bool committed_ = false;
};

// An open, read-only file for positional reads (pread); shareable between threads.
class RandomAccessFile {
 public:
  static Result<std::shared_ptr<RandomAccessFile>> Open(const std::string& path);
  ~RandomAccessFile();
  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }
  // Reads exactly n bytes at offset, or fails naming the file.
  Status ReadAt(uint64_t offset, void* buf, size_t n) const;

 private:
  RandomAccessFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  uint64_t size_;
};

}  // namespace distill
