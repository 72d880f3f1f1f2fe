// Fuzzes the rpm readers: the first byte picks the format (header blob, BerkeleyDB hash,
// NDB, container manifest), the rest is the file. Every read must stay in bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/rpm/cataloger.h"
#include "catalog/rpm/header.h"
#include "catalog/rpm/parse_db.h"

using namespace distill::catalog::rpm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto each = [](const auto& blobs) {
    if (blobs.ok())
      for (const auto& b : blobs->blobs) (void)ParseHeaderBlob(b);
  };
  switch (data[0] % 4) {
    case 0:
      (void)ParseHeaderBlob(in);
      break;
    case 1:
      each(ReadBerkeleyDb(in));
      break;
    case 2:
      each(ReadNdb(in));
      break;
    case 3:
      (void)ParseContainerManifest(in);
      break;
  }
  return 0;
}
