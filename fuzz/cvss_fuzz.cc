// Fuzz target: CVSS vectors (src/vuln/cvss.h v2/v3.x, src/vuln/cvss4.h v4.0), which come from
// OSV records. Any input must give a score in [0, 10] with one decimal or an error, never a
// crash, hang or sanitizer report.
// Build: see osv_fuzz.cc. Seeds: fuzz/make_seeds.py (cvss/).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/cvss.h"
#include "vuln/cvss4.h"

namespace {

void Check(const distill::Result<distill::vuln::CvssScore>& s) {
  if (!s.ok()) return;
  double tenths = s->base * 10;
  if (!(s->base >= 0 && s->base <= 10) || std::fabs(tenths - std::round(tenths)) > 1e-9)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Check(distill::vuln::CvssV4Score(text));
  Check(distill::vuln::CvssV3BaseScore(text));
  Check(distill::vuln::CvssV2BaseScore(text));
  return 0;
}
