#include "vuln/db/sqlite.h"

namespace distill::vuln::sql {

Result<Conn> Conn::Open(const std::string& path, int flags) {
  // No memory statistics: they take a global mutex on every allocation, a few percent of an
  // import. Only possible before SQLite initializes; later it is a harmless SQLITE_MISUSE.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  Conn c;
  c.path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &c.db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e =
        c.db_ ? c.Fail("cannot open") : Errorf("{}: cannot open: {}", path, sqlite3_errstr(rc));
    return e;
  }
  sqlite3_extended_result_codes(c.db_, 1);
  return c;
}

Conn& Conn::operator=(Conn&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = other.db_;
    path_ = std::move(other.path_);
    other.db_ = nullptr;
  }
  return *this;
}

Conn::~Conn() { Close(); }

void Conn::Close() {
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Error Conn::Fail(std::string_view what) const {
  return Errorf("{}: {}: {}", path_, what, db_ ? sqlite3_errmsg(db_) : "no connection");
}

Status Conn::Exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    Error e = Errorf("{}: {}", path_, msg ? msg : "sqlite error");
    sqlite3_free(msg);
    return e;
  }
  return {};
}

Result<Stmt> Conn::Prepare(const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
    return Fail(std::string("cannot prepare \"") + sql + "\"");
  return Stmt(s);
}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(s_);
    s_ = other.s_;
    other.s_ = nullptr;
  }
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    Reset();
    return false;
  }
  sqlite3* db = sqlite3_db_handle(s_);
  const char* file = sqlite3_db_filename(db, "main");
  Error e = Errorf("{}: query failed: {}", file ? file : "", sqlite3_errmsg(db));
  Reset();
  return e;
}

Status Stmt::Run() {
  DISTILL_TRY(bool row, Step());
  if (row) Reset();
  return {};
}

}  // namespace distill::vuln::sql
