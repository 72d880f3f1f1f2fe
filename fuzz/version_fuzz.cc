// Feeds arbitrary strings to every ecosystem's validate/compare and to npm range parsing.
// Invariants: nothing crashes; Compare on two valid versions succeeds, is antisymmetric and
// reflexive; Compare with an invalid version is an error. Input: two strings split at the
// first NUL (or the middle).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/version/apk.h"
#include "vuln/version/dpkg.h"
#include "vuln/version/npm_range.h"
#include "vuln/version/rpm.h"
#include "vuln/version/version.h"

namespace v = distill::vuln::version;

static void Check(bool ok) {
  if (!ok) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find('\0');
  if (cut == std::string_view::npos) cut = size / 2;
  std::string_view a = in.substr(0, cut);
  std::string_view b = in.substr(std::min(size, cut + 1));
  for (const v::Scheme& s : v::Schemes()) {
    bool va = s.validate(a).ok(), vb = s.validate(b).ok();
    auto ab = v::Compare(s.ecosystem, a, b);
    auto ba = v::Compare(s.ecosystem, b, a);
    Check(ab.ok() == (va && vb));
    Check(ba.ok() == ab.ok());
    if (ab.ok()) {
      Check(*ab == -*ba);
      Check(*v::Compare(s.ecosystem, a, a) == 0);
    }
  }
  // The total comparators underneath must be antisymmetric on anything.
  Check(v::apk::Compare(a, b) == -v::apk::Compare(b, a));
  Check(v::rpm::VerCmp(a, b) == -v::rpm::VerCmp(b, a));
  int d1 = v::dpkg::CompareFragment(a, b), d2 = v::dpkg::CompareFragment(b, a);
  Check((d1 > 0) - (d1 < 0) == -((d2 > 0) - (d2 < 0)));
  for (bool loose : {false, true}) {
    for (bool pre : {false, true}) {
      auto r = v::npm::ParseRange(a, {loose, pre});
      if (r.ok()) (void)v::npm::Test(*r, b);
    }
  }
  return 0;
}
