// Loading a shared library on first use (dlopen) and resolving the symbols distill calls:
// util/libcurl, util/libisal and util/libsimdjson keep their libraries off the start-up path.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace distill {

struct DlSymbol {
  const char* name;
  void** slot;  // filled with the symbol's address
};

// Opens `soname` (RTLD_NOW | RTLD_LOCAL) and fills every slot. Returns "" on success, else what is
// missing, naming the Debian package that provides the library.
std::string LoadLibrarySymbols(const char* soname, std::string_view package,
                               std::span<const DlSymbol> symbols);

}  // namespace distill
