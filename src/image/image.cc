#include "image/image.h"

#include <sys/stat.h>

#include <cstring>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "image/dir_source.h"
#include "image/registry/reference.h"
#include "image/registry/source.h"
#include "image/squash.h"
#include "util/digest.h"
#include "util/log.h"
#include "util/progress.h"

namespace distill::image {

namespace {

constexpr std::string_view kSchemes[] = {"docker-archive", "oci-archive", "oci-dir", "dir", "registry"};

bool IsDir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

// "PATH[:REF]": REF only when PATH alone does not exist and the part after the last ':' has no '/'.
void SplitRef(SourceSpec* s) {
  if (Exists(s->path)) return;
  auto colon = s->path.rfind(':');
  if (colon == std::string::npos || colon == 0) return;
  std::string ref = s->path.substr(colon + 1);
  if (ref.find('/') != std::string::npos && s->scheme != "docker-archive") return;
  s->ref = ref;
  s->path = s->path.substr(0, colon);
}

// "HOST/REPO[:TAG]" with an explicit registry host (a '.' or ':' in the first component, or localhost).
bool LooksLikeRegistryRef(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view first = text.substr(0, slash);
  if (first.find_first_of(".:") == std::string_view::npos && first != "localhost") return false;
  if (first == "." || first == ".." || Exists(std::string(first))) return false;
  return registry::ParseReference(text).ok();
}

// Reports progress as the stored bytes of a layer are read.
class ProgressReader : public ByteReader {
 public:
  ProgressReader(std::unique_ptr<ByteReader> r, Progress* p) : r_(std::move(r)), p_(p) {}
  Result<size_t> Read(void* buf, size_t n) override {
    DISTILL_TRY(size_t got, r_->Read(buf, n));
    p_->Add(got);
    return got;
  }
  bool self_verifying() const override { return r_->self_verifying(); }
  std::string verified_digest() const override { return r_->verified_digest(); }

