// Reading the vulnerability database: the matcher's Lookup and `distill db status`'s Info.
// Opening checks the schema version; every query is a prepared statement on an index.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "vuln/db/advisory.h"
#include "vuln/db/sqlite.h"

namespace distill::vuln {

struct SourceInfo {
  std::string kind, origin;
  int64_t imported_at = 0;
};

struct CountRow {
  std::string kind, ecosystem;  // importer kind, ecosystem key
  int64_t advisories = 0;       // distinct advisory ids
  int64_t affected = 0;         // affected rows
  // Fixed versions the apk grammar rejects (alpine, wolfi, chainguard), kept as the feed wrote
  // them: the matcher cannot compare them (secdb.h RepairApkVersion repairs the unambiguous ones).
  int64_t malformed_fixed = 0;
};

struct DbInfo {
  int schema_version = 0;
  int64_t built_at = 0;             // unix seconds
  std::vector<SourceInfo> sources;  // sorted by origin
  std::vector<CountRow> counts;     // sorted by kind, ecosystem
};

class Database {
 public:
  // Opens read-only; fails on a missing file, a non-database, or another schema version.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);

  // Every advisory that names `name` in `ecosystem`, both normalized first (ecosystem.h), so
  // "PyPI"/"Flask" and "pypi"/"flask" are the same lookup. Sorted by advisory id, then source.
  // `reference_type` non-empty keeps only the references of that type (the matcher needs only
  // "ADVISORY" ones: decoding and freeing every reference would be a large part of matching).
  Result<std::vector<Advisory>> Lookup(std::string_view ecosystem, std::string_view name,
                                       std::string_view reference_type = "");

  // Whether any affected row has this ecosystem key (normalized first): one indexed probe. The
  // matcher tells "no advisories for this package" from "no data for this ecosystem at all".
  Result<bool> HasEcosystem(std::string_view ecosystem);

  Result<DbInfo> Info();  // counts include CountRow::malformed_fixed
  // Only the build time (unix seconds, 0 if unknown): cheap, unlike Info's counts.
  Result<int64_t> BuiltAt();

 private:
  Database() = default;
  Status CountMalformedFixed(DbInfo& info);
  sql::Conn db_;
  sql::Stmt lookup_;
};

}  // namespace distill::vuln
