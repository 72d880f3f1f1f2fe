// RPM versions: [epoch:]version[-release], ordered as librpm does it.
//   VerCmp   = rpmvercmp(): alphanumeric segments, digits numerically (and newer than letters),
//              separators ignored, '~' sorts before everything (even the end), '^' after the end
//              but before anything else.
//   Compare  = rpmverCmp() on parsed EVRs (rpmver.c): a missing epoch is "0"; a missing release
//              sorts before any release (compare_values), as rpm.ver and labelCompare order them.
//              (Dependency ranges, rpmverOverlap, treat a missing release as "any": not this.)
// Parsing follows rpmver.c's parseEVR: leading digits followed by ':' are the epoch, the text
// after the last '-' is the release.
#pragma once

#include <string_view>

#include "util/result.h"

namespace distill::vuln::version::rpm {

struct Evr {
  std::string_view epoch;  // empty: none (compares as "0")
  std::string_view version;
  std::string_view release;  // empty with has_release=false: none
  bool has_release = false;
};

Evr ParseEvr(std::string_view version);  // total, no allocation
Status Validate(std::string_view version);

int VerCmp(std::string_view a, std::string_view b);  // total on any bytes
int CompareEvr(const Evr& a, const Evr& b);
Result<int> Compare(std::string_view a, std::string_view b);

}  // namespace distill::vuln::version::rpm
