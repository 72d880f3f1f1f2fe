// Re-matching the stored SBOMs when the vulnerability database is replaced (Clair's "index once,
// match again"): every manifest whose SBOM the store keeps gets its vulnerability reports for the
// new database generation from that SBOM alone, without touching the registry; its SBOM reports
// are carried over; the done jobs of the digest move to the new generation, so Harbor's next
// request for it is answered at once. Idempotent (reports are inserted ON CONFLICT DO NOTHING), so
// several workers may re-match at the same time.
#pragma once

#include <string>

#include "serve/store/pg.h"
#include "util/result.h"
#include "vuln/db/database.h"

namespace distill::serve {

struct RematchStats {
  int matched = 0;    // SBOMs re-matched in this batch
  int changed = 0;    // of those, whose findings differ from the previous generation's
  bool more = false;  // the batch was full: call again
};

// Re-matches up to `batch` stored SBOMs that have no vulnerability report for `generation` yet.
Result<RematchStats> RematchBatch(PgConnection& pg, vuln::Database& db,
                                  const std::string& generation, int batch = 50);

}  // namespace distill::serve
