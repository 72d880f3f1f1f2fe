#include "image/registry/source.h"

#include "image/manifest.h"
#include "image/registry/blob_reader.h"
#include "util/digest.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

namespace distill::image::registry {

namespace {

constexpr const char* kManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";
constexpr size_t kMaxManifest = 4 << 20;

std::vector<std::string> PullScope(const std::string& repo) {
  return {"repository:" + repo + ":pull"};
}

// Layer downloads started while the config is fetched (ResolveImage's LayersKnown): the biggest
// layers, as many as LoadImage reads at once (one per core), so the first layer bytes arrive one
// round trip sooner. OpenLayer takes a layer's reader once; a later open (a layer read again)
// starts a new download.
class Prefetch {
 public:
  void Start(const std::shared_ptr<Client>& client, const std::string& repo,
             const std::vector<LayerInfo>& layers) {
    std::vector<const LayerInfo*> order;
    for (const LayerInfo& l : layers) order.push_back(&l);
    std::stable_sort(order.begin(), order.end(),
                     [](const LayerInfo* a, const LayerInfo* b) { return a->size > b->size; });
    const size_t n =
        std::min<size_t>(order.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < n; ++i) {
      if (started_.contains(order[i]->digest)) continue;
      auto blob = OpenBlob(client, repo, order[i]->digest);
      if (blob.ok())
        started_.emplace(order[i]->digest, std::move(*blob));  // (an error shows when opened)
    }
  }
  std::unique_ptr<ByteStream> Take(const std::string& digest) {
    std::lock_guard lock(mu_);
    auto it = started_.find(digest);
    if (it == started_.end()) return nullptr;
    auto r = std::move(it->second);
    started_.erase(it);
    return r;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<ByteStream>> started_;
};

class RegistryArchive : public Archive {
 public:
  RegistryArchive(std::shared_ptr<Client> client, std::string repo, ImageMeta meta,
                  std::shared_ptr<Prefetch> prefetch)
      : client_(std::move(client)),
        repo_(std::move(repo)),
        meta_(std::move(meta)),
        prefetch_(std::move(prefetch)) {}
  const ImageMeta& meta() const override { return meta_; }
  Result<std::unique_ptr<ByteStream>> OpenLayer(size_t i) const override {
    const std::string& digest = meta_.layers.at(i).digest;
    if (auto r = prefetch_->Take(digest)) return r;
    return OpenBlob(client_, repo_, digest);
  }

