// `distill apk keygen|pack|index`: signed APK packages and indexes from your own files
// (doc/build-apk.md, "apkwrite"). The `apk` command group (cli/apk.cc) adds these beside its own.
#pragma once

#include <functional>
#include <optional>

#include <CLI/CLI.hpp>

#include "cli/app.h"

namespace distill::cli {

// Adds keygen, pack and index to the `apk` group. The returned function runs the one the command
// line chose and returns its exit code, or std::nullopt when none of them was chosen.
std::function<std::optional<int>()> AddApkPackCommands(CLI::App& apk);

}  // namespace distill::cli
