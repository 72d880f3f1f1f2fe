// Helpers the language-ecosystem catalogers share: the common shape of a language package, its
// purl, and reading license fields the way package manifests write them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "catalog/cataloger.h"
#include "catalog/purl.h"

namespace distill::catalog {

// A language package: name, version, type, cataloger, purl (built from `purl`; empty when the
// purl cannot be built), one location, LanguageMetadata{ecosystem_id, integrity}.
Package NewLanguagePackage(std::string name, std::string version, std::string type,
                           std::string_view found_by, const Purl& purl, image::Location where,
                           std::string ecosystem_id = "", std::string integrity = "");

// Licenses as package.json / composer / gemspec write them: "MIT", {"type": "MIT"},
// [{"type": ...}, "..."], "(MIT OR Apache-2.0)". Anything else yields nothing.
std::vector<std::string> JsonLicenses(const nlohmann::json& value);

// True when the file view came from a dir: source (no layers): lock files are read only then.
bool IsDirSource(const image::FileIndex& files);

// The path with "." and ".." parts resolved against base (both image-relative); ".." at the root
// stays at the root.
std::string JoinImagePath(std::string_view base, std::string_view rel);

// A set of globs matched with a literal-tail prefilter: a path is tried against a glob only when
// it ends with the glob's text after its last wildcard ("/package.json", ".jar"), so the common
// case (no match) is one memcmp per glob instead of a backtracking match.
class GlobSet {
 public:
  explicit GlobSet(const std::vector<std::string>& globs);
  bool Matches(std::string_view path) const;

 private:
  struct One {
    std::string glob, tail;
  };
  std::vector<One> globs_;
};

// name/version of every [[package]] table of a TOML lock file (Cargo.lock, pdm.lock, poetry.lock);
// only `key = "string"` lines are read, the rest is skipped.
std::vector<std::pair<std::string, std::string>> TomlPackages(std::string_view text);

// The packages of each glob match, parsed by fn; unreadable or unparsable files become unknowns.
using ParseFileFn = Result<std::vector<Package>> (*)(std::string_view text,
                                                     const image::Location& where);
Found CatalogFiles(const image::FileIndex& files, const std::vector<std::string>& globs,
                   ParseFileFn fn);

// Declared dependencies (lock files, go.mod) are read for dir: sources only: CatalogFiles there,
// nothing for images.
Found CatalogDeclared(const image::FileIndex& files, const std::vector<std::string>& globs,
                      Result<std::vector<Package>> (*fn)(std::string_view text,
                                                         const image::Location& where));

// Files under every glob, deduplicated and sorted by path.
std::vector<const image::Entry*> GlobAll(const image::FileIndex& files,
                                         const std::vector<std::string>& globs);

}  // namespace distill::catalog
