// The setup functions of every command; each lives in its own file (cli/<name>.cc).
#pragma once

#include "cli/app.h"

namespace distill::cli {

RunFn SetupInspect(CLI::App& sub, const Globals& g);
RunFn SetupLs(CLI::App& sub, const Globals& g);
RunFn SetupSbom(CLI::App& sub, const Globals& g);
RunFn SetupDb(CLI::App& sub, const Globals& g);
RunFn SetupScan(CLI::App& sub, const Globals& g);
RunFn SetupAudit(CLI::App& sub, const Globals& g);
RunFn SetupCompare(CLI::App& sub, const Globals& g);
RunFn SetupPush(CLI::App& sub, const Globals& g);
RunFn SetupLogin(CLI::App& sub, const Globals& g);
RunFn SetupLogout(CLI::App& sub, const Globals& g);
RunFn SetupBuild(CLI::App& sub, const Globals& g);
RunFn SetupApk(CLI::App& sub, const Globals& g);
RunFn SetupCompletion(CLI::App& sub, const Globals& g);
RunFn SetupMan(CLI::App& sub, const Globals& g);

}  // namespace distill::cli
