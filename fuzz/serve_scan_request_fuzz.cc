// Fuzz target: what Harbor (or anyone who reaches the port) sends `distill serve`
// (src/serve/api/): the ScanRequest body, and the headers the API reads (Content-Type, Accept with
// the sbom_media_type query, the caller's credentials). The first byte picks which; any input must
// give a value or a refusal with one of the spec's statuses, never a crash, hang or sanitizer
// report, and every refusal's error document must be JSON.
// Seeds: fuzz/make_seeds.py (serve_scan_request/).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "serve/api/auth.h"
#include "serve/api/protocol.h"
#include "serve/api/scan_request.h"

namespace serve = distill::serve;

namespace {

void CheckRefusal(const serve::Refusal& r) {
  if (r.status != 400 && r.status != 415 && r.status != 422 && r.status != 501) std::abort();
  if (!nlohmann::json::accept(serve::ErrorJson(r.message))) std::abort();
}

// "A\nB\nC": the three header values of the header case.
std::string_view Next(std::string_view& text) {
  size_t nl = text.find('\n');
  std::string_view part = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    serve::ScanRequest request;
    if (auto refusal = serve::ParseScanRequest(text, &request)) {
      CheckRefusal(*refusal);
    } else if (request.reports.empty() || request.artifact.digest.empty()) {
      std::abort();  // an accepted request always names what to scan and what to produce
    }
    return 0;
  }
  std::string_view content_type = Next(text), accept = Next(text), media = Next(text);
  if (auto refusal = serve::CheckScanRequestType(content_type)) CheckRefusal(*refusal);
  serve::Negotiated n =
      serve::NegotiateReport(accept, media.empty() ? std::nullopt : std::optional(media));
  if (!n.kind && !nlohmann::json::accept(serve::ErrorJson(n.refusal.message))) std::abort();
  (void)serve::NegotiateMetadata(accept);
  (void)serve::Authorized("harbor:s3cret", content_type, accept);
  return 0;
}
