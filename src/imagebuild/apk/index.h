// The APKINDEX text format (the APKINDEX member of APKINDEX.tar.gz) and the installed database
// (lib/apk/db/installed), which shares it: blank-line-separated blocks of "X:value" lines, one
// block per package. Letters (apk-tools src/package.c, apk_pkg_write_index_header; database.c):
//   C identity ("Q1" + base64 SHA-1 of the control member)   P name   V version   A arch
//   S .apk size   I installed size   T description   U url   L license   o origin
//   m maintainer   t build time   c commit   k provider_priority   D depends   p provides
//   i install_if   r replaces   q replaces_priority
// The installed database adds per-file lines (F R a M Z) and a few more; they and any other
// letter are skipped, as apk does with letters it does not know.
// A malformed line (not "X:value", a bad number, a block without P: or V:, a version apk's grammar
// rejects) is an error naming the file and line. A malformed dependency atom is not, as in
// apk-tools: a bad D: atom keeps the package but marks it not installable (`broken` says why), a
// bad i: drops the install_if rule, a provide keeps a version the grammar rejects.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/apk/world.h"
#include "util/result.h"

namespace distill::imagebuild::apk {

struct IndexEntry {
  int line = 0;                        // 1-based line of the block's first field
  std::string checksum;                // C: "Q1..."
  std::string name;                    // P:
  std::string version;                 // V:
  std::string arch;                    // A:
  uint64_t size = 0;                   // S: bytes of the .apk
  uint64_t installed_size = 0;         // I:
  std::string description;             // T:
  std::string url;                     // U:
  std::string license;                 // L:
  std::string origin;                  // o:
  std::string maintainer;              // m:
  int64_t build_time = 0;              // t:
  std::string commit;                  // c:
  int64_t provider_priority = 0;       // k:
  std::vector<Dependency> depends;     // D:
  std::vector<Dependency> provides;    // p:
  std::vector<Dependency> install_if;  // i:
  std::vector<std::string> replaces;   // r:
  int64_t replaces_priority = 0;       // q:
  std::string broken;  // why apk would not install it ("line 7: ..."); "" = installable
};

// `file` names the source in errors: "APKINDEX:12: expected 'X:value', got 'foo'".
Result<std::vector<IndexEntry>> ParseIndex(std::string_view text, std::string_view file);

}  // namespace distill::imagebuild::apk
