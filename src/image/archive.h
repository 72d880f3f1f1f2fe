// An image inside some container format: its metadata (manifest, config, layer descriptors) and
// a way to open each layer blob. One implementation per format (oci_layout.cc, docker_archive.cc,
// later registry), tried in turn by OpenArchive, like bloaty's TryOpen* chain.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/archive_files.h"
#include "image/byte_stream.h"
#include "image/decompress.h"
#include "util/result.h"

namespace distill::image {

struct Platform {
  std::string os, arch, variant;
  static Result<Platform> Parse(std::string_view s);  // "linux/amd64", "linux/arm64/v8"
  static Platform Host();
  std::string ToString() const;
  // Whether an image for `this` satisfies a request for `want` (empty variant = any).
  bool Satisfies(const Platform& want) const;
  bool empty() const { return os.empty() && arch.empty(); }
};

struct LayerInfo {
  std::string
      digest;  // of the blob as stored; for legacy docker-archive layers, filled in once read
  std::string media_type;  // "" when the format does not say (legacy docker-archive)
  uint64_t size = 0;       // stored (compressed) size
  std::optional<Compression> compression;  // nullopt: sniff from the bytes
  std::string diff_id;                     // from the config's rootfs.diff_ids
  std::string created_by;                  // the history entry that made the layer, if any
  std::string path;                        // where the blob is in the archive
};

struct ImageMeta {
  std::string scheme;    // "docker-archive", "oci-archive", "oci-dir", "dir", ...
  std::string location;  // the path as given
  std::string
      manifest_digest;  // empty when the format has no manifest blob (legacy docker-archive)
  std::string manifest_media_type;
  std::string config_digest;
  std::string index_digest;  // when picked from an index, the index's digest
  Platform platform;
  std::vector<std::string> tags;
  nlohmann::json config;  // the image config (OCI image config / Docker container config)
  std::vector<LayerInfo> layers;
};

class Archive {
 public:
  virtual ~Archive() = default;
  virtual const ImageMeta& meta() const = 0;
  ImageMeta& mutable_meta() { return const_cast<ImageMeta&>(meta()); }
  // Opens layer i's blob, as stored (compressed).
  virtual Result<std::unique_ptr<ByteStream>> OpenLayer(size_t i) const = 0;
};

struct ArchiveOptions {
  std::string ref;    // tag to pick (oci REF, docker-archive repo tag); empty = the only one
  Platform platform;  // empty = Platform::Host()
};

// nullopt when `files` is not in this format (so the next format can be tried).
std::optional<Result<std::unique_ptr<Archive>>> TryOpenOciLayout(
    std::shared_ptr<ArchiveFiles> files, const ArchiveOptions& opt);
std::optional<Result<std::unique_ptr<Archive>>> TryOpenDockerArchive(
    std::shared_ptr<ArchiveFiles> files, const ArchiveOptions& opt);

// Fills layer created_by and diff_ids from a parsed config; checks counts.
Status ApplyConfig(ImageMeta* meta, const std::string& config_bytes);

// Layer compression from a media type; error for media types that are not layers we can read.
Result<std::optional<Compression>> LayerCompression(std::string_view media_type);

}  // namespace distill::image
