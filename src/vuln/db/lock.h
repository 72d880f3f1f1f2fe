// The one-writer rule for a vulnerability database file: every command that replaces it (import,
// update, pull, the import of an export) holds an exclusive flock on <db>.lock while it builds the
// replacement in <db>.tmp-<random> next to it, so two writers never race to the rename and one of
// them silently loses. Readers take no lock: a database is only ever replaced whole (rename).
#pragma once

#include <string>

#include "util/result.h"

namespace distill::vuln {

class DbLock {
 public:
  // Takes the lock without waiting (creating the database's directory if needed) and removes the
  // temporary files killed writers left behind. Fails at once when another writer holds it.
  static Result<DbLock> Acquire(const std::string& db_path);
  DbLock() = default;
  DbLock(DbLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DbLock& operator=(DbLock&& other) noexcept;
  DbLock(const DbLock&) = delete;
  DbLock& operator=(const DbLock&) = delete;
  ~DbLock();

 private:
  explicit DbLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// A fresh temporary path for a replacement of db_path: "<db_path>.tmp-<random>".
std::string DbTempPath(const std::string& db_path);

// fsync of a file or (flags with O_DIRECTORY) a directory, errors naming the path.
Status FsyncPath(const std::string& path, int flags);

// fsyncs `tmp`, renames it over `db_path` and fsyncs the directory: the last step of every writer.
Status InstallFile(const std::string& tmp, const std::string& db_path);

}  // namespace distill::vuln
