#include "sbom/uuid.h"

#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "util/digest.h"

namespace distill::sbom {

const char* const kDistillUuidNamespace = "60be9072-1de5-5fb9-93f1-fea3a72543cb";

namespace {

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

std::string UuidV5(std::string_view namespace_uuid, std::string_view name) {
  std::array<unsigned char, 16> ns{};
  size_t n = 0;
  for (size_t i = 0; i + 1 < namespace_uuid.size() && n < 16;) {
    if (namespace_uuid[i] == '-') {
      ++i;
      continue;
    }
    ns[n++] = static_cast<unsigned char>(Hex(namespace_uuid[i]) * 16 + Hex(namespace_uuid[i + 1]));
    i += 2;
  }
  auto md = Sha1Raw({std::string_view(reinterpret_cast<const char*>(ns.data()), ns.size()), name});
  md[6] = static_cast<unsigned char>((md[6] & 0x0f) | 0x50);  // version 5
  md[8] = static_cast<unsigned char>((md[8] & 0x3f) | 0x80);  // RFC 9562 variant
  std::string hex;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
    hex += fmt::format("{:02x}", md[i]);
  }
  return hex;
}

}  // namespace distill::sbom
