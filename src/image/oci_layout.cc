// OCI image layout: oci-layout + index.json + blobs/<alg>/<hex>, in a directory or a tar.
// https://github.com/opencontainers/image-spec/blob/main/image-layout.md
#include <set>

#include "image/archive.h"
#include "image/archive_internal.h"
#include "util/digest.h"

namespace distill::image {

namespace {

constexpr std::string_view kRefName = "org.opencontainers.image.ref.name";

bool IsIndex(std::string_view mt) {
  return mt == "application/vnd.oci.image.index.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.list.v2+json";
}
bool IsManifest(std::string_view mt) {
  return mt == "application/vnd.oci.image.manifest.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.v2+json";
}

struct Desc {
  std::string media_type, digest;
  int64_t size = -1;
  std::string ref;
  Platform platform;
  bool has_platform = false;
};

Result<Desc> ParseDesc(const nlohmann::json& j, std::string_view where) {
  if (!j.is_object()) return Errorf("{}: descriptor is not an object", where);
  Desc d;
  d.media_type = j.value("mediaType", "");
  d.digest = j.value("digest", "");
  auto size = j.find("size");
  if (size != j.end() && size->is_number_integer()) d.size = size->get<int64_t>();
  auto valid = ValidateDigest(d.digest);
  if (!valid.ok()) return std::move(valid).error().wrap(where);
  if (auto a = j.find("annotations"); a != j.end() && a->is_object()) {
    auto r = a->find(kRefName);
    if (r != a->end() && r->is_string()) d.ref = r->get<std::string>();
  }
  if (auto p = j.find("platform"); p != j.end() && p->is_object()) {
    d.platform = {p->value("os", ""), p->value("architecture", ""), p->value("variant", "")};
    d.has_platform = true;
  }
  return d;
}

Result<nlohmann::json> ParseJson(const std::string& bytes, std::string_view what) {
  auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Errorf("{}: not a JSON object", what);
  return j;
}

Result<std::vector<Desc>> Manifests(const nlohmann::json& index, std::string_view where) {
  auto m = index.find("manifests");
  if (m == index.end() || !m->is_array()) return Errorf("{}: no manifests array", where);
  std::vector<Desc> out;
  for (size_t i = 0; i < m->size(); ++i) {
    DISTILL_TRY(Desc d, ParseDesc((*m)[i], fmt::format("{}: manifests[{}]", where, i)));
    out.push_back(std::move(d));
  }
  return out;
}

class OciArchive : public Archive {
 public:
  OciArchive(std::shared_ptr<ArchiveFiles> files, ImageMeta meta) : files_(std::move(files)), meta_(std::move(meta)) {}
  const ImageMeta& meta() const override { return meta_; }
  Result<std::unique_ptr<ByteReader>> OpenLayer(size_t i) const override {
    const auto& l = meta_.layers.at(i);
    if (!files_->Exists(l.path))
      return Errorf("{}: layer {}: blob missing ({})", files_->name(), ShortDigest(l.digest), l.path);
    return files_->Open(l.path);
  }

