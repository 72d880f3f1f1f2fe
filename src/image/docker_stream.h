// A `docker save` tar read front to back from a stream — the engine API's GET /images/{name}/get —
// without writing it anywhere. The member order is the engine's: podman sends the layer tars first
// and manifest.json near the end, dockerd sends manifest.json last too (legacy <id>/layer.tar or,
// since Docker 25, blobs/sha256/<hex>). So the reader cannot know which member is a layer when it
// passes: it keeps the small JSON members (manifest.json, configs, repositories) in memory and
// hands every other member to the layer reader as it streams by, keyed by its path; manifest.json,
// read at the end, then names which of them are the image's layers and in what order. Memory stays
// what reading the same layers from a file takes: one layer's entries and captured contents each.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "image/archive.h"
#include "image/layer_reader.h"

namespace distill::image {

struct StreamOptions {
  std::string name;  // for messages: "podman (/run/podman/podman.sock): app:1"
  ArchiveOptions archive;
  ContentPlan plan;
  LayerLimits limits;
  GzipBackend gzip = GzipBackend::kIsal;
  bool pipeline = true;
  uint64_t max_members = 100'000;
  uint64_t max_metadata_bytes = 64 << 20;  // all small members kept in memory, together
  // The image's diff_ids in layer order, when the engine said them beforehand (its inspect's
  // RootFS.Layers): a layer member named by its diff_id ("<hex>.tar" from podman,
  // "blobs/sha256/<hex>" from Docker 25+) is then read with its final layer index, which content
  // visitors (ContentPlan::visitor) see. Other members get the next index in stream order.
  std::vector<std::string> diff_ids;
};

struct StreamedImage {
  ImageMeta meta;  // from manifest.json and the config, as TryOpenDockerArchive reads them
  std::vector<Result<LayerData>> layers;  // one per meta.layers, in order
};

Result<StreamedImage> ReadDockerStream(ByteStream& stream, const StreamOptions& opt);

}  // namespace distill::image
