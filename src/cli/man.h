// `distill man`: the manual page distill(1), in troff's man macros, rendered from the command
// line's own description (describe.h), so it lists exactly the commands and flags the binary has.
// `cmake --install` installs it (CMakeLists.txt runs the built binary).
#pragma once

#include <string>

#include "cli/describe.h"

namespace distill::cli {

// root: the whole command line; footer: the text `distill --help` ends with (sources, exit codes).
std::string ManPage(const CommandDoc& root, std::string_view version, std::string_view footer);

}  // namespace distill::cli
