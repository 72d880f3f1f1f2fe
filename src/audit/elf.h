// A small, bounded ELF reader: just what the audit needs to tell whether an executable can run in
// the image — its program interpreter (PT_INTERP) and the libraries it needs (DT_NEEDED, with
// DT_RUNPATH/DT_RPATH). Every offset and size is checked against the bytes given; a truncated or
// hostile file is an error, never a crash (fuzz/elf_fuzz.cc). Spec: the System V gABI, ch. 4–5.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::audit {

struct ElfInfo {
  bool is64 = false;
  uint16_t type = 0;     // ET_EXEC 2, ET_DYN 3, ...
  uint16_t machine = 0;  // EM_X86_64 62, EM_AARCH64 183, ...
  std::string interp;    // PT_INTERP, "" when static or a plain library
  std::vector<std::string> needed;
  std::vector<std::string> runpath;  // DT_RUNPATH, else DT_RPATH, split at ':'
  std::string soname;                // DT_SONAME, "" when none (a library's own name)
};

// True when data starts with the ELF magic.
bool IsElf(std::string_view data);

// Parses the headers of an ELF file held whole in `data`.
Result<ElfInfo> ParseElf(std::string_view data);

// The Debian multiarch triplet for an ELF machine ("x86_64-linux-gnu"), "" when unknown.
std::string_view MultiarchTriplet(uint16_t machine);

}  // namespace distill::audit
