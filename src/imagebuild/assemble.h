// From verified .deb files to image layers, the way distroless images are made: each package's
// data.tar (merged /usr, slices and excludes applied; copyright files always kept) plus its package
// database record, and one layer with what maintainer scripts would have made (accounts,
// nsswitch.conf, /tmp, home directories, os-release, the CA bundle) and the spec's own files.
// A path written by a later layer is removed from the earlier one, so no layer holds shadowed
// bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/writer_tar.h"
#include "imagebuild/deb/deb.h"
#include "imagebuild/spec.h"

namespace distill::imagebuild {

struct AssembleInput {
  const Spec* spec = nullptr;
  std::string arch = "amd64";
  std::vector<Deb> debs;           // the packages to install (any order; installed sorted by name)
  const Deb* ca_source = nullptr;  // ca-certificates for spec->ca_bundle when it is not installed
  std::string spec_dir = ".";      // relative `files` sources are resolved from here
};

struct AssembledLayer {
  std::string created_by;
  std::vector<image::TarItem> items;
};

struct Assembled {
  std::vector<AssembledLayer> layers;
  nlohmann::json config;       // the image config's "config": Env, Entrypoint, Cmd, User, ...
  uint64_t package_bytes = 0;  // regular-file bytes kept from packages
};

Result<Assembled> Assemble(const AssembleInput& in);

// usr-merge: "bin/x" -> "usr/bin/x", "lib64/ld.so" -> "usr/lib64/ld.so"; others unchanged.
std::string MergedUsrPath(std::string_view path);

// The mtime every entry gets: SOURCE_DATE_EPOCH when set, else the newest package file date.
Result<int64_t> BuildEpoch(const std::vector<Deb>& debs);

}  // namespace distill::imagebuild
