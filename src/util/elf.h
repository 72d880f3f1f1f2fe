// The one ELF reader: the headers of a 32/64-bit, little/big-endian ELF file, read through
// util/byte_view.h, so every offset and size is checked against the bytes given and a truncated
// or hostile file is an error, never a crash (fuzz/elf_fuzz.cc, fuzz/lang_fuzz.cc). It runs on
// every executable of every image, so it reads views of the bytes it is given (a mapped file, a
// layer's captured contents) and copies none but the strings it returns. Spec: the System V gABI,
// ch. 4-5 (https://refspecs.linuxfoundation.org/elf/gabi4+/contents.html).
//
// Two kinds of question, from the program headers and from the section headers:
//  - ReadLinkInfo: what the audit needs to tell whether an executable can run in the image, its
//    program interpreter (PT_INTERP) and the libraries it needs (DT_NEEDED, DT_RUNPATH/DT_RPATH);
//  - Section, FirstDataSegment, AtAddress and ProbeFile: the bytes the binary catalogers read, Go's
//    build info (.go.buildinfo, else the first data segment) and Rust's audit data (.dep-v0).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/file.h"
#include "util/result.h"

namespace distill::elf {

// True when data starts with the ELF magic and holds at least a 32-bit ELF header (52 bytes).
bool IsElf(std::string_view data);

// ---- Dynamic linking (the audit)

struct LinkInfo {
  bool is64 = false;
  uint16_t type = 0;     // ET_EXEC 2, ET_DYN 3, ...
  uint16_t machine = 0;  // EM_X86_64 62, EM_AARCH64 183, ...
  std::string interp;    // PT_INTERP, "" when static or a plain library
  std::vector<std::string> needed;
  std::vector<std::string> runpath;  // DT_RUNPATH, else DT_RPATH, split at ':'
  std::string soname;                // DT_SONAME, "" when none (a library's own name)
};

// The interpreter and the dynamic section of an ELF file held whole in `data`. At most 4096
// program headers and 65536 dynamic entries are read.
Result<LinkInfo> ReadLinkInfo(std::string_view data);

// The Debian multiarch triplet for an ELF machine ("x86_64-linux-gnu"), "" when unknown.
std::string_view MultiarchTriplet(uint16_t machine);

// ---- Sections and segments (the binary catalogers)

// The bytes of the named section, nullopt when the file has no such section (or it has no bytes
// in the file, SHT_NOBITS). An error when the headers point outside the file.
Result<std::optional<std::string_view>> Section(std::string_view data, std::string_view name);

// The file bytes of the first loadable, writable, non-executable segment (PT_LOAD with PF_W and
// without PF_X): where Go's debug/buildinfo looks when a binary has no section headers. nullopt
// when there is none; an error when the program headers point outside the file.
Result<std::optional<std::string_view>> FirstDataSegment(std::string_view data);

// The file bytes at virtual address `vaddr`: from there to the end of the PT_LOAD segment that maps
// it, at most `size` bytes (fewer when the segment's file bytes end first; Go's debug/buildinfo
// reads a pointer the same way). nullopt when no segment maps it in the file; an error when the
// program headers, or that segment, point outside the file.
Result<std::optional<std::string_view>> AtAddress(std::string_view data, uint64_t vaddr,
                                                  uint64_t size);

// The questions above asked of a file on disk with a few positional reads (the ELF header, the
// section and program header tables, the section names and one window of data) instead of
// reading or mapping it whole. An error where Section or FirstDataSegment would find the headers
// pointing outside the file, or a table is implausibly large (over 4 MiB).
struct Probe {
  bool elf = false;                   // IsElf of the file's first bytes; nothing else is set if not
  std::vector<std::string> sections;  // those of `names` the file has, with bytes in the file
  std::string data;                   // FirstDataSegment's first `window` bytes ("" if none)
};
Result<Probe> ProbeFile(const RandomAccessFile& file, std::initializer_list<std::string_view> names,
                        size_t window);

}  // namespace distill::elf
