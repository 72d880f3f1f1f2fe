// The human-readable package table (syft's `table` output): NAME VERSION TYPE, one row per
// distinct (name, version, type), sorted, columns padded to the widest cell.
#pragma once

#include <ostream>

#include "sbom/sbom.h"
#include "util/result.h"

namespace distill::sbom::table {

Status Encode(const Sbom& sbom, std::ostream& out);

}  // namespace distill::sbom::table
