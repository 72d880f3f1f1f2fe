// Who may call the API. Harbor authenticates to a scanner in one of three ways
// (goharbor/harbor src/pkg/scan/rest/auth/auth.go): "Authorization: Basic base64(user:password)",
// "Authorization: Bearer TOKEN", or "X-ScannerAdapter-API-Key: KEY". distill is configured with
// one secret and accepts any of the three carrying it: Bearer and the API key equal to it, Basic
// whose decoded "user:password" equals it.
#pragma once

#include <string_view>

namespace distill::serve {

// Whether a caller with these header values (empty when absent) may call the API. An empty
// secret turns authentication off. Comparisons take the same time wherever the values differ.
bool Authorized(std::string_view secret, std::string_view authorization, std::string_view api_key);

}  // namespace distill::serve
