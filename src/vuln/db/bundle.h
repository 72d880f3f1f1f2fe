// `distill db export FILE` / `distill db import FILE`: a database copied by hand (a USB stick into
// an air-gapped site) as one .tar.zst holding two entries, in this order:
//   manifest.json  {"mediaType": "application/vnd.distill.vuln-db.export.v1+json",
//                   "schemaVersion": 2, "builtAt": "2026-01-31T12:00:00Z",
//                   "sourcesDigest": "sha256:…", "size": N, "digest": "sha256:…" (of vuln.db)}
//   vuln.db        the database file
// The tar is written with fixed owners, modes and times (built_at), and compressed as a pushed
// layer is (compress.h), so exporting the same database twice gives the same bytes. Import checks
// the manifest's schema version before the database arrives, then its size and digest, and installs
// it atomically under the writer lock (install.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"
#include "vuln/db/artifact.h"

namespace distill::vuln::db {

inline constexpr std::string_view kExportMediaType =
    "application/vnd.distill.vuln-db.export.v1+json";

struct BundleManifest {
  int schema_version = 0;
  std::string built_at;  // RFC 3339, as written
  std::string sources_digest;
  uint64_t size = 0;
  std::string digest;  // sha256 of vuln.db
};

std::string RenderBundleManifest(const BundleManifest& manifest);
// Parses and checks manifest.json: our media type, this distill's schema version, a sha256 digest.
Result<BundleManifest> ParseBundleManifest(std::string_view bytes, std::string_view where);

// True when `path` is a regular file starting with zstd's magic: an export, not an advisory feed
// (none of which `db import` reads zstd-compressed).
bool IsDatabaseExport(const std::string& path);

// Writes the database at db_path to `file` (temporary file + rename).
Result<BundleManifest> ExportDatabase(const std::string& db_path, const std::string& file);

struct BundleImport {
  BundleManifest manifest;
  int64_t built_at = 0;
};
// Verifies the export at `file` and installs its database as db_path.
Result<BundleImport> ImportDatabase(const std::string& file, const std::string& db_path);

}  // namespace distill::vuln::db
