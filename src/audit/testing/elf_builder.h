// Test helper: a minimal, valid 64-bit little-endian x86-64 ELF executable built from text-like
// parameters (interpreter, needed libraries, runpath), as bloaty's yaml2obj makes binaries from text.
#pragma once

#include <string>
#include <vector>

namespace distill::audit::testing {

std::string MakeElf(const std::string& interp, const std::vector<std::string>& needed, const std::string& runpath = "");

}  // namespace distill::audit::testing
