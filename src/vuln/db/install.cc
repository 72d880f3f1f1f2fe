#include "vuln/db/install.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "vuln/db/schema.h"
#include "vuln/db/sqlite.h"

namespace distill::vuln {

Result<std::unique_ptr<Installer>> Installer::Create(const std::string& db_path) {
  DISTILL_TRY(DbLock lock, DbLock::Acquire(db_path));
  std::unique_ptr<Installer> in(new Installer(db_path, DbTempPath(db_path)));
  in->lock_ = std::move(lock);
  in->fd_ = ::open(in->tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (in->fd_ < 0) return Errorf("{}: cannot create: {}", in->tmp_, std::strerror(errno));
  return in;
}

Installer::~Installer() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(tmp_.c_str());
}

Status Installer::Write(const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd_, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return Errorf("{}: write failed: {}", tmp_, std::strerror(errno));
    data += w;
    n -= static_cast<size_t>(w);
    written_ += static_cast<uint64_t>(w);
  }
  // Start the writeback of every 8 MB as it is written (asynchronous: only starts I/O), so the
  // disk works while the rest downloads and Commit's fsync waits for the last few MB only, not
  // for the whole file (doc/vuln-db.md has the measurement).
  if (written_ - synced_ >= (8u << 20)) {
    (void)::sync_file_range(fd_, static_cast<off64_t>(synced_),
                            static_cast<off64_t>(written_ - synced_), SYNC_FILE_RANGE_WRITE);
    synced_ = written_;
  }
  return {};
}

Result<int64_t> Installer::Commit(const std::vector<std::pair<std::string, std::string>>& meta,
                                  const std::string& what) {
  if (::close(fd_) != 0) {
    fd_ = -1;
    return Errorf("{}: write failed: {}", tmp_, std::strerror(errno));
  }
  fd_ = -1;
  int64_t built_at = 0;
  {
    auto db = sql::Conn::Open(tmp_, SQLITE_OPEN_READWRITE);
    if (!db.ok()) return std::move(db).error().wrap(what);
    if (auto st = CheckSchemaVersion(*db); !st.ok())
      return Errorf("{}: {}", what, st.error().message.substr(st.error().message.find(": ") + 2));
    // The file is private until renamed: no journal (as the writer's).
    DISTILL_TRY_VOID(db->Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN"));
    DISTILL_TRY(auto put, db->Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"));
    for (const auto& [k, v] : meta) DISTILL_TRY_VOID(put.Bind(1, k).Bind(2, v).Run());
    DISTILL_TRY_VOID(db->Exec("COMMIT"));
    DISTILL_TRY(auto get, db->Prepare("SELECT value FROM meta WHERE key = 'built_at'"));
    DISTILL_TRY(bool row, get.Step());
    if (row) built_at = get.Int(0);
  }
  DISTILL_TRY_VOID(InstallFile(tmp_, path_));
  committed_ = true;
  return built_at;
}

std::string InstalledMeta(const std::string& db_path, const std::string& key) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) return "";
  auto db = sql::Conn::Open(db_path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return "";
  auto st = db->Prepare("SELECT value FROM meta WHERE key = ?1");
  if (!st.ok()) return "";
  st->Bind(1, key);
  auto row = st->Step();
  if (!row.ok() || !*row) return "";
  return std::string(st->Text(0));
}

}  // namespace distill::vuln
