// Wolfi / Chainguard advisory documents (wolfi-dev/advisories `<package>.advisories.yaml`,
// schema-version 2): per package, advisories with an id, aliases and a timeline of events;
// the latest event decides (doc: event_types.md in the fixtures):
//   fixed                         → fixed in data.fixed-version
//   false-positive-determination  → not-affected, note = data.type
//   fix-not-planned               → wont-fix
//   pending-upstream-fix          → not-fixed, note "pending upstream fix"
//   detection, true-positive-determination, analysis-not-planned → not-fixed
#pragma once

#include <string_view>

#include "vuln/importers/sink.h"

namespace distill::vuln::importers {

inline constexpr std::string_view kWolfiAdvisoriesKind = "wolfi-advisories";

// `ecosystem` defaults to "wolfi".
Status ParseWolfiAdvisories(std::string_view yaml, std::string_view ecosystem, const Sink& sink);

bool LooksLikeWolfiAdvisories(std::string_view text);

}  // namespace distill::vuln::importers
