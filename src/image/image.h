// The image module's front door: name a source the way syft/grype do, open it, and read it once
// into a file view. Everything downstream (catalogers, audit, compare) starts from LoadImage.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "image/archive.h"
#include "image/diffid_cache.h"
#include "image/file_index.h"
#include "image/layer_reader.h"
#include "image/registry/client.h"

namespace distill::image {

// A source string split into scheme, path and optional REF:
//   docker-archive:PATH[:TAG]  oci-archive:PATH[:REF]  oci-dir:PATH[:REF]  dir:PATH
//   registry:HOST[:PORT]/REPO[:TAG|@DIGEST] (path = the reference)
//   docker:REF  podman:REF (path = the reference: the image in that engine, engine/engine.h)
//   oci:PATH[:REF] (skopeo's spelling) is oci-dir:
// Without a scheme the kind is detected from what PATH is; a path that does not exist and reads as
// an image reference ("alpine:3.18", "127.0.0.1:5000/app:1") gets the scheme "lookup": LoadImage
// tries docker, podman, then the registry, as syft does. A word before ':' that is a misspelt
// scheme ("dockr-archive:x.tar") or is followed by a path is an "unknown scheme" error.
struct SourceSpec {
  std::string scheme;
  std::string path;
  std::string ref;
  std::string text;  // as the user wrote it
};
Result<SourceSpec> ParseSource(std::string_view text);

// The source with `scheme` forced (--from): "docker" + "alpine" is "docker:alpine". A source that
// names a scheme itself keeps it when it is the same one; another is an error.
Result<std::string> WithScheme(std::string_view scheme, std::string_view source);
// The schemes --from takes, in the order the help lists them.
const std::vector<std::string>& SourceSchemes();

struct LoadOptions {
  Platform platform;  // empty = the host's
  ContentPlan plan;
  LayerLimits limits;
  int threads = 0;           // 0 = one per core
  bool keep_layers = false;  // keep every layer's own entries (ls --all-layers)
  GzipBackend gzip = GzipBackend::kIsal;
  bool pipeline = true;  // inflate each layer on its own thread, a few MB ahead of the tar parser
  registry::Options registry;  // TLS, credentials and blob cache for registry: sources
  // A layer blob is always checked against the digest the manifest pins. Its tar is also hashed
  // against the config's diff_id when the blob is the tar (then it is the same hash), when the
  // image names no digest for it (legacy docker-archive layers), or with verify_diff_ids: the
  // check docker pull makes, which costs a SHA-256 of every compressed layer's whole tar.
  bool verify_diff_ids = false;
  DiffIdCache
      diff_ids;  // verified digest -> diff_id pairs, used with verify_diff_ids (the CLI sets it)
  bool capabilities = true;  // dir: read executables' security.capability (off when nobody looks)
  bool dir_metadata = true;  // dir: lstat directories and symlinks too (off when only types count)
  // Called on this thread once every layer of an image is read, before they are squashed (not for
  // dir:): the CLI backs the heap with huge pages there (doc/design.md, "Footprint").
  std::function<void()> after_layers;
};

// How a layer's tar was matched with the config's diff_id.
enum class DiffIdCheck {
  kHashed,   // the tar was hashed (for an uncompressed blob, the digest's hash is the diff_id)
  kCached,   // LoadOptions::diff_ids held this blob digest's verified diff_id: not hashed again
  kTrusted,  // not hashed: the blob's digest was checked and verify_diff_ids was off
};

struct LayerStats {
  uint64_t tar_size = 0;  // uncompressed
  uint64_t entries = 0;   // tar entries, whiteouts included
  DiffIdCheck diff_id = DiffIdCheck::kHashed;
};

struct LoadedImage {
  SourceSpec source;
  ImageMeta meta;  // layer digests filled in (legacy docker-archive layers get the computed one)
  FileIndex files;
  std::vector<LayerStats> layer_stats;            // one per layer; empty for dir:
  std::vector<std::vector<Entry>> layer_entries;  // with keep_layers
};

// Opens only the metadata (manifest, config, layer descriptors).
Result<std::unique_ptr<Archive>> OpenArchive(const SourceSpec& src, const Platform& platform,
                                             const registry::Options& registry = {});

// Opens, streams every layer once (in parallel), verifies digests (and diff_ids, see
// LoadOptions::verify_diff_ids), and squashes.
Result<LoadedImage> LoadImage(std::string_view source, const LoadOptions& opt);

}  // namespace distill::image
