// Fuzzes the purl parser: never crash, and whatever parses strictly prints a canonical form that
// parses back to the same components and the same string (the canonical form is a fixed point).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "catalog/purl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  for (bool lenient : {false, true}) {
    auto p =
        lenient ? distill::catalog::ParsePurlLenient(input) : distill::catalog::ParsePurl(input);
    if (!p.ok()) continue;
    for (const auto& [key, value] : p->qualifiers)
      if (key == "distro") (void)distill::catalog::DistroFromQualifier(value, p->namespace_);
    std::string canonical = p->ToString();
    auto again = distill::catalog::ParsePurl(canonical);
    if (!again.ok() || !(*again == *p) || again->ToString() != canonical) abort();
  }
  return 0;
}
