// Test helper: runs a shell command (a real tool used as an oracle) and returns its stdout.
#pragma once

#include <string>

namespace distill::testing {

// stdout of `sh -c cmd`; *rc (if given) gets the exit status, -1 if it could not run.
std::string Shell(const std::string& cmd, int* rc = nullptr);

}  // namespace distill::testing
