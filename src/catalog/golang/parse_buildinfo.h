// Go build information (the `.go.buildinfo` data of every binary built by Go ≥ 1.18, what
// `go version -m` prints): toolchain version, main package and module, dependencies with their
// go.sum hashes and replacements, and build settings.
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
  std::string go_version;  // "go1.19.8"
  std::string path;        // main package path
  Module main;
  std::vector<Module> deps;
  std::vector<std::pair<std::string, std::string>> settings;  // "build" key=value lines
  std::string Setting(std::string_view key) const;
};

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
