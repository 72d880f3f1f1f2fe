// The lock file of an APK build: which package, by identity, each architecture installs, so a
// build with the lock installs exactly those packages or fails naming what drifted. apko's users'
// most requested fix ("a lock that locks"): apko's lock records the packages but still resolves
// against whatever the repositories list today.
//
// distill's own format, consistent with the Debian distill.lock (imagebuild/deb/apt/lock.cc):
//   # distill.lock v1 apk
//   NAME VERSION ARCH Q1… DATAHASH SIZE URL
// one line per package, sorted by arch then name; DATAHASH is "-" when not locked, SIZE 0 when
// unknown; blank lines and '#' comments are allowed. apko's apko.lock.json v1
// (apko pkg/lock/lock.go) is read too: ReadApkLock tells the two apart by the first byte that is
// not blank ('{' is apko's).
//
// Using a lock (doc/build-apk.md, "Lock file"):
//   1. RestrictToLock: every repository keeps only the entries whose identity the lock pins for
//      the arch; a pinned package no repository lists any more is an error.
//   2. Resolve (solver.h) the world against the restricted repositories, as without a lock: a
//      world the lock cannot satisfy fails with the solver's chain of requirements.
//   3. CheckResolution: a pinned package the world no longer needs is drift too.
//   4. CheckFetched on every package read: identity, datahash and size must be the lock's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/apk/index.h"
#include "imagebuild/apk/package.h"
#include "imagebuild/apk/solver.h"
#include "util/result.h"

namespace distill::imagebuild::apk {

struct LockedPackage {
  std::string name;
  std::string version;
  std::string arch;      // the image's APK arch ("x86_64"), also for a noarch package
  std::string checksum;  // "Q1…": the identity (C: of the index, apko's lock "checksum")
  std::string datahash;  // hex SHA-256 of the compressed data member; "" = not locked
  uint64_t size = 0;     // bytes of the .apk; 0 = unknown
  std::string url;       // where it was fetched: REPOSITORY/ARCH/NAME-VERSION.apk as the spec says
  bool operator==(const LockedPackage&) const = default;
};

struct ApkLock {
  std::vector<LockedPackage> packages;
  std::string source;  // the file, for messages ("distill.lock")

  // The entry pinning identity `checksum` for `arch`, or nullptr.
  const LockedPackage* Find(std::string_view arch, std::string_view checksum) const;
};

// Reads distill.lock or apko.lock.json (by content). Errors "FILE:LINE: FIELD: what" (ours) or
// "FILE: contents.packages[1].checksum: expected a string" (apko's, naming the JSON path).
Result<ApkLock> ReadApkLock(const std::string& path);
Result<ApkLock> ParseApkLock(std::string_view text, const std::string& path);

// Writes distill's format atomically (temporary file + rename), sorted by arch then name.
Status WriteApkLock(const std::string& path, const ApkLock& lock);
// The text WriteApkLock writes.
Result<std::string> FormatApkLock(const ApkLock& lock);

// Keeps in each repository only the entries whose identity the lock pins for apk_arch. Errors: a
// pinned package no repository lists ("distill.lock pins busybox-1.36.1-r2 (Q1…) for x86_64, but
// no repository lists it"), a lock with nothing for apk_arch, an index entry whose identity is
// pinned under another name or version.
Status RestrictToLock(const ApkLock& lock, const std::string& apk_arch,
                      std::vector<Repository>* repos);

// Every package the lock pins for apk_arch is in the resolution, and nothing else: "distill.lock
// pins foo-1-r0 (Q1…) for x86_64, but the world no longer needs it: run with --update-lock".
Status CheckResolution(const ApkLock& lock, const std::string& apk_arch,
                       const Resolution& resolution);

// The package read (ReadPackage) is the one locked: identity, datahash (when locked) and size
// (when known) equal, else an error naming the package, the field, the locked and found values.
Status CheckFetched(const LockedPackage& locked, const Package& read);

// The lock entry for a resolved index entry and the package read for it. An error when the
// package is not the entry (another identity than the index's C:).
Result<LockedPackage> FromResolved(const IndexEntry& entry, const Package& read,
                                   const std::string& apk_arch, const std::string& url);

}  // namespace distill::imagebuild::apk
