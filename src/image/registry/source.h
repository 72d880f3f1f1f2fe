// The registry: image source: resolves a reference (tag or digest) through index → manifest →
// config with every blob verified (image/manifest.h), and opens layers as streams (blob_reader.h).
#pragma once

#include <memory>
#include <string>

#include "image/archive.h"
#include "image/registry/client.h"
#include "image/registry/reference.h"

namespace distill::image::registry {

struct Manifest {
  std::string bytes, media_type, digest;
};
// GET /v2/REPO/manifests/REF; checks the digest when REF is one, and the registry's
// Docker-Content-Digest header when it sends one.
Result<Manifest> FetchManifest(Client& client, const std::string& repository,
                               const std::string& ref);
// A small blob (config) by digest, verified against digest and size (-1: unknown).
Result<std::string> FetchSmallBlob(Client& client, const std::string& repository,
                                   const std::string& digest, int64_t size);

// Opens registry:REF. The archive's meta has scheme "registry", location = the reference.
Result<std::unique_ptr<Archive>> OpenRegistryImage(std::string_view ref, const Platform& want,
                                                   const Options& opt);

}  // namespace distill::image::registry
