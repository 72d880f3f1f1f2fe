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
#include <string>

#include "imagebuild/apk/keygen.h"
#include "imagebuild/apk/package.h"
#include "util/result.h"

namespace distill::imagebuild::apk {

// One APKINDEX block (ending with the blank line) for a package read by ReadPackage (control
// only is enough) from a file of file_size bytes.
std::string IndexBlock(const Package& pkg, uint64_t file_size);

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

// The index of every *.apk directly in dir (sorted by name, then version, then file name), each
// read by ReadPackage without its files. An unreadable or inconsistent package (datahash not
// matching its data) is an error naming the file.
Result<IndexResult> BuildIndex(const std::string& dir, const IndexOptions& opt);

// BuildIndex, then dir/APKINDEX.tar.gz written atomically.
Result<IndexResult> WriteIndex(const std::string& dir, const IndexOptions& opt);

}  // namespace distill::imagebuild::apk
