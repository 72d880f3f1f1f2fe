// Signed APKINDEX.tar.gz for a directory of .apk files, as `apk index` + `abuild-sign` (or
// `melange index --signing-key`) make it: a signature member (`.SIGN.RSA256.<key name>`, RSA
// PKCS#1 v1.5 over SHA-256 of the compressed bytes after it) and one gzip member holding the tar
// entries APKINDEX and DESCRIPTION, with end blocks (apk-tools:doc/apk-v2.5.scd).
//
// APKINDEX is one blank-line-terminated block per package, fields in apk-tools' order
// (apk-tools:src/package.c apk_pkg_write_index_header): C P V A S I T U L o m t c k D p i, with
// C = the package's Q1 identity and S = the .apk file's size. Which fields appear follows go-apk
// (apko:pkg/apk/apk/apkindex.go, what made the indexes apko reads): empty U, L, o, m, c, k, D, p, i
// are left out, T and t are always written (t:0 without a builddate).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/apk/keygen.h"
#include "util/result.h"

namespace distill::imagebuild::apk {

// The parts of a package an index needs, read from its bytes: a local stand-in for apkread's
// package reader (the lead unifies them at merge). Bounded: a member inflating past 64 MiB is
// refused.
struct ApkControl {
  std::string control_member;  // compressed bytes of the control member
  std::string pkginfo;         // .PKGINFO text
  uint64_t data_offset = 0;    // where the data member starts in the file
};
Result<ApkControl> ReadApkControl(std::string_view apk);

// `.PKGINFO` as key → values (repeated keys keep every value in order); '#' lines skipped.
// An error names the line.
Result<std::multimap<std::string, std::string>> PkgInfoFields(std::string_view text);

// One APKINDEX block (ending with the blank line) for a package of file_size bytes.
Result<std::string> IndexEntry(std::string_view apk, uint64_t file_size);

struct IndexOptions {
  std::string description;          // DESCRIPTION's content
  int64_t source_date_epoch = 0;    // the tar entries' mtime
  const SigningKey* key = nullptr;  // null: an unsigned index
};

struct IndexResult {
  std::string archive;  // APKINDEX.tar.gz bytes
  std::string text;     // the APKINDEX text
  size_t packages = 0;
};

// The index of every *.apk directly in dir (sorted by name, then version, then file name). An
// unreadable or inconsistent package (datahash not matching its data) is an error naming the file.
Result<IndexResult> BuildIndex(const std::string& dir, const IndexOptions& opt);

// BuildIndex, then dir/APKINDEX.tar.gz written atomically.
Result<IndexResult> WriteIndex(const std::string& dir, const IndexOptions& opt);

}  // namespace distill::imagebuild::apk
