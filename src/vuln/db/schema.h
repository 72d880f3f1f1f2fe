// The on-disk schema of the vulnerability database, versioned by the `schema_version` table
// (doc/vuln-db.md documents every table and column). Bump kSchemaVersion on any change a
// reader of the previous version would misread; readers refuse every other version by name.
#pragma once

#include "vuln/db/sqlite.h"

namespace distill::vuln {

inline constexpr int kSchemaVersion = 2;  // 2: refs as front-coded runs per type

// Creates the tables (not the lookup indexes: see CreateIndexes) in an empty database and
// records kSchemaVersion.
Status CreateSchema(sql::Conn& db);

// The indexes the matcher's lookups use; created after a bulk load, which is faster.
Status CreateIndexes(sql::Conn& db);

// Reads schema_version and fails unless it is kSchemaVersion, naming both versions.
Status CheckSchemaVersion(sql::Conn& db);

}  // namespace distill::vuln
