#include "image/manifest.h"

#include "image/archive_internal.h"
#include "util/digest.h"

namespace distill::image {

bool IsIndexMediaType(std::string_view mt) {
  return mt == "application/vnd.oci.image.index.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.list.v2+json";
}

bool IsManifestMediaType(std::string_view mt) {
  return mt == "application/vnd.oci.image.manifest.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.v2+json";
}

Result<nlohmann::json> ParseJsonObject(std::string_view bytes, std::string_view what) {
  auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Errorf("{}: not a JSON object", what);
  return j;
}

Result<Descriptor> ParseDescriptor(const nlohmann::json& j, std::string_view where) {
  if (!j.is_object()) return Errorf("{}: descriptor is not an object", where);
  Descriptor d;
  DISTILL_TRY(d.media_type, JsonString(j, "mediaType", where));
  DISTILL_TRY(d.digest, JsonString(j, "digest", where));
  DISTILL_TRY(d.artifact_type, JsonString(j, "artifactType", where));
  // An image's own entry may carry artifactType too, set to its config's media type (as
  // go-containerregistry writes it: apko's layouts and indexes list their images that way).
  if (d.artifact_type == "application/vnd.oci.image.config.v1+json" ||
      d.artifact_type == "application/vnd.docker.container.image.v1+json")
    d.artifact_type.clear();
  DISTILL_TRY(d.size, JsonInt(j, "size", where, -1));
  if (d.size < -1) return Errorf("{}: size {} is negative", where, d.size);
  auto valid = ValidateDigest(d.digest);
  if (!valid.ok()) return std::move(valid).error().wrap(where);
  if (auto a = j.find("annotations"); a != j.end() && !a->is_null()) {
    if (!a->is_object()) return JsonWrongType(*a, "annotations", where, "an object");
    DISTILL_TRY(d.ref, JsonString(*a, kRefNameAnnotation, fmt::format("{}: annotations", where)));
  }
  if (auto p = j.find("platform"); p != j.end() && !p->is_null()) {
    if (!p->is_object()) return JsonWrongType(*p, "platform", where, "an object");
    std::string pw = fmt::format("{}: platform", where);
    DISTILL_TRY(d.platform.os, JsonString(*p, "os", pw));
    DISTILL_TRY(d.platform.arch, JsonString(*p, "architecture", pw));
    DISTILL_TRY(d.platform.variant, JsonString(*p, "variant", pw));
    d.has_platform = true;
  }
  return d;
}

Result<std::vector<Descriptor>> ParseIndexManifests(const nlohmann::json& index,
                                                    std::string_view where) {
  auto m = index.find("manifests");
  if (m == index.end() || m->is_null()) return Errorf("{}: no manifests array", where);
  if (!m->is_array()) return JsonWrongType(*m, "manifests", where, "an array");
  std::vector<Descriptor> out;
  for (size_t i = 0; i < m->size(); ++i) {
    DISTILL_TRY(Descriptor d, ParseDescriptor((*m)[i], fmt::format("{}: manifests[{}]", where, i)));
    out.push_back(std::move(d));
  }
  return out;
}

Result<Descriptor> PickPlatform(const std::vector<Descriptor>& all, const Platform& want,
                                std::string_view where) {
  std::vector<std::string> present;
  for (const auto& d : all) {
    if (!d.has_platform || d.platform.os == "unknown") continue;  // attestation manifests
    if (!d.artifact_type.empty()) continue;                       // OCI 1.1 artifacts (referrers)
    if (d.platform.Satisfies(want)) return d;
    present.push_back(d.platform.ToString());
  }
  return Errorf("{}: no image for platform {} (present: {})", where, want.ToString(),
                TagList(present));
}

Result<ImageMeta> ResolveImage(Descriptor d, const BlobFetcher& fetch, const Platform& want,
                               std::string_view name, const LayersKnown& layers_known) {
  ImageMeta meta;
  // Follows indexes down to a manifest. A manifest fetched by tag may turn out to be an index
  // (registries say so in mediaType), which is then read as one: that counts as a level too, so no
  // chain of indexes, however it is reached, goes deeper than the limit.
  std::string where;
  nlohmann::json m;
  std::string mt;
  for (int depth = 0;;) {
    if (IsIndexMediaType(d.media_type)) {
      if (++depth > 5) return Errorf("{}: image indexes nested too deeply", name);
      DISTILL_TRY(std::string bytes, fetch(d, BlobKind::kManifest));
      meta.index_digest = d.digest;
      std::string iwhere = fmt::format("{}: index {}", name, ShortDigest(d.digest));
      DISTILL_TRY(auto j, ParseJsonObject(bytes, iwhere));
      DISTILL_TRY(std::vector<Descriptor> sub, ParseIndexManifests(j, iwhere));
      DISTILL_TRY(d, PickPlatform(sub, want, iwhere));
      continue;
    }
    if (!IsManifestMediaType(d.media_type) && !d.media_type.empty())
      return Errorf("{}: {}: unsupported manifest media type '{}'", name, ShortDigest(d.digest),
                    d.media_type);
    DISTILL_TRY(std::string mbytes, fetch(d, BlobKind::kManifest));
    where = fmt::format("{}: manifest {}", name, ShortDigest(d.digest));
    DISTILL_TRY(m, ParseJsonObject(mbytes, where));
    DISTILL_TRY(mt, JsonString(m, "mediaType", where, d.media_type));
    if (!IsIndexMediaType(mt) && !(mt.empty() && m.contains("manifests"))) break;
    d.media_type = "application/vnd.oci.image.index.v1+json";
  }
  meta.manifest_digest = d.digest;
  meta.manifest_media_type = mt;
  DISTILL_TRY(int64_t schema, JsonInt(m, "schemaVersion", where, 0));
  if (schema != 2) return Errorf("{}: schemaVersion is not 2", where);
  auto cfg = m.find("config");
  if (cfg == m.end() || cfg->is_null()) return Errorf("{}: no config descriptor", where);
  DISTILL_TRY(Descriptor cd, ParseDescriptor(*cfg, where + ": config"));
  meta.config_digest = cd.digest;
  auto layers = m.find("layers");
  if (layers == m.end() || layers->is_null()) return Errorf("{}: no layers array", where);
  if (!layers->is_array()) return JsonWrongType(*layers, "layers", where, "an array");
  for (size_t i = 0; i < layers->size(); ++i) {
    std::string lw = fmt::format("{}: layers[{}]", where, i);
    DISTILL_TRY(Descriptor ld, ParseDescriptor((*layers)[i], lw));
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
  if (layers_known) layers_known(meta.layers);
  DISTILL_TRY(std::string cbytes, fetch(cd, BlobKind::kConfig));
  auto applied = ApplyConfig(&meta, cbytes);
  if (!applied.ok()) return std::move(applied).error().wrap(std::string(name));
  return meta;
}

}  // namespace distill::image
