// Debian package versions, [epoch:]upstream_version[-debian_revision], ordered by the
// algorithm of Debian Policy §5.6.12 as libdpkg implements it (verrevcmp): non-digit runs
// compared with '~' before the end before letters before everything else, digit runs
// compared numerically; a missing revision equals "0", a missing epoch equals 0.
//
// Syntax follows dpkg's parseversion: surrounding whitespace is ignored; embedded
// whitespace, an empty/non-numeric/too-big epoch, nothing after the colon are errors. dpkg
// only *warns* about bad characters and a first character that is not a digit, so those are
// accepted here too (dpkg --compare-versions accepts them).
//
// Decision on the four upstream vectors `0foo-` (×3) and `-0.6.5`: dpkg 1.21 (bookworm)
// rejects them (empty revision, empty upstream version); newer dpkg's Dpkg::Version test
// orders them. Compare() is lenient like the newer upstream (an empty part compares as an
// empty string), because refusing to compare would make a package unmatchable while its order
// is well defined; ValidateStrict() keeps bookworm's verdict for callers that must reject them.
#pragma once

#include <string_view>

#include "util/result.h"

namespace distill::vuln::version::dpkg {

struct Parts {
  unsigned epoch = 0;
  std::string_view upstream;
  std::string_view revision;  // empty when absent
};

// Lenient parse (see above). No allocation.
Result<Parts> Parse(std::string_view version);
// dpkg 1.21's verdict: Parse() plus "version number is empty" / "revision number is empty".
Status ValidateStrict(std::string_view version);
Status Validate(std::string_view version);

// verrevcmp on one part; total on any bytes.
int CompareFragment(std::string_view a, std::string_view b);
int CompareParts(const Parts& a, const Parts& b);
Result<int> Compare(std::string_view a, std::string_view b);

}  // namespace distill::vuln::version::dpkg
