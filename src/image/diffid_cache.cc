#include "image/diffid_cache.h"

#include <filesystem>

#include "util/blob_cache.h"
#include "util/digest.h"
#include "util/file.h"

namespace distill::image {

namespace {
constexpr std::string_view kPrefix = "sha256:";

bool IsSha256Digest(std::string_view d) {
  return d.starts_with(kPrefix) && IsSha256Hex(DigestHex(d));
}
}  // namespace

std::string DiffIdCache::PathFor(std::string_view digest) const {
  return dir_ + "/sha256/" + std::string(DigestHex(digest));
}

DiffIdCache DiffIdCache::Default() { return DiffIdCache(BlobCache::Default().root() + "/diffids"); }

std::optional<std::string> DiffIdCache::Get(std::string_view digest) const {
  if (!enabled() || !IsSha256Digest(digest)) return std::nullopt;
  auto text = ReadFile(PathFor(digest), 128);
  if (!text.ok() || !IsSha256Digest(*text)) return std::nullopt;
  return std::move(*text);
}

void DiffIdCache::Put(std::string_view digest, std::string_view diff_id) const {
  if (!enabled() || !IsSha256Digest(digest) || !IsSha256Digest(diff_id)) return;
  std::error_code ec;
  std::filesystem::create_directories(dir_ + "/sha256", ec);
  // No fsync: it was ~1 ms at the end of the longest layer's read, and an entry a crash leaves
  // empty or missing is only a miss (Get checks the form, LoadImage compares with the config).
  if (!ec) (void)WriteFileAtomic(PathFor(digest), diff_id, Durable::kNo);
}

}  // namespace distill::image
