// The entries a builder makes itself rather than takes from a package: directories, files,
// symlinks and character devices, and the spec's own `files` (local files, inline text, symlinks),
// shared by the Debian assembler (assemble.h) and the APK one (apk/build.h, apk/layout.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image/writer_tar.h"
#include "imagebuild/spec.h"

namespace distill::imagebuild {

image::TarItem DirItem(std::string path, uint32_t mode = 0755, uint32_t uid = 0, uint32_t gid = 0);
image::TarItem FileItem(std::string path, std::string data, uint32_t mode = 0644);
image::TarItem SymlinkItem(std::string path, std::string target);  // mode 0777
image::TarItem CharItem(std::string path, uint32_t major, uint32_t minor, uint32_t mode);

// One `files` entry of the spec as entries (a local directory: itself and everything under it, in
// path order), owned and moded as the entry says. Relative sources are read from spec_dir.
Status AddLocalFiles(const FileSpec& file, const std::string& spec_dir,
                     std::vector<image::TarItem>* out);

}  // namespace distill::imagebuild
