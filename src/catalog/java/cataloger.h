// Java archives (jar, war, ear, jpi, hpi, par, sar, nar, kar, lpkg, rar) and the archives nested
// inside them (WEB-INF/lib/*.jar, BOOT-INF/lib/*.jar, ...), read with libarchive from memory:
// Maven coordinates from pom.properties, else pom.xml, else MANIFEST.MF, and the file name only
// as the last resort. Nesting is bounded (kMaxDepth levels, kMaxNestedBytes per nested archive,
// kMaxTotalBytes inflated per top-level archive).
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::java {

inline constexpr int kMaxDepth = 4;
inline constexpr uint64_t kMaxNestedBytes = 64ull << 20;
inline constexpr uint64_t kMaxTotalBytes = 512ull << 20;

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);

// The packages of one archive's bytes; `name` is its path (for nested:
// "outer.war:WEB-INF/lib/x.jar").
Found PackagesOfArchive(std::string_view bytes, std::string_view name,
                        const image::Location& where);

}  // namespace distill::catalog::java
