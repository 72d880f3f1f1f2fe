#include "util/file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <random>
#include <utility>

namespace distill {

namespace {
Error SysError(std::string_view what, const std::string& path) {
  return Errorf("{}: {}: {}", path, what, std::strerror(errno));
}

// An open descriptor, closed when it goes out of scope.
struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Opens path read-only and checks what it is: not a directory (regular_only: a regular file) and
// at most max_bytes long. Returns the size; *fd owns the descriptor.
Result<uint64_t> OpenBounded(const std::string& path, int flags, uint64_t max_bytes,
                             bool regular_only, std::unique_ptr<Fd>* fd) {
  *fd = std::make_unique<Fd>(::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags));
  if ((*fd)->fd < 0) return SysError("cannot open", path);
  struct stat st;
  if (::fstat((*fd)->fd, &st) != 0) return SysError("cannot stat", path);
  if (S_ISDIR(st.st_mode)) return Errorf("{}: is a directory", path);
  if (regular_only && !S_ISREG(st.st_mode)) return Errorf("{}: not a regular file", path);
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    return Errorf("{}: file too large ({} bytes, limit {})", path, st.st_size, max_bytes);
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) {
  std::unique_ptr<Fd> file;
  DISTILL_TRY(uint64_t size, OpenBounded(path, 0, max_bytes, false, &file));
  int fd = file->fd;
  std::string out;
  out.resize(size);
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError("read failed", path);
    if (n == 0) break;
    got += n;
  }
  out.resize(got);
  return out;
}

Status WriteFileAtomic(const std::string& path, std::string_view data, Durable durable) {
  std::random_device rd;
  std::string tmp = path + ".tmp-" + std::to_string(rd());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return SysError("cannot create", tmp);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto e = SysError("write failed", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += n;
  }
  if ((durable == Durable::kYes && ::fsync(fd) != 0) || ::close(fd) != 0) {
    auto e = SysError("write failed", tmp);
    ::unlink(tmp.c_str());
    return e;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto e = SysError("cannot rename into place", path);
    ::unlink(tmp.c_str());
    return e;
  }
  return {};
}

AtomicFile::AtomicFile(std::string path, std::string tmp)
    : path_(std::move(path)), tmp_(std::move(tmp)), out_(std::make_unique<std::ofstream>()) {}

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& path) {
  std::random_device rd;
  std::string tmp = path + ".tmp-" + std::to_string(rd());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return SysError("cannot create", tmp);
  ::close(fd);
  std::unique_ptr<AtomicFile> f(new AtomicFile(path, tmp));
  f->out_->open(tmp, std::ios::binary | std::ios::trunc);
  if (!*f->out_) return SysError("cannot open", tmp);
  return f;
}

AtomicFile::~AtomicFile() {
  if (!committed_) ::unlink(tmp_.c_str());
}

std::ostream& AtomicFile::stream() { return *out_; }

Status AtomicFile::Commit() {
  out_->close();  // (flushes; a failed write or close leaves the stream failed)
  if (!*out_) return SysError("write failed", tmp_);
  if (::rename(tmp_.c_str(), path_.c_str()) != 0)
    return SysError("cannot rename into place", path_);
  committed_ = true;
  return {};
}

namespace {

// A mapped file that shrinks while it is read (a live directory being scanned) makes the next read
// past its new end raise SIGBUS. That is bad input, not a crash: say which file and exit 2. The
// path is the last one mapped on the faulting thread (the catalogers map and scan on one thread).
thread_local char t_mapped_path[4096];

void OnSigbus(int) {
  constexpr char kMsg[] =
      "error: a file shrank while distill read it (the source changed during the scan): ";
  ssize_t ignored = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  ignored = ::write(STDERR_FILENO, t_mapped_path, ::strnlen(t_mapped_path, sizeof t_mapped_path));
  ignored = ::write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  ::_exit(2);
}

}  // namespace

