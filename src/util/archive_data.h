// Reading an entry's data out of libarchive. A header's size is only a claim: these read what
// really arrives: a claim up to 1 MiB is allocated at once, a larger one grows with the data
// (doubling), so an archive of a few bytes that claims a member of gigabytes costs at most 1 MiB
// and ends as truncated. Pre-sizing to the claim (the obvious loop) zero-fills all of it first: a
// 74-byte .deb made ParseDeb allocate 1.9 GB (found by fuzz/deb_fuzz.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

struct archive;

namespace distill {

// libarchive's message for the last failure on `a`, or `fallback` when it set none: it may return
// NULL (an ar member list it gives up on: fuzz/deb_fuzz.cc), which fmt refuses with an exception.
std::string ArchiveError(archive* ar, std::string_view fallback = "unreadable archive");

// Appends up to `size` bytes of the current entry to *out; returns how many arrived (fewer at an
// early end of the data, which the caller reports as truncation in its own words). The error is
// libarchive's message for the read that failed.
Result<uint64_t> ReadEntryData(archive* ar, uint64_t size, std::string* out);

// Reads up to `size` bytes of the current entry into buf, which has room for them (memory the
// caller reserved without touching, such as a heap::ScratchBuffer); the same result.
Result<uint64_t> ReadEntryInto(archive* ar, char* buf, uint64_t size);

}  // namespace distill
