// The vulnerability database as an OCI artifact (doc/vuln-db.md, "The database as an artifact"):
// `distill db push` publishes vuln.db to a registry as one zstd-compressed layer with distill's own
// artifactType; `distill db pull` (and `db update` / `scan` when a database repository is set)
// fetches it, verifies the digests and the schema version, and installs it atomically;
// `db export` / `db import` copy it by hand as one .tar.zst (bundle.h).
//
// The manifest (OCI image-spec 1.1, "Guidelines for Artifact Usage": an artifact without config):
//   mediaType     application/vnd.oci.image.manifest.v1+json
//   artifactType  application/vnd.distill.vuln-db
//   config        application/vnd.oci.empty.v1+json, the 2-byte blob "{}"
//   layers        [ application/vnd.distill.vuln-db.v<schema>.sqlite+zstd: vuln.db, zstd ]
//   annotations   org.opencontainers.image.created, dev.distill.db.schema-version,
//                 dev.distill.db.built-at, dev.distill.db.sources-digest, dev.distill.db.size
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "image/registry/client.h"
#include "util/result.h"

namespace distill::vuln::db {

inline constexpr std::string_view kArtifactType = "application/vnd.distill.vuln-db";
inline constexpr std::string_view kEmptyConfigType = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view kEmptyConfigDigest =
    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";  // of "{}"
inline constexpr std::string_view kAnnotationSchema = "dev.distill.db.schema-version";
inline constexpr std::string_view kAnnotationBuiltAt = "dev.distill.db.built-at";
inline constexpr std::string_view kAnnotationSources = "dev.distill.db.sources-digest";
inline constexpr std::string_view kAnnotationSize = "dev.distill.db.size";
// Where a pulled database records its origin (meta table); a writer that builds on it drops them.
inline constexpr std::string_view kMetaArtifactRef = "artifact.ref";
inline constexpr std::string_view kMetaArtifactDigest = "artifact.digest";
inline constexpr std::string_view kMetaArtifactLayer = "artifact.layer";

// "application/vnd.distill.vuln-db.v2.sqlite+zstd" for schema 2.
std::string LayerMediaType(int schema_version);

// What the annotations say about a database; the same fields go into an export's manifest.json.
struct DbDescription {
  int schema_version = 0;
  int64_t built_at = 0;        // unix seconds
  std::string sources_digest;  // SourcesDigest
  uint64_t size = 0;           // bytes of vuln.db
};

// Reads a database's schema version (refusing any but this distill's), build time and sources.
Result<DbDescription> DescribeDatabase(const std::string& db_path);
// sha256 of the `sources` table rendered canonically: "kind\torigin\n" per row, sorted by origin
// then kind (imported_at left out: the same source list imported again has the same digest).
Result<std::string> SourcesDigest(const std::string& db_path);

// The artifact manifest for a database layer (compressed digest and size). Deterministic: the
// same database compressed the same way gives the same manifest digest.
std::string BuildArtifactManifest(const DbDescription& description, const std::string& layer_digest,
                                  uint64_t layer_size);

struct ArtifactManifest {
  std::string layer_digest;
  int64_t layer_size = -1;
  int layer_schema = 0;     // the version in the layer's media type
  DbDescription described;  // from the annotations (0 / "" for those absent)
};
// Parses and checks an artifact manifest: an OCI image manifest whose artifactType is ours and
// whose one layer has our media type. Errors say what it is instead (an image, another artifact,
// a newer schema) and start with `where`.
Result<ArtifactManifest> ParseArtifactManifest(std::string_view bytes, std::string_view where);

// Fails unless `version` is this distill's schema version, naming both and what to do.
Status CheckArtifactSchema(int version, std::string_view where);

// Where a database comes from when it is pulled instead of built: DISTILL_DB_REPOSITORY, else the
// `db-repository:` key of the sources config (passed in by the caller), else "".
std::string DbRepository(std::string_view config_value);

struct PushOptions {
  image::registry::Options registry;
  int level = 0;  // zstd level; 0: kDbZstdLevel
};

struct PushReport {
  std::string digest;  // of the manifest
  std::string layer_digest;
  uint64_t db_size = 0, layer_size = 0;
};

// Publishes the database at db_path as `ref` (HOST[:PORT]/REPO[:TAG], tag "latest" when omitted).
Result<PushReport> PushDatabase(const std::string& db_path, std::string_view ref,
                                const PushOptions& opt);

struct PullOptions {
  image::registry::Options registry;
  bool progress = false;  // a progress bar on stderr
};

struct PullReport {
  std::string digest;  // of the artifact's manifest
  int schema_version = 0;
  int64_t built_at = 0;    // unix seconds, from the database
  bool unchanged = false;  // the installed database already was this artifact
};

// Fetches the database artifact `ref` (HOST[:PORT]/REPO[:TAG|@DIGEST]), checks every digest, its
// artifactType and schema version, and renames it over `db_path`. On any error `db_path` is left
// as it was.
Result<PullReport> PullDatabase(std::string_view ref, const std::string& db_path,
                                const PullOptions& opt);

}  // namespace distill::vuln::db
