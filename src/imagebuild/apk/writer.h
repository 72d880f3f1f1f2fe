// APK v2 packages from a directory: the packaging step of melange (melange:pkg/build/package.go),
// without a build sandbox. A package is three concatenated gzip members
// (apk-tools:doc/apk-v2.5.scd):
//   signature  tar of `.SIGN.RSA256.<key name>` without end blocks (absent when unsigned)
//   control    tar of `.PKGINFO` without end blocks; signed: RSA PKCS#1 v1.5 over SHA-256 of
//              this member's compressed bytes
//   data       tar of the files, sorted by path, with a pax `APK-TOOLS.checksum.SHA1` record for
//              each regular file (SHA-1 of its content) and symlink (of its target), ending the
//              archive; `.PKGINFO`'s datahash is the SHA-256 of this member's compressed bytes
// The package's identity is "Q1" + base64(SHA-1 of the compressed control member): the `C:` of
// an APKINDEX and of the installed database. Reproducible: the same files, metadata and
// SOURCE_DATE_EPOCH give the same bytes (owners 0:0 unless kept, every mtime = the epoch, gzip
// headers without time or name, libdeflate level 9).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "image/writer_tar.h"
#include "imagebuild/apk/keygen.h"
#include "util/result.h"

namespace distill::imagebuild::apk {

// What `.PKGINFO` says (apk-tools:src/package.c, the keys of apk_pkg_add_info).
struct PackageInfo {
  std::string name, version;  // pkgname, pkgver ("1.2.3-r0")
  std::string arch = "x86_64";
  std::string description, url, commit, maintainer, license;
  std::string origin;  // "" = name
  std::vector<std::string> depends, provides, replaces;
  int64_t provider_priority = 0;
};

struct PackOptions {
  PackageInfo info;
  // Every file's mtime, and `builddate` (omitted when 0, as melange omits it).
  int64_t source_date_epoch = 0;
  bool keep_owners = false;  // the files' uid/gid instead of 0:0
  // Add what melange's dependency scan adds: `cmd:NAME=VERSION` provides for executables in
  // bin, sbin, usr/bin, usr/sbin; `so:SONAME=VER` provides for shared libraries named *.so.*;
  // `so:LIB` depends for each DT_NEEDED library (and the PT_INTERP's name) not provided inside.
  bool scan_dependencies = true;
  const SigningKey* key = nullptr;  // null: unsigned (two members)
};

struct Apk {
  std::string bytes;     // the .apk file
  std::string pkginfo;   // .PKGINFO
  std::string datahash;  // hex SHA-256 of the compressed data member
  std::string identity;  // Q1…
  uint64_t installed_size = 0;
  std::string file_name;  // NAME-VERSION.apk
};

// Checks name, version and arch as apk-tools needs them (non-empty, no whitespace or '/',
// a valid apk version); the error names the field.
Status ValidatePackageInfo(const PackageInfo& info);

// The files under dir (not dir itself), as the data tar holds them: regular files, directories and
// symlinks with their permission bits; a hardlinked file is stored once per path. Sockets, fifos
// and devices are errors naming the file.
Result<std::vector<image::TarItem>> ReadTree(const std::string& dir, bool keep_owners);

// The package of these files (paths relative, as ReadTree gives them).
Result<Apk> PackItems(std::vector<image::TarItem> items, const PackOptions& opt);
Result<Apk> PackDirectory(const std::string& dir, const PackOptions& opt);

// `.PKGINFO` in melange's key order (melange:pkg/build/package.go controlTemplate): pkgname,
// pkgver, arch, size, origin, pkgdesc, url, commit, maintainer?, builddate?, license?, depend*,
// provides*, replaces*, provider_priority?, datahash.
std::string PkgInfoText(const PackageInfo& info, uint64_t installed_size, int64_t builddate,
                        std::string_view datahash);

// One gzip member of data (RFC 1952: no name, mtime 0, OS unix), libdeflate level 9. APK members
// must each be one gzip member: apk-tools hashes per member boundary.
std::string GzipOneMember(std::string_view data);

// A tar entry's header + data (+ padding) without end blocks, owner 0:0, mode 0644.
Result<std::string> TarFragment(const std::string& name, std::string_view data, int64_t mtime);

// The gzip'd signature member: `.SIGN.RSA256.<key name>` holding the signature over signed_bytes.
Result<std::string> SignatureMember(const SigningKey& key, std::string_view signed_bytes,
                                    int64_t mtime);

}  // namespace distill::imagebuild::apk
