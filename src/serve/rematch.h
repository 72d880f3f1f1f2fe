// Re-matching the stored SBOMs when the vulnerability database is replaced (Clair's "index once,
// match again"): every manifest whose SBOM the store keeps gets its vulnerability reports for the
// new database generation from that SBOM alone, without touching the registry; its SBOM reports
// are carried over; the done jobs of the digest move to the new generation, so Harbor's next
// request for it is answered at once. Idempotent (reports are inserted ON CONFLICT DO NOTHING), so
// several workers may re-match at the same time.
#pragma once

#include <string>
#include <vector>

#include "serve/store/pg.h"
#include "util/result.h"
#include "vuln/db/database.h"

namespace distill::serve {

// A manifest whose findings differ between the previous generation's report and the new one.
struct FindingsChange {
  std::string digest, repository, tag;
  std::vector<std::string> added, removed;  // "ID PACKAGE VERSION", sorted
};

struct RematchStats {
  int matched = 0;  // SBOMs re-matched in this batch
  std::vector<FindingsChange> changed;
  bool more = false;  // the batch was full: call again
};

// The webhook's JSON for one change (doc/serve.md): {"type": "distill.findings.changed",
// "db_generation", "artifact": {repository, digest, tag}, "added": [...], "removed": [...]}.
std::string ChangeJson(const FindingsChange& change, const std::string& generation);

// Re-matches up to `batch` stored SBOMs that have no vulnerability report for `generation` yet.
Result<RematchStats> RematchBatch(PgConnection& pg, vuln::Database& db,
                                  const std::string& generation, int batch = 50);

}  // namespace distill::serve
