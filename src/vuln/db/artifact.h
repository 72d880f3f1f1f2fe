// The vulnerability database as an OCI artifact (doc/vuln-db.md, "The database as an artifact"):
// `distill db push` publishes vuln.db to a registry as one zstd-compressed layer with distill's own
// artifactType; `distill db pull` (and `db update` / `scan` when a database repository is set)
// fetches it, verifies the digests and the schema version, and installs it atomically;
// `db export` / `db import` copy it by hand as one .tar.zst.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "image/registry/client.h"
#include "util/result.h"

namespace distill::vuln::db {

// Where a database comes from when it is pulled instead of built: DISTILL_DB_REPOSITORY, else the
// `db-repository:` key of the sources config (passed in by the caller), else "".
std::string DbRepository(std::string_view config_value);

struct PullOptions {
  image::registry::Options registry;
  bool progress = false;  // a progress bar on stderr
};

struct PullReport {
  std::string digest;      // of the artifact's manifest
  int schema_version = 0;
  int64_t built_at = 0;    // unix seconds, from the database
  bool unchanged = false;  // the installed database already was this artifact
};

// Fetches the database artifact `ref` (HOST[:PORT]/REPO[:TAG|@DIGEST]), checks every digest, its
// artifactType and schema version, and renames it over `db_path`. On any error `db_path` is left
// as it was.
Result<PullReport> PullDatabase(std::string_view ref, const std::string& db_path, const PullOptions& opt);

}  // namespace distill::vuln::db
