// Fuzzes util/elf's link info (the audit's question; lang_fuzz asks for its sections and segments)
// and the secret scanner's masking on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/secrets.h"
#include "util/elf.h"

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)elf::ReadLinkInfo(bytes);
  static auto scanner = audit::SecretScanner::Create();
  if (scanner.ok())
    for (const auto& hit : (*scanner)->Scan("root/.docker/config.json", bytes))
      (void)hit.masked.size();
  return 0;
}
