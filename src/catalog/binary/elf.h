// A bounded ELF section reader: the section headers of a 32/64-bit, little/big-endian ELF file
// held in memory, every offset checked against the buffer. Used by the Go (.go.buildinfo) and
// Rust (.dep-v0) binary catalogers.
#pragma once

#include <optional>
#include <string_view>

#include "util/result.h"

namespace distill::catalog::elf {

bool IsElf(std::string_view data);

// The bytes of the named section, nullopt when the file has no such section (or it has no bytes
// in the file, SHT_NOBITS). An error when the headers point outside the file.
Result<std::optional<std::string_view>> Section(std::string_view data, std::string_view name);

// The file bytes of the first loadable, writable, non-executable segment (PT_LOAD with PF_W and
// without PF_X): where Go's debug/buildinfo looks when a binary has no section headers. nullopt when
// there is none; an error when the program headers point outside the file.
Result<std::optional<std::string_view>> FirstDataSegment(std::string_view data);

}  // namespace distill::catalog::elf
