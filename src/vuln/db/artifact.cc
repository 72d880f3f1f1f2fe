#include "vuln/db/artifact.h"

#include <cstdlib>

namespace distill::vuln::db {

std::string DbRepository(std::string_view config_value) {
  if (const char* env = std::getenv("DISTILL_DB_REPOSITORY"); env && *env) return env;
  return std::string(config_value);
}

Result<PullReport> PullDatabase(std::string_view ref, const std::string& db_path, const PullOptions&) {
  (void)db_path;
  return Errorf("{}: pulling a database artifact is not implemented yet", ref);
}

}  // namespace distill::vuln::db
