// Fuzz target: the Debian security tracker JSON (src/vuln/importers/debian_tracker.cc, its
// hand-written member scanner). Any input must give a record or an error, never a crash, hang or
// sanitizer report; every record produced must survive the database column encoders. Build (the
// library needs coverage instrumentation too, hence fuzzer-no-link):
//   CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DDISTILL_FUZZ=ON -DDISTILL_TESTS=OFF \
//     -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link && ninja -C build-fuzz <name>_fuzz
// Seed corpus: tests/fixtures/vuln/ (see its MANIFEST.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vuln/db/codec.h"
#include "vuln/importers/debian_tracker.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto sink = [](distill::vuln::Advisory&& a) -> distill::Status {
    (void)distill::vuln::codec::DecodeRanges(distill::vuln::codec::EncodeRanges(a.ranges));
    (void)distill::vuln::codec::EncodeSeverities(a.severities);
    return {};
  };
  (void)distill::vuln::importers::ParseDebianTracker(text, sink);
  return 0;
}
