// Verified (layer digest → diff_id) pairs, as Docker keeps them (diffid-by-digest). The same
// compressed bytes always inflate to the same tar, so once a read has checked both a layer's
// digest and its diff_id, a later read of a blob with that digest (whose digest is checked again
// as it streams) need not hash the whole tar a second time: for pyflask that is 225 MB of SHA-256
// per pull. Only a pair whose diff_id equals the one the image config names is used; anything
// else (no entry, a malformed one, another diff_id) means hashing as always.
// Layout: DIR/sha256/<digest hex> holding "sha256:<diff_id hex>". A cache: a failed read or write
// only costs the hashing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace distill::image {

class DiffIdCache {
 public:
  DiffIdCache() = default;  // disabled
  explicit DiffIdCache(std::string dir) : dir_(std::move(dir)) {}
  // BlobCache::Default()'s root + "/diffids" ($DISTILL_CACHE, $XDG_CACHE_HOME, ~/.cache).
  static DiffIdCache Default();

  bool enabled() const { return !dir_.empty(); }
  // The diff_id recorded for this digest ("sha256:<hex>" both), if any and well-formed.
  std::optional<std::string> Get(std::string_view digest) const;
  // Records a pair whose digest and diff_id were both verified by a complete read.
  void Put(std::string_view digest, std::string_view diff_id) const;

 private:
  std::string PathFor(std::string_view digest) const;  // DIR/sha256/<hex>
  std::string dir_;
};

}  // namespace distill::image
