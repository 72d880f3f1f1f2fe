// apt's sources: deb822 `*.sources` files and one-line `sources.list` entries, and which of their
// suites belong to one distro codename. Formats: sources.list(5).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/deb/apt/apt.h"

namespace distill::imagebuild::apt {

// Every `Types: deb` entry of a deb822 file, one Source per (URI, suite). `Enabled: no` entries and
// deb-src are skipped. Errors name the file and line: "debian.sources:4: expected 'Field: value'".
Result<std::vector<Source>> ParseDeb822Sources(std::string_view text, std::string_view file);
// One-line format: "deb [opt=value ...] URI SUITE COMPONENT..."; comments and deb-src skipped.
Result<std::vector<Source>> ParseOneLineSources(std::string_view text, std::string_view file);

// The suites of `codename`: CODENAME, CODENAME-updates, CODENAME-security (and CODENAME/updates,
// the pre-bullseye security suite); CODENAME-backports only when with_backports (apt pins
// backports below the release, so taking them by default would change versions). Duplicates
// (same URI and suite) are merged; order as configured.
std::vector<Source> SelectSuites(const std::vector<Source>& all, std::string_view codename,
                                 bool with_backports);

// All sources configured under an apt directory (ETC/sources.list, ETC/sources.list.d/*.list and
// *.sources, in file-name order as apt reads them).
Result<std::vector<Source>> ReadSourcesDir(const std::string& etc_apt);

// "http://h/debian/" → "http://h/debian"; "file:///srv/r" → "file:/srv/r".
std::string NormalizeUri(std::string_view uri);

}  // namespace distill::imagebuild::apt
