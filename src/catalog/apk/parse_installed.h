// Alpine's installed-package database, lib/apk/db/installed
// (https://wiki.alpinelinux.org/wiki/Apk_spec): records of "K:value" lines separated by blank
// lines; F: opens a directory, R: names a file in it, Z: is the checksum of the preceding R: ("Q1"
// + base64 SHA-1).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/package.h"
#include "util/result.h"

namespace distill::catalog::apk {

struct Record {
  int line = 0;  // 1-based line of the record's first field
  std::string name, version, arch, license;
  std::vector<OwnedFile> files;  // F: directories (no digest) and R: files (sha1 from Z:)
  ApkMetadata meta;
};

struct ParsedDb {
  std::vector<Record> records;
  std::vector<Error> errors;  // one per malformed record: "line 1: expected 'K:value', got '...'"
};

// A malformed record is reported and skipped; the records around it are kept. A record without
// a P: (name) or a V: (version), or whose version apk's grammar rejects (vuln/version/apk.h), is
// malformed: never a package with an empty or unusable version.
ParsedDb ParseInstalled(std::string_view text);

// "Q1<base64 sha1>" -> {"sha1", hex}; other forms -> {"", ""}.
std::pair<std::string, std::string> DecodeChecksum(std::string_view checksum);

// "so:libc.musl-x86_64.so.1=1" -> "so:libc.musl-x86_64.so.1"; "!foo" (conflict) -> "".
std::string DependencyName(std::string_view token);

// "MIT BSD GPL2+" (apk's space-separated list) -> {"MIT", "BSD", "GPL2+"}; an SPDX expression
// ("MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)") stays one entry.
std::vector<std::string> SplitLicense(std::string_view license);

}  // namespace distill::catalog::apk
