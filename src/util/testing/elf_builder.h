// Tests only: small, valid ELF files built from text-like parameters (as bloaty's yaml2obj makes
// binaries from text), for util/elf and the audit and binary catalogers that read through it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace distill::elf::testing {

// Writes the n low bytes of v little-endian at s[off..off+n), which must exist.
void PutLE(std::string* s, size_t off, uint64_t v, int n);

// A 64-bit little-endian x86-64 executable with a PT_LOAD segment mapping the whole file, and a
// PT_INTERP and a dynamic section (DT_NEEDED, DT_STRTAB, DT_RUNPATH) for what is not empty.
std::string MakeElf(const std::string& interp, const std::vector<std::string>& needed,
                    const std::string& runpath = "");

// A little-endian ELF64 file holding the given sections (name, bytes), with a section name table
// and no program headers.
std::string MakeElf64(const std::vector<std::pair<std::string, std::string>>& sections);

// Where MakeSectionlessElf64 maps its file: virtual address = kSegmentBase + file offset (the
// text segment's bytes start at file offset kTextOffset, the data segment's at the next multiple
// of 16 after them).
constexpr uint64_t kSegmentBase = 0x400000;
constexpr size_t kTextOffset = 64 + 2 * 56;

// An ELF64 with no section headers (as after sstrip) and two PT_LOAD segments, text (R+X) and
// data (R+W), each at a 16-aligned offset.
std::string MakeSectionlessElf64(const std::string& text, const std::string& data);

}  // namespace distill::elf::testing
