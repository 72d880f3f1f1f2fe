// OCI / Docker v2 manifests, indexes and descriptors, shared by every source that speaks them
// (OCI layouts on disk or in a tar, registries): parse, pick a platform, descend to one image.
// https://github.com/opencontainers/image-spec/blob/main/manifest.md and image-index.md
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/archive.h"
#include "util/result.h"

namespace distill::image {

// The annotation that names an image in an OCI layout's index.json (its tag).
inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";

struct Descriptor {
  std::string media_type, digest;
  int64_t size = -1;
  std::string ref;  // org.opencontainers.image.ref.name
  Platform platform;
  bool has_platform = false;
  // Set on OCI 1.1 artifacts (SBOMs, signatures, ...): not images. An image entry whose
  // artifactType is its config media type (go-containerregistry's layouts) reads as "".
  std::string artifact_type;
};

bool IsIndexMediaType(std::string_view mt);
bool IsManifestMediaType(std::string_view mt);

Result<nlohmann::json> ParseJsonObject(std::string_view bytes, std::string_view what);
Result<Descriptor> ParseDescriptor(const nlohmann::json& j, std::string_view where);
Result<std::vector<Descriptor>> ParseIndexManifests(const nlohmann::json& index,
                                                    std::string_view where);
// The descriptor for `want` among an index's manifests; the error lists the platforms present.
Result<Descriptor> PickPlatform(const std::vector<Descriptor>& all, const Platform& want,
                                std::string_view where);

enum class BlobKind { kManifest, kConfig };
// Returns a blob's bytes, verified against the descriptor's digest and size.
using BlobFetcher = std::function<Result<std::string>(const Descriptor&, BlobKind)>;

// Told the layers (digest, size, compression) once the manifest is read, before the config is
// fetched: a registry source starts downloading the first layers meanwhile.
using LayersKnown = std::function<void(const std::vector<LayerInfo>&)>;

// From a descriptor of an index or a manifest to one image's metadata: descends through indexes by
// platform, reads the manifest and the config. Layer paths are set to blobs/<alg>/<hex>.
Result<ImageMeta> ResolveImage(Descriptor d, const BlobFetcher& fetch, const Platform& want,
                               std::string_view name, const LayersKnown& layers_known = nullptr);

}  // namespace distill::image
