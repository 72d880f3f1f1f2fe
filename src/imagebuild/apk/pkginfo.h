// .PKGINFO, the first entry of an APK v2 package's control member: `key = value` lines, `#`
// comments, repeated keys (depend, provides, ...). The keys and their APKINDEX letters are
// apk-tools' (src/package.c, apk_pkg_add_info); abuild and melange write them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::imagebuild::apk {

struct PkgInfo {
  std::string pkgname;            // P:
  std::string pkgver;             // V:
  std::string pkgdesc;            // T:
  std::string url;                // U:
  uint64_t size = 0;              // I: installed bytes
  std::string license;            // L: repeated license lines joined with " AND "
  std::string arch;               // A:
  std::string origin;             // o:
  std::string maintainer;         // m:
  std::string packager;           // (not indexed)
  int64_t builddate = 0;          // t:
  std::string commit;             // c:
  int64_t provider_priority = 0;  // k:
  bool has_provider_priority = false;
  int64_t replaces_priority = 0;  // q:
  std::string datahash;           // hex SHA-256 of the compressed data member ("" for old packages)
  // Space-separated lists (each line may hold several words, lines repeat).
  std::vector<std::string> depend;      // D: ("!name" = conflict)
  std::vector<std::string> provides;    // p:
  std::vector<std::string> install_if;  // i:
  std::vector<std::string> replaces;    // r:
  std::vector<std::string> triggers;    // triggers (directories watched)
  // Each license line as written (go-apk's index takes the first; `license` joins them).
  std::vector<std::string> licenses;
  // Keys not listed above, in order (key, value).
  std::vector<std::pair<std::string, std::string>> other;
};

// Parses .PKGINFO text; errors name the line: ".PKGINFO:7: no '=' in 'pkgname alpine'".
// pkgname, pkgver and arch are required.
Result<PkgInfo> ParsePkgInfo(std::string_view text);

}  // namespace distill::imagebuild::apk
