// Reading a .deb without dpkg: the ar container, control.tar.* (control, md5sums, conffiles) and
// data.tar.{gz,xz,zst,bz2,} through libarchive. Maintainer scripts are never run; they are not
// even kept. Paths are normalized ("./usr/bin/x" -> "usr/bin/x") and confined (no "..").
// Format: deb(5).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "image/writer_tar.h"
#include "util/result.h"

namespace distill::imagebuild {

struct Deb {
  std::string control;                          // DEBIAN/control: one paragraph
  std::string md5sums;                          // DEBIAN/md5sums ("" when the package has none)
  std::string conffiles;                        // DEBIAN/conffiles
  std::string name, version, arch, multi_arch;  // from control
  std::vector<image::TarItem> files;            // data.tar entries, in archive order
  int64_t newest_mtime = 0;                     // the newest mtime in data.tar
};

// A .deb in the download cache (CACHE/blobs/sha256/HEX) also uses the unpack cache
// CACHE/unpacked/HEX.tar.zst (its data.tar, decompressed, then zstd level 1), made on first read.
Result<Deb> ReadDeb(const std::string& path);
// control_only: the control fields only; data.tar is not unpacked (files stays empty).
// unpacked: the unpack cache file for this .deb ("" = none).
Result<Deb> ParseDeb(std::string_view bytes, std::string_view name, bool control_only = false,
                     const std::string& unpacked = "");
// What a .deb is (name, version, architecture) without unpacking its files.
Result<Deb> ReadDebControl(const std::string& path);

// "./usr/bin/x" or "/usr/bin/x" -> "usr/bin/x"; "" for the root; error for ".." or NUL.
Result<std::string> NormalizeDebPath(std::string_view path);

}  // namespace distill::imagebuild
