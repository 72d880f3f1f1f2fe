// Debian control data as dpkg keeps it: var/lib/dpkg/status (one paragraph per package, with a
// Status: line), the distroless layout var/lib/dpkg/status.d/<pkg> (same paragraphs, no Status:),
// and the per-package info/<pkg>[:arch].{md5sums,list} files.
// Format: https://www.debian.org/doc/debian-policy/ch-controlfields.html and deb-status(5).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/package.h"
#include "util/result.h"

namespace distill::catalog::dpkg {

// One control paragraph: fields in order, continuation lines joined with "\n" (leading space of
// each continuation line removed, a lone "." kept as written).
struct Paragraph {
  int line = 0;  // 1-based line of the first field
  std::vector<std::pair<std::string, std::string>> fields;
  // The value of the first field with this name (case-insensitive, as dpkg compares), or "".
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
};

// Paragraphs of a control file. A malformed paragraph (a line that is neither "Field: value" nor
// a continuation) is reported in errors ("line 3: expected 'Field: value'") and skipped; the
// paragraphs around it are kept.
std::vector<Paragraph> ParseControl(std::string_view text, std::vector<Error>* errors);

// One package record of the status database.
struct StatusEntry {
  int line = 0;
  std::string name, version, arch;
  std::string source_name, source_version;  // from "Source: name (version)"; as written
  std::string license;                      // opkg's License: field, as written
  std::vector<OwnedFile> conffiles;         // "Conffiles:" lines: path md5 [obsolete]
  DpkgMetadata meta;
};

// Field values to a record. Errors name the field: "field \"Package\": missing".
Result<StatusEntry> EntryFromParagraph(const Paragraph& paragraph);

// Where a paragraph was read: dpkg's status file, where dpkg writes a Status: line in every
// record, or a distroless status.d/<pkg> file, written without one.
enum class Database { kStatusFile, kStatusD };

// Whether dpkg considers the package's files present and configured (deb-status(5) state
// "installed", "triggers-awaited" or "triggers-pending"). No Status: line is installed in a
// status.d file and not installed in the status file (not a record dpkg wrote for a package).
bool IsInstalled(std::string_view status, Database db);

// The record's Version: present and valid as dpkg parses it (vuln/version/dpkg.h). Errors name
// the line, the package and the field: "line 3: package \"x\": field \"Version\": missing".
Status CheckVersion(const StatusEntry& entry);

// "Installed-Size" in KiB; tolerates a unit suffix ("4KB", "2 MiB") by converting to KiB, rounding
// up.
Result<uint64_t> ParseInstalledSize(std::string_view value);

// The package names a Depends/Pre-Depends value refers to: every alternative of every clause,
// without version constraints, architecture restrictions or ":arch" qualifiers.
std::vector<std::string> DependencyNames(std::string_view value);
// Clauses as written, split on ",": "libc6 (>= 2.29)".
std::vector<std::string> SplitClauses(std::string_view value);

// var/lib/dpkg/info/<pkg>.md5sums: "d41d8cd98f00b204e9800998ecf8427e  usr/bin/x" lines.
Result<std::vector<OwnedFile>> ParseMd5sums(std::string_view text);
// var/lib/dpkg/info/<pkg>.list: absolute paths, one per line ("/." and directories included).
std::vector<std::string> ParseList(std::string_view text);

// usr/share/doc/<pkg>/copyright.
struct Copyright {
  std::vector<std::string> names;  // License: short names as written, deduplicated, in order
  std::vector<std::string> spdx;   // SPDX ids / expressions we can justify, deduplicated, in order
};
Copyright ParseCopyright(std::string_view text);
// A Debian short license name ("GPL-2+", "Expat", "BSD-3-clause") as an SPDX id, or "".
std::string DebianNameToSpdx(std::string_view name);

}  // namespace distill::catalog::dpkg
