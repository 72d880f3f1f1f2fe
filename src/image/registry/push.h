// Pushes an OCI image layout (one image, or a multi-platform index with its images) to a
// registry: blobs the registry has are skipped (HEAD), others are mounted from another repository
// of the same registry when one is named, else uploaded (monolithic, or chunked with PATCH);
// then each manifest, then the index; then the OCI 1.1 artifacts (SBOM referrers) the layout's
// index.json lists for a pushed manifest, with the fallback tag sha256-<hex> where the registry has
// no referrers API. `distill push` and `distill build --push` call this.
#pragma once

#include <functional>
#include <string>

#include "image/registry/client.h"

namespace distill::image::registry {

struct PushOptions {
  Options registry;
  std::string mount_from;   // a repository on the same registry that may hold the blobs
  uint64_t chunk_size = 0;  // > 0: blobs larger than this go up in PATCH chunks of this size
};

struct PushStats {
  int blobs_uploaded = 0, blobs_skipped = 0, blobs_mounted = 0, manifests = 0;
  uint64_t bytes_uploaded = 0;
};

// Pushes the image `layout_ref` names (org.opencontainers.image.ref.name; empty = the layout's
// only image) from the layout directory to `dest` (HOST[:PORT]/REPO[:TAG], tag "latest" when
// omitted; pushing to @DIGEST checks the digest). Returns the digest of the top manifest or index.
Result<std::string> PushOciLayout(const std::string& layout_dir, const std::string& layout_ref,
                                  std::string_view dest, const PushOptions& opt,
                                  PushStats* stats = nullptr);

}  // namespace distill::image::registry
