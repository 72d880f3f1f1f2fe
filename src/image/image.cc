#include "image/image.h"

#include <sys/stat.h>

#include <cstring>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <fmt/ranges.h>

#include "image/dir_source.h"
#include "image/docker_stream.h"
#include "image/engine/engine.h"
#include "image/registry/reference.h"
#include "image/registry/source.h"
#include "image/squash.h"
#include "util/digest.h"
#include "util/log.h"
#include "util/progress.h"

namespace distill::image {

namespace {

// "oci" is skopeo's spelling of oci-dir (oci:PATH[:REF]).
constexpr std::string_view kSchemes[] = {"docker-archive", "oci-archive", "oci-dir", "dir",
                                         "registry",       "docker",      "podman",  "oci"};
// Where a bare reference is looked up, in order (as syft does; --from or a scheme picks one).
constexpr std::string_view kLookupOrder[] = {"docker", "podman", "registry"};

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

// An image reference ("alpine:3.18", "nginx", "ghcr.io/org/app@sha256:…") that is not a path: no
// leading '/', '.' or '~', and no first component that exists on disk.
bool LooksLikeImageRef(std::string_view text) {
  if (text.starts_with('/') || text.starts_with('.') || text.starts_with('~')) return false;
  auto slash = text.find('/');
  if (slash != std::string_view::npos && Exists(std::string(text.substr(0, slash)))) return false;
  return registry::ParseReference(text).ok();
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "dockr-archive:x.tar": a word before ':' that is a misspelt scheme, or that is followed by a path
// (which no image reference's tag can be), is reported as an unknown scheme instead of being
// looked up as the image "dockr-archive" with tag "x.tar".
std::optional<std::string> UnknownScheme(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view word = text.substr(0, colon), rest = text.substr(colon + 1);
  if (word.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string_view::npos)
    return std::nullopt;
  std::string closest;
  size_t best = SIZE_MAX;
  for (auto scheme : kSchemes) {
    size_t d = EditDistance(word, scheme);
    // Short schemes ("dir", "oci") must match exactly, longer ones tolerate a typo or two.
    if (d < best && d > 0 && d <= (scheme.size() - 2) / 3) best = d, closest = std::string(scheme);
  }
  bool path_follows = rest.starts_with('/') || rest.starts_with("./") || rest.starts_with("../") ||
                      rest.starts_with('~');
  if (closest.empty() && !path_follows) return std::nullopt;
  std::string known;
  for (auto scheme : kSchemes) known += (known.empty() ? "" : ", ") + std::string(scheme);
  return fmt::format("{}: unknown scheme '{}:'{} (known: {})", text, word,
                     closest.empty() ? "" : fmt::format("; did you mean '{}:'?", closest), known);
}

// Reports progress as the stored bytes of a layer are read.
class ProgressReader : public ByteStream {
 public:
  ProgressReader(std::unique_ptr<ByteStream> r, Progress* p) : r_(std::move(r)), p_(p) {}
  Result<size_t> Read(void* buf, size_t n) override {
    DISTILL_TRY(size_t got, r_->Read(buf, n));
    p_->Add(got);
    return got;
  }
  bool self_verifying() const override { return r_->self_verifying(); }
  std::string verified_digest() const override { return r_->verified_digest(); }

 private:
  std::unique_ptr<ByteStream> r_;
  Progress* p_;
};

Status CheckLayer(const LayerInfo& info, const LayerData& d) {
  if (!info.digest.empty() && info.digest != d.digest)
    return Errorf("digest mismatch (content is {})", ShortDigest(d.digest));
  if (!info.diff_id.empty() && info.diff_id != d.diff_id)
    return Errorf("diff_id mismatch: config says {}, uncompressed content is {}",
                  ShortDigest(info.diff_id), ShortDigest(d.diff_id));
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
  if (s.scheme == "docker" || s.scheme == "podman") {
    if (s.path.empty()) return Errorf("{}: missing image reference after '{}:'", text, s.scheme);
    if (s.path.find_first_of(" \t\n\r/") == 0 ||
        s.path.find_first_of(" \t\n\r") != std::string::npos)
      return Errorf("{}: '{}' is not an image reference", text, s.path);
    return s;
  }
  if (s.scheme == "oci") s.scheme = "oci-dir";
  if (s.scheme.empty()) {
    s.path = std::string(text);
    if (IsDir(s.path))
      s.scheme =
          Exists(s.path + "/oci-layout") || Exists(s.path + "/index.json") ? "oci-dir" : "dir";
    else if (Exists(s.path))
      s.scheme = "archive";  // docker- or oci-archive, told apart by content
    else {
      // "path:ref" for archives and layouts
      SplitRef(&s);
      if (!Exists(s.path)) {
        if (auto unknown = UnknownScheme(text)) return Errorf("{}", *unknown);
        if (LooksLikeImageRef(text))
          return SourceSpec{"lookup", std::string(text), "", std::string(text)};
        return Errorf("{}: no such file or directory (and no scheme such as docker-archive: given)",
                      text);
      }
      s.scheme = IsDir(s.path) ? "oci-dir" : "archive";
    }
    return s;
  }
  if (s.path.empty()) return Errorf("{}: missing path after '{}:'", text, s.scheme);
  if (s.scheme != "dir") SplitRef(&s);
  if (!Exists(s.path)) return Errorf("{}: no such file or directory", s.path);
  bool dir = IsDir(s.path);
  if ((s.scheme == "dir" || s.scheme == "oci-dir") && !dir)
    return Errorf("{}: not a directory (scheme {}:)", s.path, s.scheme);
  if ((s.scheme == "docker-archive" || s.scheme == "oci-archive") && dir)
    return Errorf("{}: is a directory; use oci-dir: or dir:", s.path);
  return s;
}

const std::vector<std::string>& SourceSchemes() {
  static const std::vector<std::string> schemes = {
      "docker", "podman", "registry", "docker-archive", "oci-archive", "oci-dir", "dir"};
  return schemes;
}

Result<std::string> WithScheme(std::string_view scheme, std::string_view source) {
  const auto& known = SourceSchemes();
  if (std::find(known.begin(), known.end(), scheme) == known.end())
    return Errorf("--from {}: unknown source (one of {})", scheme, fmt::join(known, ", "));
  for (auto s : kSchemes) {
    if (source.size() > s.size() && source.starts_with(s) && source[s.size()] == ':') {
      std::string_view named = s == "oci" ? "oci-dir" : s;
      if (named == scheme) return std::string(source);
      return Errorf("--from {} conflicts with the scheme of '{}'", scheme, source);
    }
  }
  return fmt::format("{}:{}", scheme, source);
}

Result<std::unique_ptr<Archive>> OpenArchive(const SourceSpec& src, const Platform& platform,
                                             const registry::Options& reg) {
  if (src.scheme == "dir") return Errorf("{}: a dir: source has no image metadata", src.path);
  if (src.scheme == "registry") return registry::OpenRegistryImage(src.path, platform, reg);
  if (src.scheme == "docker" || src.scheme == "podman" || src.scheme == "lookup")
    return InternalErrorf("{}: images in a container engine are streamed by LoadImage, not opened",
                          src.text);
  std::shared_ptr<ArchiveFiles> files;
  if (src.scheme == "oci-dir") {
    DISTILL_TRY(auto f, OpenDirFiles(src.path));
    files = std::move(f);
  } else {
    DISTILL_TRY(auto f, OpenTarFiles(src.path));
    files = std::move(f);
  }
  ArchiveOptions opt{src.ref, platform};
  using TryFn = std::optional<Result<std::unique_ptr<Archive>>> (*)(std::shared_ptr<ArchiveFiles>,
                                                                    const ArchiveOptions&);
  // Docker 25+ archives are also OCI layouts: docker-archive: reads manifest.json, the rest
  // index.json.
  std::vector<TryFn> order;
  if (src.scheme == "docker-archive")
    order = {&TryOpenDockerArchive};
  else if (src.scheme == "oci-archive" || src.scheme == "oci-dir")
    order = {&TryOpenOciLayout};
  else
    order = {&TryOpenDockerArchive, &TryOpenOciLayout};
  for (TryFn fn : order) {
    auto r = fn(files, opt);
    if (!r) continue;
    if (r->ok()) {
      auto& meta = r->value()->mutable_meta();
      meta.location = src.path;
      meta.scheme = src.scheme == "archive"
                        ? (fn == &TryOpenDockerArchive ? "docker-archive" : "oci-archive")
                        : src.scheme;
    }
    return std::move(*r);
  }
  if (src.scheme == "docker-archive")
    return Errorf("unknown image format for '{}' (no manifest.json)", src.path);
  if (src.scheme == "oci-archive" || src.scheme == "oci-dir")
    return Errorf("unknown image format for '{}' (no index.json)", src.path);
  return Errorf("unknown image format for '{}' (no index.json or manifest.json)", src.path);
}

namespace {

using LayerResults = std::vector<std::optional<Result<LayerData>>>;

// Checks each layer read against what the metadata pins, then squashes them into out.files.
// Errors name `name` (the source's path, or the engine and reference).
Result<LoadedImage> Finish(LoadedImage out, LayerResults results,
                           const std::vector<DiffIdCheck>& how, const LoadOptions& opt,
                           const std::string& name) {
  const size_t n = out.meta.layers.size();
  std::vector<LayerData> layers;
  layers.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto& r = *results[i];
    const auto& info = out.meta.layers[i];
    std::string layer = info.digest.empty() ? info.path : ShortDigest(info.digest);
    if (r.ok()) {
      auto checked = CheckLayer(info, r.value());
      if (!checked.ok()) r = std::move(checked).error();
    }
    if (!r.ok()) return std::move(r).error().wrap(fmt::format("{}: layer {}", name, layer));
    if (how[i] == DiffIdCheck::kHashed && !info.digest.empty() &&
        r.value().compression != Compression::kNone)
      opt.diff_ids.Put(r.value().digest, r.value().diff_id);
    layers.push_back(std::move(r.value()));
    out.meta.layers[i].digest = layers.back().digest;
    out.layer_stats.push_back({layers.back().tar_size, layers.back().entries.size(), how[i]});
  }
  if (opt.after_layers) opt.after_layers();
  auto squashed = Squash(layers, opt.keep_layers);
  if (!squashed.ok()) return std::move(squashed).error().wrap(name);
  if (opt.keep_layers)
    for (auto& l : layers) out.layer_entries.push_back(std::move(l.entries));
  std::vector<std::string> digests;
  for (const auto& l : out.meta.layers) digests.push_back(l.digest);
  out.files = FileIndex(std::move(squashed->entries), std::move(digests),
                        std::move(squashed->contents), nullptr);
  return out;
}

// Reads every layer of an opened archive (in parallel, biggest first), then Finish.
Result<LoadedImage> LoadArchive(LoadedImage out, const Archive& archive, const LoadOptions& opt) {
  out.meta = archive.meta();
  const size_t n = out.meta.layers.size();
  LayerResults results(n);
  std::vector<DiffIdCheck> how(n, DiffIdCheck::kHashed);
  uint64_t total = 0;
  for (const auto& l : out.meta.layers) total += l.size;
  Progress progress("reading layers", total);

  // Biggest layers first, so the longest job starts at once.
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return out.meta.layers[a].size > out.meta.layers[b].size;
  });
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k; (k = next.fetch_add(1)) < n;) {
      size_t i = order[k];
      const LayerInfo& info = out.meta.layers[i];
      auto blob = archive.OpenLayer(i);
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
      results[i] = ReadLayer(std::move(reader), opt.plan,
                             {.compression = info.compression,
                              .layer_index = static_cast<int32_t>(i),
                              .limits = opt.limits,
                              .gzip = opt.gzip,
                              .pipeline = opt.pipeline,
                              .known_diff_id = known,
                              .stored_size = info.size});
      // An uncompressed blob is its own tar: its one hash was checked as digest and diff_id.
      if (results[i]->ok() && results[i]->value().compression == Compression::kNone)
        how[i] = DiffIdCheck::kHashed;
      log::debug("layer {} read", i);
    }
  };
  unsigned threads =
      opt.threads > 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max<size_t>(n, 1));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::string name = out.source.path;
  return Finish(std::move(out), std::move(results), how, opt, name);
}

