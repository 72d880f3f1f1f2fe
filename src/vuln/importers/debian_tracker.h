// The Debian security tracker's JSON export (security-tracker.debian.org/tracker/data/json):
// source package → CVE (or TEMP- id) → {description, scope, debianbug, releases: codename →
// {status, repositories, fixed_version, urgency, nodsa, nodsa_reason}}. One Advisory per
// package × id × release, ecosystem "debian:<number>" ("bookworm" → "debian:12"):
//   resolved + fixed_version "0"      → not-affected
//   resolved + fixed_version V        → fixed in V
//   open / undetermined               → not-fixed
//   open + nodsa, reason "" (no-dsa)  → not-fixed, note "minor issue" — never won't-fix
//   open + nodsa, reason "postponed"  → not-fixed, note "postponed"
//   open + nodsa, reason "ignored"    → wont-fix, note "ignored" (the tracker's <ignored>)
//   urgency "end-of-life"             → note "end-of-life" (no security support)
// Urgency becomes a "debian" vendor severity (unimportant → negligible; "high**", NVD-derived
// and not yet reviewed, → high).
#pragma once

#include <functional>
#include <string_view>

#include "vuln/importers/sink.h"

namespace distill::vuln::importers {

inline constexpr std::string_view kDebianTrackerKind = "debian-tracker";

// Streams the document one source package at a time (the real file is ~70 MB).
Status ParseDebianTracker(std::string_view json, const Sink& sink);

// The same in two steps, so that packages can be parsed on several threads: the document's
// members (`"package": {...}`, source text), then each member alone. ParseDebianTracker is
// ForEachDebianTrackerPackage calling ParseDebianTrackerPackage (same errors).
Status ForEachDebianTrackerPackage(std::string_view json,
                                   const std::function<Status(std::string_view member)>& fn);
Status ParseDebianTrackerPackage(std::string_view member, const Sink& sink);

bool LooksLikeDebianTracker(std::string_view json);

}  // namespace distill::vuln::importers
