// `distill db update`: download every source (the built-in feeds and the sources config's,
// sources.h; conditional requests), import them all into a fresh database built in a temporary
// file, and swap it in atomically. A failed download or import leaves the previous database as
// it was, and its error names the source.
#pragma once

#include <string>
#include <vector>

#include "util/result.h"
#include "vuln/importers/import.h"
#include "vuln/importers/sources.h"

namespace distill::vuln::importers {

struct UpdateOptions {
  std::string db_path;
  std::string download_dir;
  bool progress = false;
  int64_t build_time = 0;
};

struct UpdateReport {
  ImportReport import;
  int fetched = 0, not_modified = 0;
};

// Builds `opts.db_path` anew from `sources`.
Result<UpdateReport> Update(const std::vector<SourceSpec>& sources, const UpdateOptions& opts);

// Imports local paths and URLs (downloaded first) into the database, keeping other origins
// unless `fresh`.
Result<ImportReport> ImportInputs(const std::vector<std::string>& inputs, const ImportOptions& opts,
                                  const UpdateOptions& where, bool fresh);

}  // namespace distill::vuln::importers
