// Reading an APK v2 package (apk-tools doc/apk-v2.5.scd) in one pass over its bytes (an mmap'd
// file): the gzip members with their compressed byte ranges (signature, control, data), the
// signatures, .PKGINFO and the control scripts, the data tar's entries. Integrity is checked while
// reading: `datahash` against the SHA-256 of the compressed data member and every file's PAX
// APK-TOOLS.checksum.SHA1 against its content (a symlink's: against its target). Signatures are
// checked against a keyring by VerifyPackage. Every error names the package.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/apk/keyring.h"
#include "imagebuild/apk/members.h"
#include "imagebuild/apk/pkginfo.h"
#include "imagebuild/apk/signature.h"

namespace distill::imagebuild::apk {

// Size limits: a file past one is an error naming it, never an allocation of that size.
struct Limits {
  uint64_t max_members = 64;                // gzip members in the file
  uint64_t max_signature_member = 1 << 20;  // decompressed
  uint64_t max_control_member = 16 << 20;   // decompressed (.PKGINFO, scripts, .melange.yaml)
  uint64_t max_data_tar = 4ull << 30;       // decompressed data tar held in memory
  uint64_t max_entries = 1'000'000;         // tar entries per member
};

struct ReadOptions {
  bool files = true;  // false: control only (data member hashed for datahash, not inflated)
  Limits limits;
};

struct ControlFile {
  std::string name;  // ".post-install", ".trigger", ".melange.yaml", ...
  std::string content;
};

using DataEntry = TarEntry;  // path, type, mode, uid, gid, size, link, mtime, sha1, offset

struct Package {
  std::string file;                // the name errors use (a path or file name)
  std::vector<ByteRange> members;  // every gzip member, compressed ranges, in order
  ByteRange signature_member;      // size 0 when unsigned
  ByteRange control_member;
  ByteRange data_member;  // every member after the control member
  std::vector<Signature> signatures;
  ByteRange signed_range;   // what the signatures cover
  std::string signed_what;  // "the control member (bytes 666-2228)" for messages
  std::string pkginfo_text;
  PkgInfo info;
  std::vector<ControlFile> scripts;  // control entries after .PKGINFO
  std::string identity;              // "Q1…": ApkIdentity of the control member
  std::string data_sha256;           // hex SHA-256 of the compressed data member
  std::string data_tar;              // decompressed data member (ReadOptions::files)
  std::vector<DataEntry> files;      // its entries, in order ("./" itself left out)

  std::string_view Content(const DataEntry& e) const {
    return std::string_view(data_tar).substr(e.offset, e.size);
  }
};

// Reads and checks a package; name is used in messages ("libcap-2.69-r0.apk: datahash: ...").
Result<Package> ReadPackage(std::string_view bytes, std::string_view name,
                            const ReadOptions& opt = {});

// Checks the package's signatures over its signed range of bytes (the same bytes ReadPackage read).
Verification VerifyPackage(std::string_view bytes, const Package& pkg, const Keyring& keyring);

// ReadPackage + VerifyPackage; an error unless a key of the keyring verifies a signature.
Result<Package> ReadVerifiedPackage(std::string_view bytes, std::string_view name,
                                    const Keyring& keyring, const ReadOptions& opt = {});

}  // namespace distill::imagebuild::apk
