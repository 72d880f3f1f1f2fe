// ISA-L's inflate, loaded on first use with dlopen, like libcurl (util/libcurl.h). Only gzip'd
// image layers need it; mapping and relocating libisal.so at start-up would cost every run RSS,
// `sbom dir:` and `scan sbom:` included. Debian ships no static libisal.
#pragma once

#include <isa-l/igzip_lib.h>

#include "util/result.h"

namespace distill {

struct IsalApi {
  void (*inflate_init)(inflate_state*) = nullptr;
  int (*inflate)(inflate_state*) = nullptr;
};

// Loads libisal once (thread-safe); the error says what is missing.
Result<const IsalApi*> LoadIsal();

}  // namespace distill
