// `docker save` archives: manifest.json naming a config and layer tars, legacy (<id>/layer.tar) or
// Docker 25+ (blobs/sha256/<hex>, also an OCI layout).
// https://github.com/moby/moby/blob/master/image/spec/v1.2.md (see tests/fixtures/oci-spec)
#include "image/archive.h"
#include "image/archive_internal.h"
#include "util/digest.h"

namespace distill::image {

namespace {

class DockerArchive : public Archive {
 public:
  DockerArchive(std::shared_ptr<ArchiveFiles> files, ImageMeta meta)
      : files_(std::move(files)), meta_(std::move(meta)) {}
  const ImageMeta& meta() const override { return meta_; }
  Result<std::unique_ptr<ByteStream>> OpenLayer(size_t i) const override {
    const auto& l = meta_.layers.at(i);
    if (!files_->Exists(l.path))
      return Errorf("{}: layer {}: file missing", files_->name(), l.path);
    return files_->Open(l.path);
  }

 private:
  std::shared_ptr<ArchiveFiles> files_;
  ImageMeta meta_;
};

// The digest a path names, if it is "blobs/sha256/<hex>" or "<hex>.json" / "<hex>/layer.tar"-free.
std::string DigestFromPath(std::string_view path) {
  if (path.starts_with("blobs/sha256/")) {
    std::string d = "sha256:" + std::string(path.substr(13));
    if (ValidateDigest(d).ok()) return d;
  }
  if (path.size() == 69 && path.ends_with(".json")) {
    std::string d = "sha256:" + std::string(path.substr(0, 64));
    if (ValidateDigest(d).ok()) return d;
  }
  return "";
}

bool TagMatches(std::string_view tag, std::string_view want) {
  if (tag == want) return true;
  std::string w(want);
  if (w.find(':') == std::string::npos || w.rfind(':') < w.rfind('/')) w += ":latest";
  if (tag == w) return true;
  for (std::string_view prefix : {"docker.io/library/", "docker.io/", "localhost/"})
    if (tag.starts_with(prefix) && tag.substr(prefix.size()) == w) return true;
  return false;
}

}  // namespace

std::optional<Result<std::unique_ptr<Archive>>> TryOpenDockerArchive(
    std::shared_ptr<ArchiveFiles> files, const ArchiveOptions& opt) {
  if (!files->Exists("manifest.json")) return std::nullopt;
  auto run = [&]() -> Result<std::unique_ptr<Archive>> {
    const std::string& name = files->name();
    DISTILL_TRY(std::string bytes, files->ReadSmall("manifest.json"));
    auto j = nlohmann::json::parse(bytes, nullptr, false);
    if (j.is_discarded() || !j.is_array())
      return Errorf("{}: manifest.json: not a JSON array", name);
    if (j.empty()) return Errorf("{}: manifest.json lists no images", name);
    std::vector<std::string> all_tags;
    for (const auto& e : j)
      if (e.is_object() && e.contains("RepoTags") && e["RepoTags"].is_array())
        for (const auto& t : e["RepoTags"])
          if (t.is_string()) all_tags.push_back(t.get<std::string>());
    const nlohmann::json* pick = nullptr;
    if (!opt.ref.empty()) {
      for (const auto& e : j)
        if (e.is_object() && e.contains("RepoTags") && e["RepoTags"].is_array())
          for (const auto& t : e["RepoTags"])
            if (t.is_string() && TagMatches(t.get<std::string>(), opt.ref)) pick = &e;
      if (!pick)
        return Errorf("{}: no image tagged '{}' (tags present: {})", name, opt.ref,
                      TagList(all_tags));
    } else if (j.size() > 1) {
      return Errorf("{}: holds {} images; pick one with {}:TAG (tags present: {})", name, j.size(),
                    name, TagList(all_tags));
    } else {
      pick = &j[0];
    }
    const auto& e = *pick;
    if (!e.is_object()) return Errorf("{}: manifest.json: entry is not an object", name);
    auto cfg = e.find("Config");
    if (cfg == e.end() || !cfg->is_string()) return Errorf("{}: manifest.json: no Config", name);
    auto layers = e.find("Layers");
    if (layers == e.end() || !layers->is_array())
      return Errorf("{}: manifest.json: no Layers array", name);

    ImageMeta meta;
    if (auto t = e.find("RepoTags"); t != e.end() && t->is_array())
      for (const auto& tag : *t)
        if (tag.is_string()) meta.tags.push_back(tag.get<std::string>());
    for (size_t i = 0; i < layers->size(); ++i) {
      if (!(*layers)[i].is_string())
        return Errorf("{}: manifest.json: Layers[{}] is not a string", name, i);
      LayerInfo li;
      li.path = (*layers)[i].get<std::string>();
      li.digest = DigestFromPath(li.path);
      if (!files->Exists(li.path)) return Errorf("{}: layer {}: file missing", name, li.path);
      DISTILL_TRY(li.size, files->Size(li.path));
      meta.layers.push_back(std::move(li));
    }
    std::string cpath = cfg->get<std::string>();
    if (!files->Exists(cpath)) return Errorf("{}: config {}: file missing", name, cpath);
    DISTILL_TRY(std::string cbytes, files->ReadSmall(cpath));
    meta.config_digest = Sha256Digest(cbytes);
    std::string named = DigestFromPath(cpath);
    if (!named.empty() && named != meta.config_digest)
      return Errorf("{}: config {}: digest mismatch (content is {})", name, cpath,
                    ShortDigest(meta.config_digest));
    auto applied = ApplyConfig(&meta, cbytes);
    if (!applied.ok()) return std::move(applied).error().wrap(name);
    return std::unique_ptr<Archive>(std::make_unique<DockerArchive>(files, std::move(meta)));
  };
  return run();
}

}  // namespace distill::image
