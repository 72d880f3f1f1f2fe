// Files on the host: bounded reads, positional reads for random access into archives, and
// atomic writes (temporary file + rename, so no reader ever sees a half-written output).
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace distill {

// Reads a whole file, refusing files larger than max_bytes.
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes = 256ull << 20);

// Writes data to path atomically: path.tmp-XXXX in the same directory, fsync, rename. A cache
// whose reader checks what it reads may skip the fsync (Durable::kNo): after a crash the file can
// be there but empty or cut short, so the reader must refuse that.
enum class Durable { kYes, kNo };
Status WriteFileAtomic(const std::string& path, std::string_view data,
                       Durable durable = Durable::kYes);

// A file written through a stream and put in place atomically: the bytes go to path.tmp-XXXX
// next to path, which replaces path only on Commit(); without Commit (an error on the way) the
// temporary file is removed, so no reader ever sees a half-written output. Not fsync'd: these are
// reports (SBOMs, scan and audit results), made again rather than recovered after a power cut,
// and an fsync waits on whatever else the filesystem has yet to write, which after a large build
// can outlast the command itself (doc/design.md, "Footprint"); syft, grype and trivy do not sync
// either.
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

// Read-only bytes of a file: a private mapping of a host file (pages are read on touch and never
// copied to the heap, so scanning a 7 MB executable does not hold 7 MB), or a string in memory.
// Move-only; view() is valid while the object lives.
class FileBytes {
 public:
  FileBytes() = default;
  explicit FileBytes(std::string owned) : owned_(std::move(owned)), owns_(true) {}
  // Maps path read-only (O_NOFOLLOW: a symlink is refused), refusing files over max_bytes. Files
  // of at most kReadBelow bytes are read into memory instead (cheaper than a mapping's syscalls).
  static Result<FileBytes> Map(const std::string& path, uint64_t max_bytes = 256ull << 20);
  // The same for a file whose size the caller knows (a directory walk's lstat): a file of at most
  // kReadBelow bytes is opened and read without the fstat, which costs as much as the read. A file
  // found to be larger, or not a regular file, is handled (or refused) as Map does.
  static Result<FileBytes> MapKnownSize(const std::string& path, uint64_t size, uint64_t max_bytes);
  static constexpr uint64_t kReadBelow = 64 << 10;
  // Bytes that live elsewhere, for as long as the caller keeps them.
  static FileBytes Borrow(std::string_view bytes);
  FileBytes(FileBytes&& other) noexcept { *this = std::move(other); }
  FileBytes& operator=(FileBytes&& other) noexcept;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();
  std::string_view view() const;
  // The bytes as a string, moved out when they are on the heap already.
  std::string TakeString() &&;
  // Drops the whole pages of `part` (a piece of view()) from the resident set when the bytes are
  // a mapping; they are read back from the page cache if touched again. No-op for heap bytes.
  void Release(std::string_view part) const;

 private:
  void* map_ = nullptr;
  size_t map_len_ = 0;
  std::string owned_;
  bool owns_ = false;
  std::string_view borrowed_;
};

// An open, read-only file for positional reads (pread); shareable between threads.
class RandomAccessFile {
 public:
  static Result<std::shared_ptr<RandomAccessFile>> Open(const std::string& path);
  // Only a regular file, and not through a symlink as the last component (O_NOFOLLOW), as
  // FileBytes::Map opens them.
  static Result<std::shared_ptr<RandomAccessFile>> OpenRegular(const std::string& path);
  ~RandomAccessFile();
  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }
  // Reads exactly n bytes at offset, or fails naming the file.
  Status ReadAt(uint64_t offset, void* buf, size_t n) const;

 private:
  RandomAccessFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  uint64_t size_;
};

// A stdio FILE closed when it goes out of scope. To see a write error, fclose(file.release()).
struct FileCloser {
  void operator()(FILE* file) const { std::fclose(file); }
};
using UniqueFile = std::unique_ptr<FILE, FileCloser>;

}  // namespace distill
