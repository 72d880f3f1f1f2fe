// The main module's version when the build info has none: `go build` in a checkout records the
// main module as "(devel)" (Go before 1.24), and a release build stamps its version into a
// variable with the linker's -X flag instead (`go build -ldflags "-X main.version=1.2.3"`), which
// cmd/go records in the "-ldflags" build setting (unless -trimpath is set: go.dev/issue/52372).
//
// What we accept, from syft (parse_go_binary.go, knownBuildFlagPatterns) and trivy
// (pkg/dependency/parser/golang/binary/parse.go, ParseLDFlags), in this order:
//  1. A -X assignment `importpath.name=value` in -ldflags (split as cmd/go splits it, quotes
//     around a word allowed; stray quotes around the key or value dropped, as trivy does) whose
//     variable name is "version" or "ver" or ends in "version" or "tag" (case-insensitive:
//     version, Version, ver, gitVersion, buildVersion, releaseVersion, gitTag, ...) and whose
//     value, after any leading "x/y/" (refs/tags/v1.2.3), is a semantic version MAJOR.MINOR.PATCH
//     with an optional "v", pre-release and build. Candidates rank by the variable's package:
//     `main` or a package of the main module first, then a package named version, common or cmd
//     (github.com/prometheus/common/version.Version), then any other; the first rank with
//     candidates decides, and two different versions there decide nothing (trivy). The version
//     gets a leading "v", as Go module versions and syft have it.
//  2. Else, with vcs.revision and vcs.time build settings, the pseudo-version
//     v0.0.0-YYYYMMDDhhmmss-<first 12 of the revision> (syft's FromBuildSettings default).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/golang/parse_buildinfo.h"

namespace distill::catalog::golang {

// The version to report for the main module: bi.main.version unless it is "(devel)" or empty and
// one of the rules above gives one.
std::string MainModuleVersion(const BuildInfo& bi);

// Rule 1 alone: "" when no -X assignment qualifies.
std::string VersionFromLdflags(std::string_view ldflags, std::string_view main_module);

// -ldflags split into words as cmd/go (cmd/internal/quoted.Split) does: space-separated, a word
// that starts with ' or " runs to the same quote, with no escapes. Empty on an unterminated quote.
std::vector<std::string> SplitQuoted(std::string_view text);

}  // namespace distill::catalog::golang
