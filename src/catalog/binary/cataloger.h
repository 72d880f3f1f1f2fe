// Executables: Go build info, Rust cargo-auditable data, else the binary classifiers.
//
// Content strategy: every regular file with an execute bit, up to kMaxBinaryBytes, plus files the
// classifiers name even without an execute bit (libpython*.so*), is analysed while the layers
// stream by (a Prescan on the ContentPlan visitor) and then dropped: memory holds the packages
// found, never the binaries. Larger executables are listed as unknowns, not read. The OS-owned
// ones are analysed too (ownership is known only after the package databases are parsed); dir:
// sources are read file by file afterwards instead.
#pragma once

#include <map>
#include <mutex>
#include <utility>

#include "catalog/cataloger.h"

namespace distill::catalog::binary {

inline constexpr uint64_t kMaxBinaryBytes = 64ull << 20;

std::vector<std::string> Globs();  // the non-executable files classifiers read
Found Catalog(const image::FileIndex& files, const Distro& distro);

// The binary cataloger split in two: Visit runs on the layer-reading threads for each file Wants
// accepts; Take keeps the results of files the final (squashed) view still has from the same layer,
// with their locations. For a dir: source (nothing streamed) Take reads the files like Catalog.
class Prescan {
 public:
  bool Wants(const image::Entry& entry) const;
  void Visit(const image::Entry& entry, std::string_view data);
  Found Take(const image::FileIndex& files, const Distro& distro);

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, int32_t>, Found> found_;  // (path, layer) -> what it held
};

}  // namespace distill::catalog::binary
