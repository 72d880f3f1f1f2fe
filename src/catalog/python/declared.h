// Declared Python dependencies (dir: sources only, as syft's python-package-cataloger):
// requirements*.txt pins, Pipfile.lock, poetry.lock, uv.lock and pdm.lock. Each parser is a plain
// function over the file's text; DeclaredGlobs/CatalogDeclaredFiles pick the parser by file name.
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::python {

// The found-by name of every declared package (syft's cataloger of the same files).
inline constexpr std::string_view kDeclaredCataloger = "python-package-cataloger";

// requirements.txt (https://pip.pypa.io/en/stable/reference/requirements-file-format/): only
// pinned lines ("name == 1.2", "name===1.2") give packages; comments, options (-r, -e, --hash),
// extras, environment markers and "@ url" parts are dropped; wildcard pins ("== 2.8.*") and
// unpinned requirements are skipped. Continuation lines (trailing "\") are joined.
Result<std::vector<Package>> ParseRequirements(std::string_view text, const image::Location& where);

// Pipfile.lock (JSON): every entry of "default" and "develop", version without its "==".
Result<std::vector<Package>> ParsePipfileLock(std::string_view text, const image::Location& where);

// poetry.lock and uv.lock (TOML): every [[package]] with a name and a version; uv's own project
// (source = { editable/virtual = ... }) is the project being scanned, not a dependency.
Result<std::vector<Package>> ParsePoetryLock(std::string_view text, const image::Location& where);
Result<std::vector<Package>> ParseUvLock(std::string_view text, const image::Location& where);

std::vector<std::string> DeclaredGlobs();
Found CatalogDeclaredFiles(const image::FileIndex& files, const Distro& distro);

}  // namespace distill::catalog::python
