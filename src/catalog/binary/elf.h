// A bounded ELF section reader: the section headers of a 32/64-bit, little/big-endian ELF file
// held in memory, every offset checked against the buffer; and its loadable segments, to read what
// a virtual address points at. Used by the Go (.go.buildinfo) and Rust (.dep-v0) binary catalogers.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/file.h"
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

// The file bytes at virtual address `vaddr`: from there to the end of the PT_LOAD segment that maps
// it, at most `size` bytes (fewer when the segment's file bytes end first; Go's debug/buildinfo reads
// a pointer the same way). nullopt when no segment maps it in the file; an error when the program
// headers, or that segment, point outside the file.
Result<std::optional<std::string_view>> AtAddress(std::string_view data, uint64_t vaddr, uint64_t size);

// The questions above asked of a file on disk with a few positional reads (the ELF header, the
// section and program header tables, the section names and one window of data) instead of
// reading or mapping it whole. An error where Section or FirstDataSegment would find the headers
// pointing outside the file, or a table is implausibly large (over 4 MiB).
struct Probe {
  bool elf = false;                    // IsElf of the file's first bytes; nothing else is set if not
  std::vector<std::string> sections;   // those of `names` the file has, with bytes in the file
  std::string data;                    // FirstDataSegment's first `window` bytes ("" if none)
};
Result<Probe> ProbeFile(const RandomAccessFile& file, std::initializer_list<std::string_view> names, size_t window);

}  // namespace distill::catalog::elf
