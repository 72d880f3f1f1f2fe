#include "util/libsimdjson.h"

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "util/dl.h"

namespace distill {

namespace {

using GetActive = simdjson::internal::atomic_ptr<const simdjson::implementation>& (*)();

struct Loaded {
  GetActive get_active = nullptr;
  std::string error;
};

const Loaded& Load() {
  static Loaded loaded;
  static std::once_flag once;
  std::call_once(once, [] {
    const DlSymbol syms[] = {
        {"_ZN8simdjson25get_active_implementationEv", reinterpret_cast<void**>(&loaded.get_active)},
    };
    loaded.error = LoadLibrarySymbols(DISTILL_SIMDJSON_SONAME, "libsimdjson", syms);
    if (!loaded.error.empty()) loaded.get_active = nullptr;
  });
  return loaded;
}

}  // namespace

Status LoadSimdjson() {
  const Loaded& l = Load();
  if (!l.error.empty()) return InternalErrorf("{}", l.error);
  return {};
}

}  // namespace distill

// The one out-of-line simdjson function distill calls (through dom::parser::allocate).
simdjson::internal::atomic_ptr<const simdjson::implementation>&
simdjson::get_active_implementation() {
  const distill::Loaded& l = distill::Load();
  if (!l.get_active) {
    // Only reachable when an entry point forgot LoadSimdjson(): say why rather than crash.
    std::fprintf(stderr, "distill: %s\n", l.error.c_str());
    std::abort();
  }
  return l.get_active();
}
