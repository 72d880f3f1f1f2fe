// Pieces every format shares: media types, configs, verified small blobs.
#include "image/archive.h"
#include "image/archive_internal.h"

#include "util/digest.h"

namespace distill::image {

namespace {

// The field, or nullptr when absent or null; `obj` must be an object.
const nlohmann::json* Field(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

Error JsonWrongType(const nlohmann::json& v, std::string_view key, std::string_view where,
                    std::string_view want) {
  std::string_view is = v.type_name();  // "number", "string", "boolean", "array", "object"
  return Errorf("{}: {} is {} {}, not {}", where, key, is == "array" || is == "object" ? "an" : "a",
                is, want);
}

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
  const std::string where = fmt::format("config {}", ShortDigest(meta->config_digest));
  auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Errorf("{}: not a JSON object", where);
  static const nlohmann::json kEmpty;
  auto rootfs = j.find("rootfs");
  if (rootfs != j.end() && !rootfs->is_object() && !rootfs->is_null())
    return JsonWrongType(*rootfs, "rootfs", where, "an object");
  const nlohmann::json& rfs = rootfs != j.end() ? *rootfs : kEmpty;
  auto ids = rfs.is_object() ? rfs.find("diff_ids") : rfs.end();
  const bool has_ids = rfs.is_object() && ids != rfs.end() && !ids->is_null();
  if (has_ids && !ids->is_array()) return JsonWrongType(*ids, "rootfs.diff_ids", where, "an array");
  const size_t n_ids = has_ids ? ids->size() : 0;
  if (n_ids != meta->layers.size())
    return Errorf("{}: {} diff_ids for {} layers", where, n_ids, meta->layers.size());
  for (size_t i = 0; i < n_ids; ++i) {
    const auto& id = (*ids)[i];
    if (!id.is_string()) return Errorf("{}: rootfs.diff_ids[{}] is not a string", where, i);
    std::string d = id.get<std::string>();
    auto ok = ValidateDigest(d);
    if (!ok.ok())
      return std::move(ok).error().wrap(fmt::format("{}: rootfs.diff_ids[{}]", where, i));
    meta->layers[i].diff_id = d;
  }
  // History entries without empty_layer correspond, in order, to the layers.
  if (auto h = j.find("history"); h != j.end() && !h->is_null()) {
    if (!h->is_array()) return JsonWrongType(*h, "history", where, "an array");
    size_t li = 0;
    for (size_t k = 0; k < h->size(); ++k) {
      const auto& e = (*h)[k];
      if (!e.is_object()) return Errorf("{}: history[{}] is not an object", where, k);
      std::string hw = fmt::format("{}: history[{}]", where, k);
      DISTILL_TRY(bool empty, JsonBool(e, "empty_layer", hw, false));
      DISTILL_TRY(std::string created_by, JsonString(e, "created_by", hw));
      if (empty) continue;
      if (li >= meta->layers.size()) break;
      meta->layers[li].created_by = std::move(created_by);
      ++li;
    }
  }
  // Fields the commands read later (inspect: created; audit: config) get their types checked here.
  DISTILL_TRY_VOID(JsonString(j, "created", where));
  if (auto c = j.find("config"); c != j.end() && !c->is_null() && !c->is_object())
    return JsonWrongType(*c, "config", where, "an object");
  DISTILL_TRY(meta->platform.os, JsonString(j, "os", where));
  DISTILL_TRY(meta->platform.arch, JsonString(j, "architecture", where));
  DISTILL_TRY(meta->platform.variant, JsonString(j, "variant", where));
  meta->config = std::move(j);
  return {};
}

Result<std::string> ReadVerifiedBlob(const ArchiveFiles& files, std::string_view digest,
                                     std::string_view what, int64_t want_size) {
  auto valid = ValidateDigest(digest);
  if (!valid.ok()) return std::move(valid).error().wrap(fmt::format("{}: {}", files.name(), what));
  std::string path = BlobPath(digest);
  if (!files.Exists(path))
    return Errorf("{}: {} {}: blob missing ({})", files.name(), what, ShortDigest(digest), path);
  DISTILL_TRY(std::string data, files.ReadSmall(path));
  if (want_size >= 0 && static_cast<uint64_t>(want_size) != data.size())
    return Errorf("{}: {} {}: size {} does not match the descriptor's {}", files.name(), what,
                  ShortDigest(digest), data.size(), want_size);
  std::string got = Sha256Digest(data);
  if (got != digest)
    return Errorf("{}: {} {}: digest mismatch (content is {})", files.name(), what,
                  ShortDigest(digest), ShortDigest(got));
  return data;
}

Result<std::string> JsonString(const nlohmann::json& obj, std::string_view key,
                               std::string_view where, std::string fallback) {
  const nlohmann::json* v = Field(obj, key);
  if (!v) return fallback;
  if (!v->is_string()) return JsonWrongType(*v, key, where, "a string");
  return v->get<std::string>();
}

Result<int64_t> JsonInt(const nlohmann::json& obj, std::string_view key, std::string_view where,
                        int64_t fallback) {
  const nlohmann::json* v = Field(obj, key);
  if (!v) return fallback;
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    return Errorf("{}: {} is out of range", where, key);
  if (!v->is_number_integer()) return JsonWrongType(*v, key, where, "an integer");
  return v->get<int64_t>();
}

Result<bool> JsonBool(const nlohmann::json& obj, std::string_view key, std::string_view where,
                      bool fallback) {
  const nlohmann::json* v = Field(obj, key);
  if (!v) return fallback;
  if (!v->is_boolean()) return JsonWrongType(*v, key, where, "a boolean");
  return v->get<bool>();
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
