// Fuzz target: the database's column decoders (src/vuln/db/codec.h), which read whatever a
// database file holds (a copied or downloaded one too). The first byte picks the column kind,
// the rest is the column. Any input must decode or give an error, never a crash, hang or
// sanitizer report; what decodes must survive a round trip: decode(encode(x)) == x.
// Build: see osv_fuzz.cc. Seeds: fuzz/make_seeds.py (codec/).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/db/codec.h"

namespace {

using namespace distill::vuln::codec;

template <typename Decode, typename Encode>
void RoundTrip(std::string_view column, Decode decode, Encode encode) {
  auto v = decode(column);
  if (!v.ok()) return;
  auto again = decode(encode(*v));
  if (!again.ok() || !(*again == *v)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view column(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      RoundTrip(
          column, [](std::string_view c) { return DecodeStrings(c); }, EncodeStrings);
      break;
    case 1:
      RoundTrip(
          column, [](std::string_view c) { return DecodeRanges(c); }, EncodeRanges);
      break;
    case 2:
      RoundTrip(
          column, [](std::string_view c) { return DecodeSeverities(c); }, EncodeSeverities);
      break;
    case 3:
      RoundTrip(
          column, [](std::string_view c) { return DecodeReferences(c); }, EncodeReferences);
      (void)DecodeReferences(column, "ADVISORY");
      break;
  }
  return 0;
}
