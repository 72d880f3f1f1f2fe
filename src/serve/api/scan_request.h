// The body of POST /api/v1/scan (ScanRequest in the spec), parsed and checked. Harbor's bytes
// are outside input: every way they can be wrong is a Refusal with the spec's status, never a
// crash (fuzz/serve_scan_request_fuzz.cc).
#pragma once

#include <optional>
#include <string_view>

#include "serve/api/protocol.h"
#include "serve/api/service.h"

namespace distill::serve {

// Parses `body` into *out. Refusals:
//   400  not JSON, or a value of the wrong JSON type ("artifact.digest: want a string, got 12")
//   422  a required field missing or empty, or a value that is not valid (a digest that is not
//        ALGORITHM:HEX, a URL that is not http(s), a credential with control characters, an
//        empty enabled_capabilities)
//   501  well-formed but not something distill does: an artifact MIME type other than the two
//        image manifests, a capability other than vulnerability/sbom, a report or SBOM type it
//        does not produce
// Messages name the field and never repeat registry.authorization.
std::optional<Refusal> ParseScanRequest(std::string_view body, ScanRequest* out);

// The Content-Type POST /scan accepts: the scan request type, version 1.0 or 1.1 (or none), or
// plain application/json (curl). 415 for another type, 501 for another version.
std::optional<Refusal> CheckScanRequestType(std::string_view content_type);

}  // namespace distill::serve
