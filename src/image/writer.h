// Writing images: layers (deterministic tar + gzip), OCI config/manifest/index JSON, and the three
// outputs distill reads back (oci-dir:DIR, oci-archive:FILE, docker-archive:FILE), or a load into a
// container engine (docker:NAME, podman:NAME). Everything is a pure function of its inputs — no
// wall clock, no host names, no random ids — and every output is written to a temporary name first
// and renamed into place (an engine stores a load whole or not at all), so a failed write leaves
// nothing.
// https://github.com/opencontainers/image-spec (image-layout.md, manifest.md, config.md,
// image-index.md)
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/archive.h"
#include "util/result.h"

namespace distill::image {

struct LayerInput {
  std::string tar;         // the uncompressed layer (WriteTar)
  std::string created_by;  // its history entry
};

struct ImageInput {
  Platform platform;
  nlohmann::json config =
      nlohmann::json::object();  // the config's "config" (Env, Entrypoint, User, ...)
  std::vector<LayerInput> layers;
  int64_t created = 0;  // config "created" and history times (Unix seconds)
  std::map<std::string, std::string> annotations;  // manifest annotations
  int gzip_level = 6;
  std::string layer_cache;  // directory of compressed layers by diff_id and encoder ("" = none)
};

struct Blob {
  std::string media_type, digest, bytes;
};

// One image ready to be written: its blobs (config, compressed layers, manifest) with digests.
struct BuiltImage {
  Platform platform;
  Blob manifest, config;
  std::vector<Blob> layers;  // gzip blobs, in order
  std::vector<std::string> diff_ids;
  std::vector<std::string> tars;  // the uncompressed layers (docker-archive stores these)
};

// Compresses the layers (in parallel, up to `threads`) and builds config + manifest.
Result<BuiltImage> BuildImage(ImageInput in, int threads = 0);

// Where to write: "oci-dir:DIR", "oci-archive:FILE", "docker-archive:FILE", or into a container
// engine: "docker:NAME[:TAG]", "podman:NAME[:TAG]" (its load endpoint, engine/engine.h; path =
// NAME).
struct OutputTarget {
  std::string scheme, path;
};
Result<OutputTarget> ParseOutputTarget(std::string_view text);

struct ImageSet {
  std::vector<BuiltImage> images;  // one per platform
  std::vector<std::string> tags;   // ref names (OCI; "latest" when empty) / RepoTags (docker)
  std::map<std::string, std::string> index_annotations;
  std::vector<Blob> extra_blobs;  // referrers etc., stored in OCI layouts only (AddReferrer)
  std::vector<nlohmann::json>
      extra_index_entries;  // referrer descriptors (OCI only; kReferrersAnnotation)
};

// The digest a reader resolves first: the image index's when there are several platforms, else the
// manifest's.
std::string TopDigest(const ImageSet& set);

// Writes the set. A docker-archive holds exactly one platform. Returns TopDigest(set).
Result<std::string> WriteImageSet(const ImageSet& set, const OutputTarget& out);

// An OCI 1.1 artifact (image-spec manifest.md "Guidelines for Artifact Usage"): a manifest with an
// artifactType, the empty config (application/vnd.oci.empty.v1+json, "{}"), one layer holding the
// bytes, and a subject — the image manifest it refers to, so `oras discover`/regctl and the
// registries' referrers API find it.
struct Artifact {
  std::string artifact_type;  // also the layer's media type, e.g. "application/spdx+json"
  std::string bytes;
  std::string title;  // the layer's org.opencontainers.image.title ("sbom.spdx.json")
  std::map<std::string, std::string> annotations;  // the manifest's
};

// The annotation of an OCI layout's index.json that names the image index listing the layout's
// referrers (artifact descriptors with artifactType, as the referrers API answers). They are not
// in index.json's own manifests, which list only the image, so that podman load and podman pull
// oci:DIR (containers/image wants exactly one entry there when no REF is given) read the layout.
inline constexpr const char* kReferrersAnnotation = "dev.distill.referrers";

// Adds `a` to an OCI output of `set` as a referrer of `subject` (an image manifest): its blobs go
// to extra_blobs, its descriptor (with artifactType) to the referrers index (kReferrersAnnotation).
// Returns the artifact manifest.
Blob AddReferrer(ImageSet* set, const Blob& subject, const Artifact& a);

// Brings an output WriteImageSet wrote from `set` up to date after extra blobs and index entries
// were added to it: an oci-dir gets the new blobs, then a new index.json (each written atomically);
// an oci-archive is written again; a docker-archive (no place for referrers) is left as it is.
Status UpdateOutput(const ImageSet& set, const OutputTarget& out);

// An OCI descriptor JSON object.
nlohmann::json DescriptorJson(const Blob& b);

// "2024-05-01T12:00:00Z".
std::string Rfc3339(int64_t unix_seconds);

}  // namespace distill::image
