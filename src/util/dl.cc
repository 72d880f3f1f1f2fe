#include "util/dl.h"

#include <dlfcn.h>

#include <fmt/format.h>

namespace distill {

std::string LoadLibrarySymbols(const char* soname, std::string_view package,
                               std::span<const DlSymbol> symbols) {
  void* h = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = ::dlerror();
    return fmt::format("cannot load {} ({}); install Debian's {} package", soname,
                       e ? e : "not found", package);
  }
  for (const DlSymbol& s : symbols) {
    *s.slot = ::dlsym(h, s.name);
    if (!*s.slot) return fmt::format("{} has no symbol {}", soname, s.name);
  }
  return "";
}

}  // namespace distill
