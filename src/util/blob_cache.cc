#include "util/blob_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "util/digest.h"

namespace distill {
namespace fs = std::filesystem;

namespace {

Result<std::string> FileSha256(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errorf("{}: cannot open: {}", path, std::strerror(errno));
  Sha256 h;
  std::string buf(1 << 20, '\0');
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return Errorf("{}: read failed: {}", path, std::strerror(e));
    }
    if (n == 0) break;
    h.update(buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  return std::string(DigestHex(h.digest()));
}
}  // namespace

BlobCache BlobCache::Default() {
  if (const char* d = std::getenv("DISTILL_CACHE"); d && *d) return BlobCache(d);
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    return BlobCache(std::string(x) + "/distill");
  const char* home = std::getenv("HOME");
  return BlobCache(std::string(home && *home ? home : "/tmp") + "/.cache/distill");
}

std::string BlobCache::PathFor(std::string_view hex) const {
  return root_ + "/blobs/sha256/" + std::string(hex);
}

bool BlobCache::Has(std::string_view hex) const {
  std::error_code ec;
  return IsSha256Hex(hex) && fs::is_regular_file(PathFor(hex), ec);
}

Result<std::string> BlobCache::TempPath() const {
  static std::atomic<unsigned> counter{0};
  std::error_code ec;
  fs::create_directories(root_ + "/tmp", ec);
  if (ec) return Errorf("cache {}: cannot create tmp directory: {}", root_, ec.message());
  return fmt::format("{}/tmp/dl-{}-{}", root_, ::getpid(), counter++);
}

Result<std::string> BlobCache::Adopt(const std::string& tmp_path, std::string_view hex) const {
  if (!IsSha256Hex(hex)) {
    std::remove(tmp_path.c_str());
    return Errorf("cache: '{}' is not a sha256 hex digest", hex);
  }
  auto got = FileSha256(tmp_path);
  if (!got.ok()) {
    std::remove(tmp_path.c_str());
    return std::move(got).error();
  }
  if (*got != hex) {
    std::remove(tmp_path.c_str());
    return Errorf("digest mismatch: expected sha256:{}, got sha256:{}", hex, *got);
  }
  std::error_code ec;
  fs::create_directories(root_ + "/blobs/sha256", ec);
  if (ec) return Errorf("cache {}: cannot create blobs directory: {}", root_, ec.message());
  std::string dst = PathFor(hex);
  if (std::rename(tmp_path.c_str(), dst.c_str()) != 0) {
    int e = errno;
    std::remove(tmp_path.c_str());
    return Errorf("cache: cannot move {} to {}: {}", tmp_path, dst, std::strerror(e));
  }
  return dst;
}

}  // namespace distill