// docker:REF / podman:REF: the engine's `docker save` stream, read as it arrives (docker_stream.h).
// Every layer's tar is hashed: the stream is all there is to check it against the config.
Result<LoadedImage> LoadFromEngine(LoadedImage out, std::string_view name, const LoadOptions& opt) {
  const std::string& ref = out.source.path;
  DISTILL_TRY(engine::Endpoint ep, engine::Connect(name, ref));
  DISTILL_TRY(auto info, engine::Inspect(ep, ref));
  StreamOptions so;
  so.name = engine::Context(ep, ref);
  so.archive.platform = opt.platform;
  so.plan = opt.plan;
  so.limits = opt.limits;
  so.gzip = opt.gzip;
  so.pipeline = opt.pipeline;
  if (auto rootfs = info.find("RootFS"); rootfs != info.end() && rootfs->is_object())
    if (auto layers = rootfs->find("Layers"); layers != rootfs->end() && layers->is_array())
      for (const auto& d : *layers)
        if (d.is_string()) so.diff_ids.push_back(d.get<std::string>());
  auto stream = engine::Save(ep, ref);
  DISTILL_TRY(auto streamed, ReadDockerStream(*stream, so));
  out.meta = std::move(streamed.meta);
  out.meta.scheme = std::string(name);
  out.meta.location = ref;
  LayerResults results;
  for (auto& l : streamed.layers) results.emplace_back(std::move(l));
  std::vector<DiffIdCheck> how(results.size(), DiffIdCheck::kHashed);
  return Finish(std::move(out), std::move(results), how, opt, so.name);
}

