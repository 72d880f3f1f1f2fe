// Bringing the vulnerability database up to date, for `distill db update` and `scan`'s first run:
// pulled from the database repository when one is set (DISTILL_DB_REPOSITORY, else the sources
// config's `db-repository:`; vuln/db/artifact.h), else built from the effective sources (the
// built-in public feeds plus the config's; vuln/importers/sources.h). Either way the previous
// database stays in place until the new one is complete.
#pragma once

#include <string>

#include "cli/app.h"
#include "util/result.h"
#include "vuln/db/artifact.h"
#include "vuln/importers/sources.h"
#include "vuln/importers/update.h"

namespace distill::cli {

struct DbSetup {
  std::string config_path;  // the sources config that was read, "" if there was none
  vuln::importers::SourcesConfig config;
  std::string repository;  // where to pull the database from; "" = build it from the sources
};

// Reads the sources config: `flag` (--sources) names a file that must exist; without it the
// default path ($XDG_CONFIG_HOME/distill/vuln-sources.yaml) is read when it exists.
Result<DbSetup> LoadDbSetup(const std::string& flag);

struct DbUpdated {
  bool pulled = false;
  vuln::db::PullReport pull;                        // when pulled
  size_t sources = 0;                               // when built: how many
  vuln::importers::UpdateReport build;              // when built
  std::string Summary(const DbSetup& setup) const;  // one line: what was pulled, or built from what
};

// Pulls or builds `db_path`; on any error `db_path` is left as it was, and the error names the
// repository or the source that failed. A caller about to build should first call
// heap::ReexecWithHugePageArenas() (before printing anything: the process starts over once): an
// import allocates and frees large buffers on every core (doc/vuln-db.md, "Memory").
Result<DbUpdated> UpdateDatabase(const DbSetup& setup, const std::string& db_path, bool progress,
                                 const Globals& globals);

}  // namespace distill::cli
