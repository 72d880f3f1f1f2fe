// OCI image layout: oci-layout + index.json + blobs/<alg>/<hex>, in a directory or a tar.
// https://github.com/opencontainers/image-spec/blob/main/image-layout.md
#include "image/archive.h"
#include "image/archive_internal.h"
#include "image/manifest.h"
#include "util/digest.h"

namespace distill::image {

namespace {

class OciArchive : public Archive {
 public:
  OciArchive(std::shared_ptr<ArchiveFiles> files, ImageMeta meta)
      : files_(std::move(files)), meta_(std::move(meta)) {}
  const ImageMeta& meta() const override { return meta_; }
  Result<std::unique_ptr<ByteStream>> OpenLayer(size_t i) const override {
    const auto& l = meta_.layers.at(i);
    if (!files_->Exists(l.path))
      return Errorf("{}: layer {}: blob missing ({})", files_->name(), ShortDigest(l.digest),
                    l.path);
    return files_->Open(l.path);
  }

 private:
  std::shared_ptr<ArchiveFiles> files_;
  ImageMeta meta_;
};

// The descriptor REF names, or the only image; errors list the tags present.
Result<std::vector<Descriptor>> SelectByRef(const std::vector<Descriptor>& all,
                                            const std::string& ref, const std::string& name,
                                            std::vector<std::string>* tags) {
  for (const auto& d : all)
    if (!d.ref.empty() && std::find(tags->begin(), tags->end(), d.ref) == tags->end())
      tags->push_back(d.ref);
  if (ref.empty()) {
    if (tags->size() > 1)
      return Errorf("{}: holds several images; pick one with {}:REF (tags present: {})", name, name,
                    TagList(*tags));
    return all;
  }
  std::vector<Descriptor> out;
  for (const auto& d : all)
    if (d.ref == ref) out.push_back(d);
  if (out.empty())
    return Errorf("{}: no image tagged '{}' (tags present: {})", name, ref, TagList(*tags));
  return out;
}

}  // namespace

std::optional<Result<std::unique_ptr<Archive>>> TryOpenOciLayout(
    std::shared_ptr<ArchiveFiles> files, const ArchiveOptions& opt) {
  if (!files->Exists("index.json")) return std::nullopt;
  auto run = [&]() -> Result<std::unique_ptr<Archive>> {
    const std::string& name = files->name();
    if (!files->Exists("oci-layout"))
      return Errorf("{}: index.json without an oci-layout file", name);
    DISTILL_TRY(std::string layout_bytes, files->ReadSmall("oci-layout", 1 << 20));
    DISTILL_TRY(auto layout, ParseJsonObject(layout_bytes, name + ": oci-layout"));
    auto version = layout.find("imageLayoutVersion");
    if (version == layout.end() || *version != "1.0.0")
      return Errorf("{}: oci-layout: unsupported imageLayoutVersion {}", name,
                    version == layout.end() ? "(none)" : version->dump());
    DISTILL_TRY(std::string index_bytes, files->ReadSmall("index.json"));
    DISTILL_TRY(auto index, ParseJsonObject(index_bytes, name + ": index.json"));
    DISTILL_TRY(std::vector<Descriptor> all, ParseIndexManifests(index, name + ": index.json"));
    // OCI 1.1 artifacts listed beside the images (SBOM referrers, signatures) are not images.
    std::erase_if(all, [](const Descriptor& d) { return !d.artifact_type.empty(); });
    if (all.empty()) return Errorf("{}: index.json lists no images", name);
    std::vector<std::string> tags;
    DISTILL_TRY(std::vector<Descriptor> cands, SelectByRef(all, opt.ref, name, &tags));

    Platform want = opt.platform.empty() ? Platform::Host() : opt.platform;
    Descriptor d = cands[0];
    if (cands.size() > 1) {
      DISTILL_TRY(Descriptor picked, PickPlatform(cands, want, name + ": index.json"));
      d = picked;
    }
    auto fetch = [&](const Descriptor& bd, BlobKind kind) {
      return ReadVerifiedBlob(*files, bd.digest, kind == BlobKind::kConfig ? "config" : "manifest",
                              bd.size);
    };
    DISTILL_TRY(ImageMeta meta, ResolveImage(d, fetch, want, name));
    if (!opt.ref.empty())
      meta.tags = {opt.ref};
    else
      meta.tags = tags;
    return std::unique_ptr<Archive>(std::make_unique<OciArchive>(files, std::move(meta)));
  };
  return run();
}

}  // namespace distill::image
