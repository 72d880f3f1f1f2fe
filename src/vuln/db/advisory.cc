#include "vuln/db/advisory.h"

namespace distill::vuln {

namespace {
constexpr std::string_view kFixStateNames[] = {"fixed", "not-fixed", "wont-fix", "not-affected"};
constexpr std::string_view kEventNames[] = {"introduced", "fixed", "last_affected", "limit"};
}  // namespace

std::string_view FixStateName(FixState s) { return kFixStateNames[static_cast<int>(s)]; }

std::optional<FixState> ParseFixState(std::string_view text) {
  for (int i = 0; i < 4; ++i)
    if (kFixStateNames[i] == text) return static_cast<FixState>(i);
  return std::nullopt;
}

std::string_view EventKindName(Event::Kind k) { return kEventNames[k]; }

std::optional<Event::Kind> ParseEventKind(std::string_view text) {
  for (int i = 0; i < 4; ++i)
    if (kEventNames[i] == text) return static_cast<Event::Kind>(i);
  return std::nullopt;
}

}  // namespace distill::vuln
