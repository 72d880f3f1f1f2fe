// Test helper: runs a shell command (a real tool used as an oracle) and returns its stdout.
#pragma once

#include <string>

namespace distill::testing {

// stdout of `sh -c cmd`; *rc (if given) gets the exit status, -1 if it could not run.
std::string Shell(const std::string& cmd, int* rc = nullptr);

// What a command printed and how it ended (rc -1: it could not run or was killed).
struct Ran {
  int rc = -1;
  std::string out, err;
};
// Runs `sh -c cmd` capturing stdout and stderr (e.g. the distill binary under test, whose exit code
// and both streams the CLI tests check).
Ran Run(const std::string& cmd);

}  // namespace distill::testing
