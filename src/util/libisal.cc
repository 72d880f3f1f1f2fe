#include "util/libisal.h"

#include <dlfcn.h>

#include <mutex>

namespace distill {

Result<const IsalApi*> LoadIsal() {
  static IsalApi api;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    void* h = ::dlopen(DISTILL_ISAL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* e = ::dlerror();
      error = fmt::format("cannot load {} ({}); install Debian's libisal2 package", DISTILL_ISAL_SONAME,
                          e ? e : "not found");
      return;
    }
    api.inflate_init = reinterpret_cast<void (*)(inflate_state*)>(::dlsym(h, "isal_inflate_init"));
    api.inflate = reinterpret_cast<int (*)(inflate_state*)>(::dlsym(h, "isal_inflate"));
    if (!api.inflate_init || !api.inflate) error = fmt::format("{} has no isal_inflate", DISTILL_ISAL_SONAME);
  });
  if (!error.empty()) return InternalErrorf("{}", error);
  return &api;
}

}  // namespace distill
