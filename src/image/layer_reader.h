// Reads one layer blob as a stream: hashes the stored bytes (digest) and the tar (diff_id),
// decompresses, lists every tar entry (whiteouts as kWhiteout/kOpaque markers), and keeps the
// contents a ContentPlan asks for. Nothing touches the disk.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "image/byte_stream.h"
#include "image/decompress.h"
#include "image/file_index.h"

namespace distill::image {

// Caps against hostile layers (decompression bombs, entry floods). Exceeding one is an error.
struct LayerLimits {
  uint64_t max_tar_bytes = 64ull << 30;      // uncompressed bytes per layer
  uint64_t max_entries = 2'000'000;          // entries per layer
  uint64_t max_captured_bytes = 1ull << 30;  // contents kept in memory per layer
};

struct LayerData {
  std::vector<Entry> entries;  // tar order; hardlink sizes are filled in when squashing
  std::unordered_map<std::string, std::string> contents;
  std::string digest;   // sha256 of the blob as stored
  std::string diff_id;  // sha256 of the uncompressed tar
  uint64_t stored_size = 0, tar_size = 0;
  Compression compression = Compression::kNone;
};

// How to read one layer blob; every field has a default.
struct ReadLayerOptions {
  // nullopt sniffs the magic bytes; a media type whose compression disagrees with them is an error.
  std::optional<Compression> compression;
  int32_t layer_index = 0;  // recorded in every entry
  LayerLimits limits;
  GzipBackend gzip = GzipBackend::kIsal;
  bool pipeline = false;  // decompress on a second thread (see async_reader.h)
  // The diff_id to report for a compressed blob instead of hashing its tar: the one a verified
  // earlier read of a blob with the expected digest gave (diffid_cache.h), or the config's when
  // the caller does not check diff_ids. The caller must still check LayerData::digest against the
  // expected digest: only that ties the blob to the config.
  std::string_view known_diff_id;
  // The blob's size where known (a manifest says it), to size the entry list once.
  uint64_t stored_size = 0;
};

// Reads `blob` in one pass, keeping the contents `plan` asks for.
Result<LayerData> ReadLayer(std::unique_ptr<ByteStream> blob, const ContentPlan& plan,
                            const ReadLayerOptions& opt = {});

}  // namespace distill::image
