// The image module's front door: name a source the way syft/grype do, open it, and read it once
// into a file view. Everything downstream (catalogers, audit, compare) starts from LoadImage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "image/archive.h"
#include "image/file_index.h"
#include "image/layer_reader.h"

namespace distill::image {

// A source string split into scheme, path and optional REF:
//   docker-archive:PATH[:TAG]  oci-archive:PATH[:REF]  oci-dir:PATH[:REF]  dir:PATH
// Without a scheme the kind is detected from what PATH is (registry: comes with its own issue).
struct SourceSpec {
  std::string scheme;
  std::string path;
  std::string ref;
  std::string text;  // as the user wrote it
};
Result<SourceSpec> ParseSource(std::string_view text);

struct LoadOptions {
  Platform platform;  // empty = the host's
  ContentPlan plan;
  LayerLimits limits;
  int threads = 0;           // 0 = one per core
  bool keep_layers = false;  // keep every layer's own entries (ls --all-layers)
  GzipBackend gzip = GzipBackend::kIsal;
  bool pipeline = true;  // inflate each layer on its own thread, a few MB ahead of the tar parser
};

struct LayerStats {
  uint64_t tar_size = 0;  // uncompressed
  uint64_t entries = 0;   // tar entries, whiteouts included
};

struct LoadedImage {
  SourceSpec source;
  ImageMeta meta;  // layer digests filled in (legacy docker-archive layers get the computed one)
  FileIndex files;
  std::vector<LayerStats> layer_stats;          // one per layer; empty for dir:
  std::vector<std::vector<Entry>> layer_entries;  // with keep_layers
};

// Opens only the metadata (manifest, config, layer descriptors).
Result<std::unique_ptr<Archive>> OpenArchive(const SourceSpec& src, const Platform& platform);

// Opens, streams every layer once (in parallel), verifies digests and diff_ids, and squashes.
Result<LoadedImage> LoadImage(std::string_view source, const LoadOptions& opt);

}  // namespace distill::image
