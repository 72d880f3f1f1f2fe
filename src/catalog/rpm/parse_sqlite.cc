// rpm >= 4.16's sqlite backend: var/lib/rpm/rpmdb.sqlite, table Packages(hnum INTEGER PRIMARY
// KEY, blob BLOB). Opened read-only from memory (sqlite3_deserialize): no temporary files.
#include <sqlite3.h>

#include <memory>

#include "catalog/rpm/parse_db.h"

namespace distill::catalog::rpm {

Result<Blobs> ReadSqlite(std::string_view file) {
  if (!file.starts_with(std::string_view("SQLite format 3\0", 16)))
    return Errorf("not an SQLite database");
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    return InternalErrorf("sqlite: cannot open an in-memory database");
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  // sqlite3_deserialize wants a mutable buffer it may not free: hand it a copy we own.
  std::string copy(file);
  // rpm keeps its database in WAL mode (header bytes 18-19 = 2), which an in-memory database
  // cannot open; as a read-only snapshot it is the same file in rollback-journal mode (1).
  // Pages still in an uncheckpointed rpmdb.sqlite-wal are not seen (rpm checkpoints on close).
  if (copy.size() >= 20 && copy[18] == 2 && copy[19] == 2) copy[18] = copy[19] = 1;
  int rc =
      sqlite3_deserialize(db.get(), "main", reinterpret_cast<unsigned char*>(copy.data()),
                          static_cast<sqlite3_int64>(copy.size()),
                          static_cast<sqlite3_int64>(copy.size()), SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK) return Errorf("sqlite: {}", sqlite3_errmsg(db.get()));
  sqlite3_stmt* stmt_raw = nullptr;
  if (sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &stmt_raw,
                         nullptr) != SQLITE_OK)
    return Errorf("sqlite: {}", sqlite3_errmsg(db.get()));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(stmt_raw, sqlite3_finalize);
  Blobs out;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const void* p = sqlite3_column_blob(stmt.get(), 1);
    int n = sqlite3_column_bytes(stmt.get(), 1);
    if (!p || n <= 0) {
      out.errors.push_back(
          Errorf("Packages row hnum={}: empty blob", sqlite3_column_int64(stmt.get(), 0)));
      continue;
    }
    out.blobs.emplace_back(static_cast<const char*>(p), static_cast<size_t>(n));
  }
  if (rc != SQLITE_DONE) out.errors.push_back(Errorf("sqlite: {}", sqlite3_errmsg(db.get())));
  return out;
}

}  // namespace distill::catalog::rpm
