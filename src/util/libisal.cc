#include "util/libisal.h"

#include <mutex>

#include "util/dl.h"

namespace distill {

Result<const IsalApi*> LoadIsal() {
  static IsalApi api;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    const DlSymbol syms[] = {
        {"isal_inflate_init", reinterpret_cast<void**>(&api.inflate_init)},
        {"isal_inflate", reinterpret_cast<void**>(&api.inflate)},
    };
    error = LoadLibrarySymbols(DISTILL_ISAL_SONAME, "libisal2", syms);
  });
  if (!error.empty()) return InternalErrorf("{}", error);
  return &api;
}

}  // namespace distill
