#include "vuln/db/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace distill::vuln {

namespace {

// The temporary files of writers that were killed (SIGKILL, power loss). Called with the lock
// held: no other writer is alive, so every such file is an orphan, however young.
void RemoveOrphans(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(path);
  fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::string prefix = p.filename().string() + ".tmp-";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().starts_with(prefix)) fs::remove(it->path(), ec);
}

}  // namespace

Result<DbLock> DbLock::Acquire(const std::string& path) {
  const std::string lock_path = path + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::error_code ec;
    auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  }
  if (fd < 0) return Errorf("{}: cannot open: {}", lock_path, std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Errorf("{}: another import or update is writing this database", path);
  }
  RemoveOrphans(path);
  return DbLock(fd);
}

DbLock& DbLock::operator=(DbLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DbLock::~DbLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

std::string DbTempPath(const std::string& db_path) {
  std::random_device rd;
  return db_path + ".tmp-" + std::to_string(rd());
}

Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Errorf("{}: cannot open: {}", path, std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errorf("{}: fsync failed: {}", path, std::strerror(errno));
  return {};
}

Status InstallFile(const std::string& tmp, const std::string& db_path) {
  DISTILL_TRY_VOID(FsyncPath(tmp, O_RDONLY));
  if (::rename(tmp.c_str(), db_path.c_str()) != 0)
    return Errorf("cannot rename {} to {}: {}", tmp, db_path, std::strerror(errno));
  auto dir = std::filesystem::path(db_path).parent_path().string();
  return FsyncPath(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace distill::vuln
