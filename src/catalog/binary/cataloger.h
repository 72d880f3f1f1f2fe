// Executables: Go build info, Rust cargo-auditable data, else the binary classifiers.
//
// Content strategy (what the image reader keeps): every regular file with an execute bit, up to
// kMaxBinaryBytes, plus files the classifiers name even without an execute bit (libpython*.so*).
// Memory is bounded by the image's executables under that size (for a Debian base ~40 MB); larger
// executables are listed as unknowns, not read. The OS-owned ones are read too: ownership is known
// only after the package databases are parsed, and the scan streams the layers once.
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::binary {

inline constexpr uint64_t kMaxBinaryBytes = 64ull << 20;

// The ContentPlan predicate: does the reader keep this entry's bytes for the binary catalogers?
bool WantsContents(const image::Entry& e);
std::vector<std::string> Globs();  // the non-executable files classifiers read
Found Catalog(const image::FileIndex& files, const Distro& distro);

}  // namespace distill::catalog::binary
