// Installing a whole database that arrives as a stream of bytes (`db pull`, `db import` of an
// export): under the writer lock (lock.h) the bytes go to <db>.tmp-<random> next to the
// destination; Commit checks that the file is a database of this distill's schema, records where
// it came from in its `meta` table, fsyncs and renames it into place. An Installer destroyed
// without Commit (an error, a digest mismatch) removes the temporary file; a killed process
// leaves it for the next writer to remove. Either way the previous database is untouched.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"
#include "vuln/db/lock.h"

namespace distill::vuln {

class Installer {
 public:
  static Result<std::unique_ptr<Installer>> Create(const std::string& db_path);
  ~Installer();
  Installer(const Installer&) = delete;
  Installer& operator=(const Installer&) = delete;

  Status Write(const char* data, size_t n);
  uint64_t written() const { return written_; }
  // Checks the schema version, sets the `meta` keys given (key, value), puts the file in place.
  // Returns the database's built_at (unix seconds). `what` names the source in errors.
  Result<int64_t> Commit(const std::vector<std::pair<std::string, std::string>>& meta,
                         const std::string& what);
  const std::string& temp_path() const { return tmp_; }

 private:
  Installer(std::string path, std::string tmp) : path_(std::move(path)), tmp_(std::move(tmp)) {}
  DbLock lock_;
  std::string path_, tmp_;
  int fd_ = -1;
  uint64_t written_ = 0, synced_ = 0;  // bytes written; bytes whose writeback was started
  bool committed_ = false;
};

// A `meta` value of the database at db_path, or "" when there is no database or no such key.
std::string InstalledMeta(const std::string& db_path, const std::string& key);

}  // namespace distill::vuln
