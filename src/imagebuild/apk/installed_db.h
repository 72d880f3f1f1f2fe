// usr/lib/apk/db/installed as apko writes it (apko pkg/apk/apk/installed.go AddInstalledPackage,
// package.go PackageToInstalled), so that an image built by distill carries the bytes apko's would:
// per package the fields in apko's order `P V A L T o m U D p [r] c i t S I k [C]` (U:, D:, p:
// written even when empty, k:0, i:[] for no install_if), then its files grouped by directory:
// `F:dir` (+ `M:uid:gid:mode` when not 0:0:0755), `R:name` (+ `a:uid:gid:mode` when not
// 0:0:0644) and `Z:Q1…` (the file's SHA-1). Records end with a blank line.
// The same text is also read back (ParseInstalledDb), keeping every field the writer writes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::imagebuild::apk {

struct InstalledFile {
  std::string path;  // relative to the root: "etc/os-release", "usr/bin" (no leading '/')
  bool dir = false;
  uint32_t mode = 0644;  // permission bits (07777)
  uint32_t uid = 0, gid = 0;
  std::string checksum;  // "Q1<base64 sha1>" of a file's content or a symlink's target; "" none
};

struct InstalledPackage {
  std::string name, version, arch, license, description, origin, maintainer, url, commit;
  std::vector<std::string> depends, provides, replaces, install_if;
  int64_t build_time = 0;  // t:
  uint64_t size = 0;       // S: the .apk's size
  uint64_t installed_size = 0;
  uint64_t provider_priority = 0;
  std::string checksum;  // C: "Q1…", the package identity; "" writes no C: line
  // What the package installed, in its data tar's order (apko sorts them stably from there).
  std::vector<InstalledFile> files;
};

// One record, blank line included.
std::string RenderInstalledRecord(const InstalledPackage& pkg);
// The whole database: the records in the order given (apko's install order).
std::string RenderInstalled(const std::vector<InstalledPackage>& pkgs);

// The files in the order apko writes them: Go's sort.SliceStable with apko's pathCompare (within
// a directory, files before subdirectories), then without entries whose parent directory the
// package does not list.
std::vector<InstalledFile> InstalledOrder(const std::vector<InstalledFile>& files);

// Reads an installed database (ours or apko's or apk-tools'): "line 12: ..." on a malformed line.
Result<std::vector<InstalledPackage>> ParseInstalledDb(std::string_view text);

// "Q1" + base64 of a 20-byte SHA-1 given in hex (a PAX APK-TOOLS.checksum.SHA1 value); a value
// that already starts with "Q1" is returned as it is; "" when `hex` is not 40 hex digits.
std::string Q1FromHex(std::string_view hex);

}  // namespace distill::imagebuild::apk
