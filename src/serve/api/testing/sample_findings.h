// Findings for the report tests, in the shapes the matcher returns them: a vendor-rated Debian
// finding with a CVSS v3 vector, a binNMU package found through its source, a language package
// rated by CVSS v4, one with only a v2 vector, and one with nothing known but its id (and a
// summary that is not valid UTF-8).
#pragma once

#include <vector>

#include "serve/api/report.h"
#include "vuln/match/matcher.h"

namespace distill::serve::testing {

std::vector<vuln::match::Finding> SampleFindings();
ReportContext SampleContext();

}  // namespace distill::serve::testing
