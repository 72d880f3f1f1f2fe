// `distill db push|pull|export` and `db import` of an export: the database copied whole, through
// a registry or a file (src/vuln/db/artifact.h, bundle.h; doc/vuln-db.md).
#pragma once

#include <string>

#include "cli/app.h"

namespace distill::cli {

int RunDbPush(const std::string& db, const std::string& ref, const Globals& globals);
int RunDbPull(const std::string& db, const std::string& ref, const Globals& globals);
int RunDbExport(const std::string& db, const std::string& file, const Globals& globals);
int RunDbImportExport(const std::string& db, const std::string& file, const Globals& globals);

}  // namespace distill::cli
