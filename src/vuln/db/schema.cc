#include "vuln/db/schema.h"

namespace distill::vuln {

namespace {

constexpr const char* kTables = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  origin      TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  UNIQUE (origin, kind)
);
CREATE TABLE advisories (
  id          INTEGER PRIMARY KEY,
  source      INTEGER NOT NULL REFERENCES sources(id),
  advisory_id TEXT NOT NULL,
  aliases     TEXT NOT NULL DEFAULT '[]',
  severities  TEXT NOT NULL DEFAULT '[]',
  summary     TEXT NOT NULL DEFAULT '',
  refs        TEXT NOT NULL DEFAULT '[]',
  published   TEXT NOT NULL DEFAULT '',
  modified    TEXT NOT NULL DEFAULT ''
);
CREATE TABLE affected (
  advisory       INTEGER NOT NULL REFERENCES advisories(id),
  ecosystem      TEXT NOT NULL,
  package        TEXT NOT NULL,
  state          TEXT NOT NULL  -- (ORs, not IN: SQLite builds a table per statement for an IN list)
                 CHECK (state = 'fixed' OR state = 'not-fixed' OR state = 'wont-fix' OR state = 'not-affected'),
  state_note     TEXT NOT NULL DEFAULT '',
  fixed_versions TEXT NOT NULL DEFAULT '[]',
  ranges         TEXT NOT NULL DEFAULT '[]',
  versions       TEXT NOT NULL DEFAULT '[]'
);
)sql";

constexpr const char* kIndexes = R"sql(
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (ecosystem, package);
)sql";

}  // namespace

Status CreateSchema(sql::Conn& db) {
  DISTILL_TRY_VOID(db.Exec(kTables));
  DISTILL_TRY(auto st, db.Prepare("INSERT INTO schema_version (version) VALUES (?1)"));
  return st.Bind(1, int64_t{kSchemaVersion}).Run();
}

Status CreateIndexes(sql::Conn& db) { return db.Exec(kIndexes); }

Status CheckSchemaVersion(sql::Conn& db) {
  auto st = db.Prepare("SELECT version FROM schema_version");
  if (!st.ok())
    return Errorf("{}: not a distill vulnerability database (no schema_version table)", db.path());
  DISTILL_TRY(bool row, st->Step());
  if (!row) return Errorf("{}: schema_version table is empty", db.path());
  int64_t v = st->Int(0);
  if (v > kSchemaVersion)
    return Errorf(
        "{}: database schema version {} is newer than this distill supports ({}); "
        "update distill or rebuild the database with `distill db update`",
        db.path(), v, kSchemaVersion);
  if (v < kSchemaVersion)
    return Errorf(
        "{}: database schema version {} is older than this distill supports ({}); "
        "rebuild it with `distill db update`",
        db.path(), v, kSchemaVersion);
  return {};
}

}  // namespace distill::vuln
