// A small but complete Sbom for encoder tests: a Debian image with binNMU and source packages,
// SPDX ids, an expression, a free-form license name, owned files with and without digests,
// dependencies (by name and by relationship), an apk and a pypi package, and an unknown.
#pragma once

#include "sbom/sbom.h"

namespace distill::sbom::testing {

Sbom SampleSbom();

}  // namespace distill::sbom::testing