// A bare reference: the first of docker, podman and the registry that has it; otherwise one error
// that says what each said.
Result<LoadedImage> LoadByLookup(LoadedImage out, const LoadOptions& opt) {
  const std::string text = out.source.text;
  std::vector<std::string> tried = {fmt::format("file: {}: no such file or directory", text)};
  for (std::string_view where : kLookupOrder) {
    LoadedImage attempt;
    attempt.source = SourceSpec{std::string(where), text, "", text};
    Result<LoadedImage> r = Errorf("not tried");
    if (where == "registry") {
      auto archive = OpenArchive(attempt.source, opt.platform, opt.registry);
      r = archive.ok() ? LoadArchive(std::move(attempt), **archive, opt)
                       : Result<LoadedImage>(std::move(archive).error());
      if (!r.ok()) {
        auto ref = registry::ParseReference(text);
        r = std::move(r).error().wrap(
            fmt::format("registry ({})", ref.ok() ? ref->ToString() : text));
      }
    } else {
      r = LoadFromEngine(std::move(attempt), where, opt);
    }
    if (r.ok()) {
      log::debug("{}: found in {}", text, where);
      return r;
    }
    tried.push_back(r.error().message);
  }
  return Errorf("{}: no such image; looked in:\n  {}", text, fmt::join(tried, "\n  "));
}

}  // namespace

Result<LoadedImage> LoadImage(std::string_view source, const LoadOptions& opt) {
  LoadedImage out;
  DISTILL_TRY(out.source, ParseSource(source));
  if (out.source.scheme == "dir") {
    std::vector<std::string> unreadable;
    DISTILL_TRY(out.files, IndexDirectory(out.source.path, {.capabilities = opt.capabilities,
                                                            .stat_all = opt.dir_metadata,
                                                            .unreadable = &unreadable}));
    for (const auto& dir : unreadable)
      log::warn("{}: cannot open directory: {} (skipped with everything under it)", dir,
                std::strerror(EACCES));
    out.meta.scheme = "dir";
    out.meta.location = out.source.path;
    return out;
  }
  if (out.source.scheme == "lookup") return LoadByLookup(std::move(out), opt);
  if (out.source.scheme == "docker" || out.source.scheme == "podman") {
    std::string name = out.source.scheme;
    return LoadFromEngine(std::move(out), name, opt);
  }
  DISTILL_TRY(auto archive, OpenArchive(out.source, opt.platform, opt.registry));
  return LoadArchive(std::move(out), *archive, opt);
}

}  // namespace distill::image
