// Fuzzes the audit's bounded ELF reader and the secret scanner's masking on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/elf.h"
#include "audit/secrets.h"

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)audit::ParseElf(bytes);
  static auto scanner = audit::SecretScanner::Create();
  if (scanner.ok())
    for (const auto& hit : (*scanner)->Scan("root/.docker/config.json", bytes)) (void)hit.masked.size();
  return 0;
}
