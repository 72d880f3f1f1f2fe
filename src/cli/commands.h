// The setup functions of every command; each lives in its own file (cli/<name>.cc).
#pragma once

#include "cli/app.h"

namespace distill::cli {

RunFn SetupInspect(CLI::App& sub, const Globals& globals);
RunFn SetupLs(CLI::App& sub, const Globals& globals);
RunFn SetupSbom(CLI::App& sub, const Globals& globals);
RunFn SetupDb(CLI::App& sub, const Globals& globals);
RunFn SetupScan(CLI::App& sub, const Globals& globals);
RunFn SetupAudit(CLI::App& sub, const Globals& globals);
RunFn SetupCompare(CLI::App& sub, const Globals& globals);
RunFn SetupPush(CLI::App& sub, const Globals& globals);
RunFn SetupLogin(CLI::App& sub, const Globals& globals);
RunFn SetupLogout(CLI::App& sub, const Globals& globals);
RunFn SetupBuild(CLI::App& sub, const Globals& globals);
RunFn SetupApk(CLI::App& sub, const Globals& globals);
RunFn SetupServe(CLI::App& sub, const Globals& globals);
RunFn SetupCompletion(CLI::App& sub, const Globals& globals);
RunFn SetupMan(CLI::App& sub, const Globals& globals);

}  // namespace distill::cli