Result<FileBytes> FileBytes::Map(const std::string& path, uint64_t max_bytes) {
  std::unique_ptr<Fd> file;
  DISTILL_TRY(uint64_t size, OpenBounded(path, O_NOFOLLOW, max_bytes, true, &file));
  FileBytes out;
  if (size == 0) return out;
  // Small files are read: a mapping costs mmap + a fault + munmap (with a TLB flush, which is dear
  // in a VM), more than copying a few pages; the bytes are freed with the object.
  if (size <= kReadBelow) {
    std::string bytes(size, '\0');
    size_t got = 0;
    while (got < size) {
      ssize_t n = ::pread(file->fd, bytes.data() + got, size - got, static_cast<off_t>(got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return SysError("read failed", path);
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    bytes.resize(got);
    return FileBytes(std::move(bytes));
  }
  static std::once_flag handler;
  std::call_once(handler, [] {
    struct sigaction sa {};
    sa.sa_handler = OnSigbus;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, nullptr);
  });
  std::snprintf(t_mapped_path, sizeof t_mapped_path, "%s", path.c_str());
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file->fd, 0);
  if (p == MAP_FAILED) return SysError("cannot map", path);
  out.map_ = p;
  out.map_len_ = size;
  return out;
}

Result<FileBytes> FileBytes::MapKnownSize(const std::string& path, uint64_t size,
                                          uint64_t max_bytes) {
  if (size > kReadBelow || size > max_bytes) return Map(path, max_bytes);
  // O_NONBLOCK: a FIFO put in the file's place since the walk must not block the open; its read
  // fails (ESPIPE) as a directory's does (EISDIR).
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (file.fd < 0) return SysError("cannot open", path);
  std::string bytes(size + 1, '\0');  // one byte more: to see that the file grew
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::pread(file.fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError("read failed", path);
    got += static_cast<size_t>(n);
    // Exactly the size the walk saw: the file ends there (had it grown, the read would have
    // returned the extra byte), so no second call only to be told 0: that was one system call
    // in six of `sbom dir:`. Fewer bytes: read on (a short read, or a file that shrank).
    if (n == 0 || got == size) break;
  }
  if (got > size) return Map(path, max_bytes);  // changed since it was listed: the checked way
  bytes.resize(got);
  return FileBytes(std::move(bytes));
}

std::string FileBytes::TakeString() && {
  if (owns_) {
    owns_ = false;
    return std::move(owned_);
  }
  return std::string(view());
}

FileBytes FileBytes::Borrow(std::string_view bytes) {
  FileBytes out;
  out.borrowed_ = bytes;
  return out;
}

FileBytes& FileBytes::operator=(FileBytes&& other) noexcept {
  if (this == &other) return *this;
  if (map_) ::munmap(map_, map_len_);
  map_ = std::exchange(other.map_, nullptr);
  map_len_ = std::exchange(other.map_len_, 0);
  owned_ = std::move(other.owned_);
  owns_ = std::exchange(other.owns_, false);
  borrowed_ = std::exchange(other.borrowed_, {});
  return *this;
}

FileBytes::~FileBytes() {
  if (map_) ::munmap(map_, map_len_);
}

std::string_view FileBytes::view() const {
  if (map_) return {static_cast<const char*>(map_), map_len_};
  return owns_ ? std::string_view(owned_) : borrowed_;
}

void FileBytes::Release(std::string_view part) const {
  if (!map_) return;  // heap bytes: dropping their pages would lose them
  auto lo = reinterpret_cast<uintptr_t>(part.data()), hi = lo + part.size();
  auto base = reinterpret_cast<uintptr_t>(map_);
  if (lo < base || hi > base + map_len_) return;
  static const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  lo = (lo + page - 1) & ~(page - 1);
  hi &= ~(page - 1);
  // A private read-only file mapping: the pages are clean copies of the page cache.
  if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
}

Result<std::shared_ptr<RandomAccessFile>> RandomAccessFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SysError("cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    auto e = SysError("cannot stat", path);
    ::close(fd);
    return e;
  }
  return std::shared_ptr<RandomAccessFile>(new RandomAccessFile(path, fd, st.st_size));
}

Result<std::shared_ptr<RandomAccessFile>> RandomAccessFile::OpenRegular(const std::string& path) {
  std::unique_ptr<Fd> file;
  DISTILL_TRY(uint64_t size, OpenBounded(path, O_NOFOLLOW, UINT64_MAX, true, &file));
  auto out = std::shared_ptr<RandomAccessFile>(new RandomAccessFile(path, file->fd, size));
  file->fd = -1;  // owned by out now
  return out;
}

RandomAccessFile::~RandomAccessFile() { ::close(fd_); }

Status RandomAccessFile::ReadAt(uint64_t offset, void* buf, size_t n) const {
  if (offset > size_ || n > size_ - offset)
    return Errorf("{}: read of {} bytes at offset {} past end of file ({} bytes)", path_, n, offset,
                  size_);
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t got = ::pread(fd_, p, n, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return SysError("read failed", path_);
    if (got == 0) return Errorf("{}: unexpected end of file at offset {}", path_, offset);
    p += got;
    n -= got;
    offset += got;
  }
  return {};
}

}  // namespace distill
