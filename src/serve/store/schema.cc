#include "serve/store/schema.h"

#include <string>

#include <fmt/format.h>

namespace distill::serve {

namespace {

constexpr Migration kMigrations[] = {
    {1, "jobs, scan requests, SBOMs and reports", R"sql(
-- One row per unit of work: a manifest digest to pull, catalog and match. Requeued (not copied)
-- when its worker is lost; `attempt` fences completions.
CREATE TABLE jobs (
  id text PRIMARY KEY,
  lock_key integer GENERATED ALWAYS AS IDENTITY (MAXVALUE 2147483647 CYCLE) NOT NULL,
  manifest_digest text NOT NULL,
  repository text NOT NULL,
  registry_url text NOT NULL,
  tag text NOT NULL DEFAULT '',
  mime_type text NOT NULL DEFAULT '',
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempt integer NOT NULL DEFAULT 0,
  worker text,
  error text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at timestamptz,
  finished_at timestamptz,
  lease_until timestamptz,
  -- the registry credential, sealed (AES-256-GCM) when the store has a key; NULL once the job ends
  credential bytea,
  db_generation text NOT NULL DEFAULT ''
);
-- Duplicate requests for a digest coalesce onto the one queued or running job.
CREATE UNIQUE INDEX jobs_active_digest ON jobs (manifest_digest) WHERE state IN ('queued', 'running');
-- Claim order and queue positions.
CREATE INDEX jobs_queued ON jobs (created_at, lock_key) WHERE state = 'queued';
CREATE INDEX jobs_running ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_done ON jobs (manifest_digest, db_generation) WHERE state = 'done';

-- What Harbor holds: one id per POST /scan, mapped to the job doing the work.
CREATE TABLE scan_requests (
  id text PRIMARY KEY,
  job_id text NOT NULL REFERENCES jobs (id),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The SBOM of a manifest (distill-json), kept so new advisories are matched without a pull.
CREATE TABLE sboms (
  manifest_digest text PRIMARY KEY,
  sbom bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Rendered reports, stored once per (digest, kind, vulnerability database generation).
CREATE TABLE reports (
  manifest_digest text NOT NULL,
  kind text NOT NULL,
  db_generation text NOT NULL,
  body bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (manifest_digest, kind, db_generation)
);
)sql"},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

Result<int> Migrate(PgConnection& db) {
  DISTILL_TRY_VOID(db.ExecScript("schema: begin", "BEGIN"));
  auto applied = [&]() -> Result<int> {
    DISTILL_TRY_VOID(db.Exec("schema: lock", "SELECT pg_advisory_xact_lock($1, 0)",
                             {PgText(std::to_string(kLockSpace))}));
    DISTILL_TRY_VOID(db.ExecScript("schema: create schema_migrations",
                                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   "version integer PRIMARY KEY, name text NOT NULL, "
                                   "applied_at timestamptz NOT NULL DEFAULT now())"));
    DISTILL_TRY(PgRows v, db.Exec("schema: read version",
                                  "SELECT coalesce(max(version), 0) FROM schema_migrations"));
    int current = std::stoi(v.rows.at(0).at(0).value());
    int newest = kMigrations[std::size(kMigrations) - 1].version;
    if (current > newest) {
      return Errorf("database schema version {} is newer than this distill's ({}): upgrade distill",
                    current, newest);
    }
    for (const Migration& m : kMigrations) {
      if (m.version <= current) continue;
      std::string step = fmt::format("schema: migration {} ({})", m.version, m.name);
      DISTILL_TRY_VOID(db.ExecScript(step, m.sql));
      DISTILL_TRY_VOID(db.Exec(step,
                               "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                               {PgText(std::to_string(m.version)), PgText(m.name)}));
      current = m.version;
    }
    return current;
  }();
  if (!applied.ok()) {
    (void)db.ExecScript("schema: rollback", "ROLLBACK");
    return applied;
  }
  DISTILL_TRY_VOID(db.ExecScript("schema: commit", "COMMIT"));
  return applied;
}

}  // namespace distill::serve