 private:
  std::shared_ptr<ArchiveFiles> files_;
  ImageMeta meta_;
};

// Picks one descriptor by platform among several (an index's manifests).
Result<Desc> PickPlatform(const std::vector<Desc>& all, const Platform& want, std::string_view where) {
  std::vector<std::string> present;
  for (const auto& d : all) {
    if (!d.has_platform) continue;
    if (d.platform.os == "unknown") continue;  // attestation manifests
    if (d.platform.Satisfies(want)) return d;
    present.push_back(d.platform.ToString());
  }
  return Errorf("{}: no image for platform {} (present: {})", where, want.ToString(), TagList(present));
}

}  // namespace

std::optional<Result<std::unique_ptr<Archive>>> TryOpenOciLayout(std::shared_ptr<ArchiveFiles> files,
                                                                 const ArchiveOptions& opt) {
  if (!files->Exists("index.json")) return std::nullopt;
  auto run = [&]() -> Result<std::unique_ptr<Archive>> {
    const std::string& name = files->name();
    if (!files->Exists("oci-layout")) return Errorf("{}: index.json without an oci-layout file", name);
    DISTILL_TRY(std::string layout_bytes, files->ReadSmall("oci-layout", 1 << 20));
    DISTILL_TRY(auto layout, ParseJson(layout_bytes, name + ": oci-layout"));
    if (layout.value("imageLayoutVersion", "") != "1.0.0")
      return Errorf("{}: oci-layout: unsupported imageLayoutVersion '{}'", name, layout.value("imageLayoutVersion", ""));
    DISTILL_TRY(std::string index_bytes, files->ReadSmall("index.json"));
    DISTILL_TRY(auto index, ParseJson(index_bytes, name + ": index.json"));
    DISTILL_TRY(std::vector<Desc> all, Manifests(index, name + ": index.json"));
    if (all.empty()) return Errorf("{}: index.json lists no images", name);

    // Choose by tag (REF) first.
    std::vector<std::string> tags;
    for (const auto& d : all)
      if (!d.ref.empty() && std::find(tags.begin(), tags.end(), d.ref) == tags.end()) tags.push_back(d.ref);
    std::vector<Desc> cands;
    if (!opt.ref.empty()) {
      for (const auto& d : all)
        if (d.ref == opt.ref) cands.push_back(d);
      if (cands.empty()) return Errorf("{}: no image tagged '{}' (tags present: {})", name, opt.ref, TagList(tags));
    } else if (tags.size() > 1) {
      return Errorf("{}: holds several images; pick one with {}:REF (tags present: {})", name, name, TagList(tags));
    } else {
      cands = all;
    }
    ImageMeta meta;
    if (!opt.ref.empty()) meta.tags.push_back(opt.ref);
    else meta.tags = tags;

    Platform want = opt.platform.empty() ? Platform::Host() : opt.platform;
    Desc d;
    if (cands.size() == 1) d = cands[0];
    else { DISTILL_TRY(Desc picked, PickPlatform(cands, want, name + ": index.json")); d = picked; }

    // Descend through nested indexes to a manifest.
    for (int depth = 0; IsIndex(d.media_type); ++depth) {
      if (depth > 4) return Errorf("{}: image indexes nested too deeply", name);
      DISTILL_TRY(std::string bytes, ReadVerifiedBlob(*files, d.digest, "index", d.size));
      meta.index_digest = d.digest;
      std::string where = fmt::format("{}: index {}", name, ShortDigest(d.digest));
      DISTILL_TRY(auto j, ParseJson(bytes, where));
      DISTILL_TRY(std::vector<Desc> sub, Manifests(j, where));
      DISTILL_TRY(Desc picked, PickPlatform(sub, want, where));
      d = picked;
    }
    if (!IsManifest(d.media_type) && !d.media_type.empty())
      return Errorf("{}: {}: unsupported manifest media type '{}'", name, ShortDigest(d.digest), d.media_type);
    DISTILL_TRY(std::string mbytes, ReadVerifiedBlob(*files, d.digest, "manifest", d.size));
    std::string where = fmt::format("{}: manifest {}", name, ShortDigest(d.digest));
    DISTILL_TRY(auto m, ParseJson(mbytes, where));
    meta.manifest_digest = d.digest;
    meta.manifest_media_type = m.value("mediaType", d.media_type);
    if (m.value("schemaVersion", 0) != 2) return Errorf("{}: schemaVersion is not 2", where);
    auto cfg = m.find("config");
    if (cfg == m.end()) return Errorf("{}: no config descriptor", where);
    DISTILL_TRY(Desc cd, ParseDesc(*cfg, where + ": config"));
    meta.config_digest = cd.digest;
    auto layers = m.find("layers");
    if (layers == m.end() || !layers->is_array()) return Errorf("{}: no layers array", where);
    for (size_t i = 0; i < layers->size(); ++i) {
      std::string lw = fmt::format("{}: layers[{}]", where, i);
      DISTILL_TRY(Desc ld, ParseDesc((*layers)[i], lw));
      auto comp = LayerCompression(ld.media_type);
      if (!comp.ok()) return std::move(comp).error().wrap(lw);
      LayerInfo li;
      li.digest = ld.digest;
      li.media_type = ld.media_type;
      li.size = ld.size < 0 ? 0 : static_cast<uint64_t>(ld.size);
      li.compression = *comp;
      li.path = BlobPath(ld.digest);
      meta.layers.push_back(std::move(li));
    }
    DISTILL_TRY(std::string cbytes, ReadVerifiedBlob(*files, cd.digest, "config", cd.size));
    auto applied = ApplyConfig(&meta, cbytes);
    if (!applied.ok()) return std::move(applied).error().wrap(name);
    return std::unique_ptr<Archive>(std::make_unique<OciArchive>(files, std::move(meta)));
  };
  return run();
}

}  // namespace distill::image
