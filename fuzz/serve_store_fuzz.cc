// Fuzzes what the serve store reads that it did not write itself: connection strings (redacted for
// messages: URLs, key=value, quoted values) and sealed credentials read back from the database.
// No seeds needed: the inputs are short text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "serve/store/credential.h"
#include "serve/store/pg.h"

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)serve::RedactConnInfo(text);
  (void)serve::OpenCredential(std::string(serve::kCredentialKeySize, 'k'), "job", text);
  return 0;
}