 private:
  std::shared_ptr<Client> client_;
  std::string repo_;
  ImageMeta meta_;
  std::shared_ptr<Prefetch> prefetch_;
};

}  // namespace

Result<Manifest> FetchManifest(Client& client, const std::string& repo, const std::string& ref) {
  HttpRequest req;
  req.url = "/v2/" + repo + "/manifests/" + ref;
  req.headers.push_back(kManifestAccept);
  req.max_body = kMaxManifest;
  DISTILL_TRY(HttpResponse resp, client.Send(req, PullScope(repo)));
  if (resp.status != 200) return client.ErrorFor(req, resp);
  if (resp.aborted)
    return Errorf("{}: manifest {}:{} is larger than {} bytes", client.host(), repo, ref,
                  kMaxManifest);
  Manifest m;
  m.bytes = std::move(resp.body);
  m.media_type = resp.Header("content-type");
  m.media_type = m.media_type.substr(0, m.media_type.find(';'));
  m.digest = Sha256Digest(m.bytes);
  std::string where = fmt::format("{}/{}: manifest {}", client.host(), repo, ref);
  if (ref.find(':') != std::string::npos && ref.starts_with("sha") && ref != m.digest) {
    if (!ref.starts_with("sha256:"))
      return Errorf("{}: only sha256 manifest digests are supported", where);
    return Errorf("{}: digest mismatch (content is {})", where, ShortDigest(m.digest));
  }
  std::string header = resp.Header("docker-content-digest");
  if (!header.empty() && header.starts_with("sha256:") && header != m.digest)
    return Errorf("{}: digest mismatch: the registry says {}, content is {}", where,
                  ShortDigest(header), ShortDigest(m.digest));
  return m;
}

Result<std::string> FetchSmallBlob(Client& client, const std::string& repo,
                                   const std::string& digest, int64_t size) {
  DISTILL_TRY_VOID(ValidateDigest(digest));
  HttpRequest req;
  req.url = "/v2/" + repo + "/blobs/" + digest;
  req.max_body = kMaxManifest;
  DISTILL_TRY(HttpResponse resp, client.Send(req, PullScope(repo)));
  std::string where = fmt::format("{}/{}: blob {}", client.host(), repo, ShortDigest(digest));
  if (resp.status != 200) return client.ErrorFor(req, resp).wrap(where);
  if (resp.aborted) return Errorf("{}: larger than {} bytes", where, kMaxManifest);
  if (size >= 0 && static_cast<uint64_t>(size) != resp.body.size())
    return Errorf("{}: size {} does not match the descriptor's {}", where, resp.body.size(), size);
  std::string got = Sha256Digest(resp.body);
  if (digest.starts_with("sha256:") && got != digest)
    return Errorf("{}: digest mismatch (content is {})", where, ShortDigest(got));
  if (!digest.starts_with("sha256:")) return Errorf("{}: only sha256 digests are supported", where);
  return std::move(resp.body);
}

Result<std::unique_ptr<Archive>> OpenRegistryImage(std::string_view text, const Platform& platform,
                                                   const Options& opt) {
  DISTILL_TRY(Reference ref, ParseReference(text));
  DISTILL_TRY(std::shared_ptr<Client> client, Client::Create(ref.ApiHost(), opt));
  DISTILL_TRY(Manifest top, FetchManifest(*client, ref.repository, ref.ManifestRef()));
  Descriptor d;
  d.digest = top.digest;
  d.size = static_cast<int64_t>(top.bytes.size());
  d.media_type = top.media_type;
  if (!IsIndexMediaType(d.media_type) && !IsManifestMediaType(d.media_type)) {
    // Some registries send application/json; the manifest's own mediaType decides.
    auto j = nlohmann::json::parse(top.bytes, nullptr, false);
    auto mt = j.is_object() ? j.find("mediaType") : j.end();
    d.media_type = j.is_object() && mt != j.end() && mt->is_string() ? mt->get<std::string>() : "";
    if (d.media_type.empty() && j.is_object() && j.contains("manifests"))
      d.media_type = "application/vnd.oci.image.index.v1+json";
  }
  auto fetch = [&](const Descriptor& bd, BlobKind kind) -> Result<std::string> {
    if (kind == BlobKind::kConfig)
      return FetchSmallBlob(*client, ref.repository, bd.digest, bd.size);
    if (bd.digest == top.digest) return top.bytes;
    DISTILL_TRY(Manifest m, FetchManifest(*client, ref.repository, bd.digest));
    if (bd.size >= 0 && static_cast<uint64_t>(bd.size) != m.bytes.size())
      return Errorf("{}: manifest {}: size {} does not match the descriptor's {}", client->host(),
                    ShortDigest(bd.digest), m.bytes.size(), bd.size);
    return std::move(m.bytes);
  };
  Platform want = platform.empty() ? Platform::Host() : platform;
  std::string name = ref.ToString();
  auto prefetch = std::make_shared<Prefetch>();
  auto layers_known = [&](const std::vector<LayerInfo>& layers) {
    prefetch->Start(client, ref.repository, layers);
  };
  DISTILL_TRY(ImageMeta meta, ResolveImage(d, fetch, want, name, layers_known));
  meta.scheme = "registry";
  meta.location = std::string(text);
  if (!ref.tag.empty())
    meta.tags = {ref.host + "/" + ref.repository + ":" + ref.tag};  // as RepoTags name them
  return std::unique_ptr<Archive>(std::make_unique<RegistryArchive>(
      client, ref.repository, std::move(meta), std::move(prefetch)));
}

}  // namespace distill::image::registry
