// Ruby: installed gem specifications, **/specifications/**/*.gemspec (what `gem install` writes:
// Ruby source with `s.name = "x".freeze`, `s.version = "1.2"`, `s.licenses = ["MIT".freeze]`).
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::ruby {

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);
Result<Package> ParseGemspec(std::string_view text, const image::Location& where);

// Gemfile.lock (dir: sources): the "    name (version)" lines of every specs: list.
Result<std::vector<Package>> ParseGemfileLock(std::string_view text, const image::Location& where);
Found CatalogGemfileLock(const image::FileIndex& files, const Distro& distro);
std::vector<std::string> GemfileLockGlobs();

}  // namespace distill::catalog::ruby
