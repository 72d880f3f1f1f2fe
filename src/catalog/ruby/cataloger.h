// Ruby: installed gem specifications, **/specifications/**/*.gemspec (what `gem install` writes:
// Ruby source with `s.name = "x".freeze`, `s.version = "1.2"`, `s.licenses = ["MIT".freeze]`).
#pragma once

#include "catalog/cataloger.h"

namespace distill::catalog::ruby {

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);
Result<Package> ParseGemspec(std::string_view text, const image::Location& where);

}  // namespace distill::catalog::ruby
