#include "serve/api/auth.h"

#include "image/registry/auth.h"
#include "util/text.h"

namespace distill::serve {

namespace {

// Equal without an early exit at the first difference: the time taken does not tell a caller how
// much of a guess was right.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ (i < b.size() ? b[i] : 0);
  return diff == 0;
}

}  // namespace

bool Authorized(std::string_view secret, std::string_view authorization, std::string_view api_key) {
  if (secret.empty()) return true;
  if (!api_key.empty() && SameSecret(secret, api_key)) return true;
  std::string_view value = Trim(authorization);
  size_t space = value.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view scheme = value.substr(0, space), credential = Trim(value.substr(space + 1));
  if (EqualsIgnoreCase(scheme, "Bearer")) return SameSecret(secret, credential);
  if (EqualsIgnoreCase(scheme, "Basic")) {
    auto decoded = image::registry::Base64Decode(credential);
    return decoded.ok() && SameSecret(secret, *decoded);
  }
  return false;
}

}  // namespace distill::serve
