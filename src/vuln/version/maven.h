// Maven versions, ordered as maven-artifact's ComparableVersion (Maven 3.8.7, Debian bookworm's)
// does: the version is lower-cased and split into items at '.', '-' and digit/letter transitions;
// '-' (and a transition) opens a sub-list, and so does a qualifier that does not start its list;
// numbers compare numerically; qualifiers rank alpha(a) < beta(b) < milestone(m) < rc(cr) <
// snapshot < ""(ga, final, release) < sp < any other (lexically); trailing "null" items (0,
// "", "final", "ga", "release") are dropped from each list.
// Comparison rules between kinds: number > list > qualifier.
//
// Maven 3.9 and 4 changed the order again (e.g. MNG-7559 qualifiers); distill follows 3.8.7,
// which RealMavenOracle checks against the real maven-artifact jar.
// Every string is a Maven version; only the empty string is refused. Limits: letters and
// digits are ASCII (Java would also treat other Unicode digits as digits).
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::vuln::version::maven {

Status Validate(std::string_view version);
int CompareUnchecked(std::string_view a, std::string_view b);
Result<int> Compare(std::string_view a, std::string_view b);
std::string Canonical(std::string_view version);  // ComparableVersion.getCanonical()

}  // namespace distill::vuln::version::maven
