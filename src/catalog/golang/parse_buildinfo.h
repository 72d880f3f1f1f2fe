// Go build information (the `.go.buildinfo` data of every binary built by Go ≥ 1.13, what
// `go version -m` prints): toolchain version, main package and module, dependencies with their
// go.sum hashes and replacements, and build settings (Go ≥ 1.18).
//
// Two layouts follow the 16-byte header "\xff Go buildinf:" + pointer size + flags (Go's
// cmd/link/internal/ld/data.go, read by debug/buildinfo):
//  * Go ≥ 1.18 (flags bit 2 set): the version and the module text inline, each a uvarint length
//    and the bytes, after the 32-byte header;
//  * Go 1.13 to 1.17: the addresses of the runtime.buildVersion and runtime.modinfo string
//    variables, of the header's pointer size and byte order (flags 0 little, 1 big endian), each
//    a {data, length} pair pointing into another segment: read through the ELF program headers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::catalog::golang {

struct Module {
  std::string path, version, sum;
  std::string replace_path, replace_version, replace_sum;  // from a "=>" line, if any
};

struct BuildInfo {
  std::string go_version;  // as the linker wrote it: "go1.19.8", "go1.22.1 X:loopvar"
  std::string path;        // main package path
  Module main;
  std::vector<Module> deps;
  std::vector<std::pair<std::string, std::string>> settings;  // "build" key=value lines
  std::string Setting(std::string_view key) const;
};

// The toolchain release of a go_version: up to the first space ("go1.22.1 X:loopvar" → "go1.22.1";
// with GOEXPERIMENT set, cmd/link appends " X:" and the experiments that differ from the default).
std::string_view ToolchainVersion(std::string_view go_version);

// Finds the build info in an executable's bytes: the .go.buildinfo ELF section, or (stripped
// section headers, other formats) the 16-byte-aligned magic "\xff Go buildinf:". Ok(nullopt-ish
// empty go_version) when the file is no Go binary.
Result<BuildInfo> ReadBuildInfo(std::string_view binary);

constexpr std::string_view kBuildInfoSection = ".go.buildinfo";
// Where ReadBuildInfo looks in an ELF file without a .go.buildinfo section: this many bytes at
// the start of the first writable data segment (Go's debug/buildinfo searches the same 64 KiB).
constexpr size_t kDataSegmentWindow = 64 << 10;
// False only when that window (elf::FirstDataSegment's first kDataSegmentWindow bytes) cannot
// hold build info: no magic in it at all, aligned or not.
bool MayHoldBuildInfo(std::string_view window);

// The text part, as runtime/debug.BuildInfo.String() writes it ("path\t...\nmod\t...").
Result<BuildInfo> ParseModInfo(std::string_view text);

}  // namespace distill::catalog::golang
