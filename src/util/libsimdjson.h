// libsimdjson, loaded on first use with dlopen, like libcurl (util/libcurl.h). Debian ships it
// only as a shared library, and that library needs the shared libstdc++: linking it would load and
// relocate libstdc++.so in every run (RSS: doc/design.md, "Footprint") although only the advisory
// importers and the database's column decoder parse JSON with it. Everything distill calls in
// simdjson is inline in simdjson.h except one function, simdjson::get_active_implementation();
// this module defines it and forwards to the library's own. The release binary links libstdc++
// statically.
#pragma once

#include "util/result.h"

namespace distill {

// Loads libsimdjson once (thread-safe); the error says what is missing. Entry points that parse
// with simdjson call this first, so a missing library is an error, not an abort.
Status LoadSimdjson();

}  // namespace distill
