// Pieces every format shares: media types, configs, verified small blobs.
#include "image/archive.h"
#include "image/archive_internal.h"

#include "util/digest.h"

namespace distill::image {

Result<std::optional<Compression>> LayerCompression(std::string_view mt) {
  static const std::pair<std::string_view, Compression> kLayerTypes[] = {
      {"application/vnd.oci.image.layer.v1.tar", Compression::kNone},
      {"application/vnd.oci.image.layer.v1.tar+gzip", Compression::kGzip},
      {"application/vnd.oci.image.layer.v1.tar+zstd", Compression::kZstd},
      {"application/vnd.oci.image.layer.nondistributable.v1.tar", Compression::kNone},
      {"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", Compression::kGzip},
      {"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", Compression::kZstd},
      {"application/vnd.docker.image.rootfs.diff.tar", Compression::kNone},
      {"application/vnd.docker.image.rootfs.diff.tar.gzip", Compression::kGzip},
      {"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", Compression::kGzip},
      {"application/vnd.docker.image.rootfs.diff.tar.zstd", Compression::kZstd},
  };
  if (mt.empty()) return std::optional<Compression>{};
  for (const auto& [name, c] : kLayerTypes)
    if (name == mt) return std::optional<Compression>{c};
  return Errorf("unsupported layer media type '{}'", mt);
}

Status ApplyConfig(ImageMeta* meta, const std::string& bytes) {
  auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Errorf("config {}: not a JSON object", ShortDigest(meta->config_digest));
  const auto& rootfs = j.value("rootfs", nlohmann::json::object());
  const auto& diff_ids = rootfs.is_object() ? rootfs.value("diff_ids", nlohmann::json::array()) : nlohmann::json::array();
  if (!diff_ids.is_array()) return Errorf("config {}: rootfs.diff_ids is not an array", ShortDigest(meta->config_digest));
  if (diff_ids.size() != meta->layers.size())
    return Errorf("config {}: {} diff_ids for {} layers", ShortDigest(meta->config_digest), diff_ids.size(), meta->layers.size());
  for (size_t i = 0; i < diff_ids.size(); ++i) {
    if (!diff_ids[i].is_string()) return Errorf("config: rootfs.diff_ids[{}] is not a string", i);
    std::string d = diff_ids[i].get<std::string>();
    auto ok = ValidateDigest(d);
    if (!ok.ok()) return std::move(ok).error().wrap(fmt::format("config: rootfs.diff_ids[{}]", i));
    meta->layers[i].diff_id = d;
  }
  // History entries without empty_layer correspond, in order, to the layers.
  if (auto h = j.find("history"); h != j.end() && h->is_array()) {
    size_t li = 0;
    for (const auto& e : *h) {
      if (!e.is_object() || e.value("empty_layer", false)) continue;
      if (li >= meta->layers.size()) break;
      auto cb = e.find("created_by");
      if (cb != e.end() && cb->is_string()) meta->layers[li].created_by = cb->get<std::string>();
      ++li;
    }
  }
  meta->platform.os = j.value("os", "");
  meta->platform.arch = j.value("architecture", "");
  meta->platform.variant = j.value("variant", "");
  meta->config = std::move(j);
  return {};
}

Result<std::string> ReadVerifiedBlob(const ArchiveFiles& files, std::string_view digest, std::string_view what,
                                     int64_t want_size) {
  auto valid = ValidateDigest(digest);
  if (!valid.ok()) return std::move(valid).error().wrap(fmt::format("{}: {}", files.name(), what));
  std::string path = BlobPath(digest);
  if (!files.Exists(path)) return Errorf("{}: {} {}: blob missing ({})", files.name(), what, ShortDigest(digest), path);
  DISTILL_TRY(std::string data, files.ReadSmall(path));
  if (want_size >= 0 && static_cast<uint64_t>(want_size) != data.size())
    return Errorf("{}: {} {}: size {} does not match the descriptor's {}", files.name(), what, ShortDigest(digest),
                  data.size(), want_size);
  std::string got = Sha256Digest(data);
  if (got != digest)
    return Errorf("{}: {} {}: digest mismatch (content is {})", files.name(), what, ShortDigest(digest), ShortDigest(got));
  return data;
}

std::string BlobPath(std::string_view digest) {
  auto colon = digest.find(':');
  return fmt::format("blobs/{}/{}", digest.substr(0, colon), digest.substr(colon + 1));
}

std::string TagList(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : ", ") + t;
  return out.empty() ? "(none)" : out;
}

}  // namespace distill::image