 private:
  std::unique_ptr<ByteReader> r_;
  Progress* p_;
};

Status CheckLayer(const LayerInfo& info, const LayerData& d) {
  if (!info.digest.empty() && info.digest != d.digest)
    return Errorf("digest mismatch (content is {})", ShortDigest(d.digest));
  if (!info.diff_id.empty() && info.diff_id != d.diff_id)
    return Errorf("diff_id mismatch: config says {}, uncompressed content is {}", ShortDigest(info.diff_id),
                  ShortDigest(d.diff_id));
  return {};
}

}  // namespace

Result<SourceSpec> ParseSource(std::string_view text) {
  SourceSpec s;
  s.text = std::string(text);
  if (text.empty()) return Errorf("empty image source");
  for (auto scheme : kSchemes) {
    if (text.size() > scheme.size() && text.starts_with(scheme) && text[scheme.size()] == ':') {
      s.scheme = std::string(scheme);
      s.path = std::string(text.substr(scheme.size() + 1));
      break;
    }
  }
  if (s.scheme == "registry") {
    if (s.path.empty()) return Errorf("{}: missing reference after 'registry:'", text);
    DISTILL_TRY_VOID(registry::ParseReference(s.path));
    return s;
  }
  if (s.scheme.empty()) {
    s.path = std::string(text);
    if (IsDir(s.path)) s.scheme = Exists(s.path + "/oci-layout") || Exists(s.path + "/index.json") ? "oci-dir" : "dir";
    else if (Exists(s.path)) s.scheme = "archive";  // docker- or oci-archive, told apart by content
    else {
      // "path:ref" for archives and layouts
      SplitRef(&s);
      if (!Exists(s.path) && LooksLikeRegistryRef(text)) return SourceSpec{"registry", std::string(text), "", std::string(text)};
      if (!Exists(s.path)) return Errorf("{}: no such file or directory (and no scheme such as docker-archive: given)", text);
      s.scheme = IsDir(s.path) ? "oci-dir" : "archive";
    }
    return s;
  }
  if (s.path.empty()) return Errorf("{}: missing path after '{}:'", text, s.scheme);
  if (s.scheme != "dir") SplitRef(&s);
  if (!Exists(s.path)) return Errorf("{}: no such file or directory", s.path);
  bool dir = IsDir(s.path);
  if ((s.scheme == "dir" || s.scheme == "oci-dir") && !dir) return Errorf("{}: not a directory (scheme {}:)", s.path, s.scheme);
  if ((s.scheme == "docker-archive" || s.scheme == "oci-archive") && dir)
    return Errorf("{}: is a directory; use oci-dir: or dir:", s.path);
  return s;
}

Result<std::unique_ptr<Archive>> OpenArchive(const SourceSpec& src, const Platform& platform,
                                             const registry::Options& reg) {
  if (src.scheme == "dir") return Errorf("{}: a dir: source has no image metadata", src.path);
  if (src.scheme == "registry") return registry::OpenRegistryImage(src.path, platform, reg);
  std::shared_ptr<ArchiveFiles> files;
  if (src.scheme == "oci-dir") {
    DISTILL_TRY(auto f, OpenDirFiles(src.path));
    files = std::move(f);
  } else {
    DISTILL_TRY(auto f, OpenTarFiles(src.path));
    files = std::move(f);
  }
  ArchiveOptions opt{src.ref, platform};
  using TryFn = std::optional<Result<std::unique_ptr<Archive>>> (*)(std::shared_ptr<ArchiveFiles>, const ArchiveOptions&);
  // Docker 25+ archives are also OCI layouts: docker-archive: reads manifest.json, the rest index.json.
  std::vector<TryFn> order;
  if (src.scheme == "docker-archive") order = {&TryOpenDockerArchive};
  else if (src.scheme == "oci-archive" || src.scheme == "oci-dir") order = {&TryOpenOciLayout};
  else order = {&TryOpenDockerArchive, &TryOpenOciLayout};
  for (TryFn fn : order) {
    auto r = fn(files, opt);
    if (!r) continue;
    if (r->ok()) {
      auto& meta = r->value()->mutable_meta();
      meta.location = src.path;
      meta.scheme = src.scheme == "archive" ? (fn == &TryOpenDockerArchive ? "docker-archive" : "oci-archive") : src.scheme;
    }
    return std::move(*r);
  }
  if (src.scheme == "docker-archive") return Errorf("unknown image format for '{}' (no manifest.json)", src.path);
  if (src.scheme == "oci-archive" || src.scheme == "oci-dir") return Errorf("unknown image format for '{}' (no index.json)", src.path);
  return Errorf("unknown image format for '{}' (no index.json or manifest.json)", src.path);
}

Result<LoadedImage> LoadImage(std::string_view source, const LoadOptions& opt) {
  LoadedImage out;
  DISTILL_TRY(out.source, ParseSource(source));
  if (out.source.scheme == "dir") {
    std::vector<std::string> unreadable;
    DISTILL_TRY(out.files, IndexDirectory(out.source.path, {.capabilities = opt.capabilities,
                                                            .stat_all = opt.dir_metadata,
                                                            .unreadable = &unreadable}));
    for (const auto& dir : unreadable)
      log::warn("{}: cannot open directory: {} (skipped with everything under it)", dir, std::strerror(EACCES));
    out.meta.scheme = "dir";
    out.meta.location = out.source.path;
    return out;
  }
  DISTILL_TRY(auto archive, OpenArchive(out.source, opt.platform, opt.registry));
  out.meta = archive->meta();
  const size_t n = out.meta.layers.size();
  std::vector<std::optional<Result<LayerData>>> results(n);
  std::vector<DiffIdCheck> how(n, DiffIdCheck::kHashed);
  uint64_t total = 0;
  for (const auto& l : out.meta.layers) total += l.size;
  Progress progress("reading layers", total);

  // Biggest layers first, so the longest job starts at once.
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return out.meta.layers[a].size > out.meta.layers[b].size; });
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k; (k = next.fetch_add(1)) < n;) {
      size_t i = order[k];
      const LayerInfo& info = out.meta.layers[i];
      auto blob = archive->OpenLayer(i);
      if (!blob.ok()) {
        results[i] = std::move(blob).error();
        continue;
      }
      auto reader = std::make_unique<ProgressReader>(std::move(*blob), &progress);
      // The tar need not be hashed when the manifest pins the blob's digest (CheckLayer checks it,
      // which is what makes the config's diff_id apply) and either nobody asked for the diff_id
      // check or a verified earlier read of a blob with this digest gave the diff_id named.
      std::string known;
      if (!info.digest.empty() && !info.diff_id.empty()) {
        if (!opt.verify_diff_ids) {
          known = info.diff_id;
          how[i] = DiffIdCheck::kTrusted;
        } else if (auto hit = opt.diff_ids.Get(info.digest); hit && *hit == info.diff_id) {
          known = *hit;
          how[i] = DiffIdCheck::kCached;
        }
      }
      results[i] = ReadLayer(std::move(reader), info.compression, static_cast<int32_t>(i), opt.plan, opt.limits,
                             opt.gzip, opt.pipeline, known, info.size);
      if (results[i]->ok()) {
        // An uncompressed blob is its own tar: its one hash was checked as digest and diff_id.
        if (results[i]->value().compression == Compression::kNone) how[i] = DiffIdCheck::kHashed;
        auto checked = CheckLayer(info, results[i]->value());
        if (!checked.ok()) results[i] = std::move(checked).error();
        else if (how[i] == DiffIdCheck::kHashed && !info.digest.empty() &&
                 results[i]->value().compression != Compression::kNone)
          opt.diff_ids.Put(results[i]->value().digest, results[i]->value().diff_id);
      }
      log::debug("layer {} read", i);
    }
  };
  unsigned threads = opt.threads > 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max<size_t>(n, 1));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  std::vector<LayerData> layers;
  layers.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto& r = *results[i];
    const auto& info = out.meta.layers[i];
    std::string name = info.digest.empty() ? info.path : ShortDigest(info.digest);
    if (!r.ok()) return std::move(r).error().wrap(fmt::format("{}: layer {}", out.source.path, name));
    layers.push_back(std::move(r.value()));
    out.meta.layers[i].digest = layers.back().digest;
    out.layer_stats.push_back({layers.back().tar_size, layers.back().entries.size(), how[i]});
  }
  if (opt.after_layers) opt.after_layers();
  auto squashed = Squash(layers, opt.keep_layers);
  if (!squashed.ok()) return std::move(squashed).error().wrap(out.source.path);
  if (opt.keep_layers)
    for (auto& l : layers) out.layer_entries.push_back(std::move(l.entries));
  std::vector<std::string> digests;
  for (const auto& l : out.meta.layers) digests.push_back(l.digest);
  out.files = FileIndex(std::move(squashed->entries), std::move(digests), std::move(squashed->contents), nullptr);
  return out;
}

}  // namespace distill::image
