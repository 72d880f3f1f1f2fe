// `distill apk`: APK packages and repositories (doc/build-apk.md). A minimal group on this branch:
// the reader's `apk verify` joins it at merge.
#include "cli/apk_pack.h"

namespace distill::cli {

RunFn SetupApk(CLI::App& sub, const Globals& g) {
  sub.require_subcommand(1);
  auto pack = AddApkPackCommands(sub);
  return [pack] { return pack().value_or(kExitBadInput); };
}

}  // namespace distill::cli
