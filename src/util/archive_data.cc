#include "util/archive_data.h"

#include <archive.h>

#include <algorithm>

namespace distill {

std::string ArchiveError(archive* ar, std::string_view fallback) {
  const char* msg = archive_error_string(ar);
  return msg ? std::string(msg) : std::string(fallback);
}

Result<uint64_t> ReadEntryInto(archive* ar, char* buf, uint64_t size) {
  uint64_t got = 0;
  while (got < size) {
    la_ssize_t n = archive_read_data(ar, buf + got, size - got);
    if (n < 0) return Errorf("{}", ArchiveError(ar, "read error"));
    if (n == 0) break;
    got += static_cast<uint64_t>(n);
  }
  return got;
}

Result<uint64_t> ReadEntryData(archive* ar, uint64_t size, std::string* out) {
  constexpr uint64_t kTrusted = 1 << 20;  // a claim up to this is allocated at once, exactly
  const size_t start = out->size();
  uint64_t got = 0;
  while (got < size) {
    // Room for what is left of the claim, but past kTrusted never more than the bytes seen so
    // far: a large claim is trusted only as far as the data backs it.
    const uint64_t room = std::min(size - got, std::max(got, kTrusted));
    out->resize(start + got + room);
    auto n = ReadEntryInto(ar, out->data() + start + got, room);
    got += n.ok() ? *n : 0;
    out->resize(start + got);
    if (!n.ok()) return std::move(n).error();
    if (*n < room) break;  // the data ended early
  }
  return got;
}

}  // namespace distill
