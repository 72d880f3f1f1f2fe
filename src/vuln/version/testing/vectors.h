// Test helpers for src/vuln/version: the upstream vector files (tests/fixtures/version-vectors,
// see its MANIFEST.md) and a batch runner for the real oracles (dpkg, python3, node).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace distill::vuln::version::testing {

// Rows of a TSV file, header skipped, each split on tabs (trailing empty columns kept).
std::vector<std::vector<std::string>> ReadTsv(const std::string& name);
std::vector<std::string> ReadLines(const std::string& name);
// Decodes a JSON string literal ("\t", "\u202f", ...) into UTF-8.
std::string JsonString(const std::string& literal);

// Runs `command` with `input` on stdin (via a temp file); returns stdout lines. Empty on failure.
std::vector<std::string> RunOracle(const std::string& command, const std::string& input);
bool HaveCommand(const std::string& probe);  // `probe` exits 0

// Every distinct "Version:" of the host's apt Packages indexes, sorted.
std::vector<std::string> AptVersions();

// Deterministic pseudo-random numbers (splitmix64).
struct Rng {
  uint64_t state;
  uint64_t Next();
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
};

}  // namespace distill::vuln::version::testing
