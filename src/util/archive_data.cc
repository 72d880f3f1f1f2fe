#include "util/archive_data.h"

#include <archive.h>

#include <algorithm>

namespace distill {

Result<uint64_t> ReadEntryData(archive* a, uint64_t size, std::string* out) {
  constexpr uint64_t kTrusted = 1 << 20;  // a claim up to this is allocated at once, exactly
  const size_t start = out->size();
  uint64_t got = 0;
  while (got < size) {
    // Room for what is left of the claim, but past kTrusted never more than the bytes seen so
    // far: a large claim is trusted only as far as the data backs it.
    const uint64_t room = std::min(size - got, std::max(got, kTrusted));
    out->resize(start + got + room);
    la_ssize_t n = archive_read_data(a, out->data() + start + got, room);
    if (n < 0) {
      out->resize(start + got);
      const char* msg = archive_error_string(a);
      return Errorf("{}", msg ? msg : "read error");
    }
    got += static_cast<uint64_t>(n);
    out->resize(start + got);
    if (n == 0) break;
  }
  return got;
}

}  // namespace distill
