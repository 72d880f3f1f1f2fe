// `distill completion bash|zsh|fish`: completion scripts rendered from the command line's own
// description (describe.h): commands, nested commands (`db import`), each level's flags with their
// help, and files where a value or an image path goes.
#pragma once

#include <string>

#include "cli/describe.h"
#include "util/result.h"

namespace distill::cli {

// The script for `shell` ("bash", "zsh", "fish"); an error naming the shells otherwise.
Result<std::string> CompletionScript(const CommandDoc& root, std::string_view shell);

}  // namespace distill::cli
