// The store's schema: versioned migrations, applied in order at start-up (doc/serve.md, "Store").
// Every process (api, worker, all) runs Migrate; an advisory lock serializes concurrent starts, and
// a database migrated by a newer distill is refused rather than misread.
#pragma once

#include <span>

#include "serve/store/pg.h"
#include "util/result.h"

namespace distill::serve {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// THE list, oldest first; versions are 1, 2, 3, ... Never edit an applied entry: add one.
std::span<const Migration> Migrations();

// Applies the migrations the database has not recorded in `schema_migrations`, each in one
// transaction with its record; returns the schema version now in place.
Result<int> Migrate(PgConnection& db);

// The advisory lock key space of the store (the first int4 of the two-key form): migrations take
// (kLockSpace, 0) for their transaction; a job's worker holds (kLockSpace, jobs.lock_key).
inline constexpr int kLockSpace = 0x64697374;  // "dist"

}  // namespace distill::serve
