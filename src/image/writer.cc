#include "image/writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "image/engine/engine.h"
#include "image/manifest.h"
#include "image/registry/reference.h"
#include "image/writer_gzip.h"
#include "image/writer_tar.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/log.h"
#include "util/units.h"

namespace distill::image {

namespace {

namespace fs = std::filesystem;

constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kIndexType = "application/vnd.oci.image.index.v1+json";
constexpr const char* kConfigType = "application/vnd.oci.image.config.v1+json";
constexpr const char* kLayerGzipType = "application/vnd.oci.image.layer.v1.tar+gzip";
constexpr const char* kEmptyType = "application/vnd.oci.empty.v1+json";
constexpr const char* kDefaultRefName = "latest";

Blob MakeBlob(std::string media_type, std::string bytes) {
  Blob b{std::move(media_type), "", std::move(bytes)};
  b.digest = Sha256Digest(b.bytes);
  return b;
}

// Compact, key-sorted JSON (nlohmann's object is a std::map): the same document, the same bytes.
std::string Dump(const nlohmann::json& j) { return j.dump(); }

nlohmann::json PlatformJson(const Platform& p) {
  nlohmann::json j = {{"architecture", p.arch}, {"os", p.os}};
  if (!p.variant.empty()) j["variant"] = p.variant;
  return j;
}

Blob IndexBlob(const ImageSet& set) {
  nlohmann::json manifests = nlohmann::json::array();
  for (const auto& img : set.images) {
    nlohmann::json d = DescriptorJson(img.manifest);
    d["platform"] = PlatformJson(img.platform);
    manifests.push_back(d);
  }
  nlohmann::json idx = {{"schemaVersion", 2}, {"mediaType", kIndexType}, {"manifests", manifests}};
  if (!set.index_annotations.empty()) idx["annotations"] = set.index_annotations;
  return MakeBlob(kIndexType, Dump(idx));
}

std::string BlobPath(std::string_view digest) {
  return "blobs/sha256/" + std::string(DigestHex(digest));
}

// The files of an OCI image layout (relative path -> bytes).
std::map<std::string, std::string> OciLayoutFiles(const ImageSet& set) {
  std::map<std::string, std::string> files;
  auto add = [&](const Blob& b) { files[BlobPath(b.digest)] = b.bytes; };
  for (const auto& img : set.images) {
    add(img.manifest);
    add(img.config);
    for (const auto& l : img.layers) add(l);
  }
  for (const auto& b : set.extra_blobs) add(b);
  nlohmann::json top;
  if (set.images.size() == 1) {
    top = DescriptorJson(set.images[0].manifest);
    top["platform"] = PlatformJson(set.images[0].platform);
  } else {
    Blob idx = IndexBlob(set);
    add(idx);
    top = DescriptorJson(idx);
  }
  // Untagged, the image is named "latest", as umoci and skopeo expect an oci:DIR:REF to name it.
  nlohmann::json manifests = nlohmann::json::array();
  for (const auto& tag : set.tags.empty() ? std::vector<std::string>{kDefaultRefName} : set.tags) {
    nlohmann::json d = top;
    d["annotations"][kRefNameAnnotation] = tag;
    manifests.push_back(d);
  }
  nlohmann::json index = {
      {"schemaVersion", 2}, {"mediaType", kIndexType}, {"manifests", manifests}};
  // The referrers stay out of index.json's manifests: containers/image (podman load, podman pull
  // oci:DIR) takes an index.json without a REF only when it lists exactly one manifest. They are
  // listed in an image index of their own (what a registry's referrers API or fallback tag gives),
  // named by an annotation of index.json (doc/build.md).
  if (!set.extra_index_entries.empty()) {
    Blob referrers = MakeBlob(kIndexType, Dump({{"schemaVersion", 2},
                                                {"mediaType", kIndexType},
                                                {"manifests", set.extra_index_entries}}));
    add(referrers);
    index["annotations"][kReferrersAnnotation] = referrers.digest;
  }
  files["index.json"] = Dump(index);
  files["oci-layout"] = R"({"imageLayoutVersion":"1.0.0"})";
  return files;
}

// A docker-archive (`docker save` format) of one image: manifest.json, the config and the
// uncompressed layer tars, all under blobs/sha256/ as Docker 25+ names them.
Result<std::map<std::string, std::string>> DockerArchiveFiles(const ImageSet& set) {
  if (set.images.size() != 1)
    return Errorf(
        "docker-archive holds one platform, the build has {} (use oci-dir or oci-archive)",
        set.images.size());
  const BuiltImage& img = set.images[0];
  std::map<std::string, std::string> files;
  files[BlobPath(img.config.digest)] = img.config.bytes;
  nlohmann::json layers = nlohmann::json::array();
  for (size_t i = 0; i < img.tars.size(); ++i) {
    files[BlobPath(img.diff_ids[i])] = img.tars[i];
    layers.push_back(BlobPath(img.diff_ids[i]));
  }
  nlohmann::json tags = nlohmann::json::array();
  for (const auto& t : set.tags) {
    // RepoTags need name:tag; a bare name gets ":latest" as docker does.
    size_t slash = t.rfind('/');
    bool has_tag = t.find(':', slash == std::string::npos ? 0 : slash) != std::string::npos;
    tags.push_back(has_tag ? t : t + ":latest");
  }
  nlohmann::json m = nlohmann::json::array(
      {{{"Config", BlobPath(img.config.digest)}, {"RepoTags", tags}, {"Layers", layers}}});
  files["manifest.json"] = Dump(m);
  return files;
}

std::vector<TarItem> TarItemsOf(const std::map<std::string, std::string>& files) {
  std::vector<TarItem> items;
  std::set<std::string> dirs;
  for (const auto& [path, bytes] : files) {
    for (size_t p = path.find('/'); p != std::string::npos; p = path.find('/', p + 1))
      dirs.insert(path.substr(0, p));
    TarItem it;
    it.path = path;
    it.data = bytes;
    items.push_back(std::move(it));
  }
  for (const auto& d : dirs) {
    TarItem it;
    it.path = d;
    it.type = TarItem::Type::kDir;
    it.mode = 0755;
    items.push_back(std::move(it));
  }
  return items;
}

std::string RandomSuffix() {
  std::random_device rd;
  return fmt::format("{:08x}", rd());
}

Status WriteDirAtomic(const std::string& dir, const std::map<std::string, std::string>& files) {
  std::error_code ec;
  fs::path target = fs::path(dir);
  if (fs::exists(target, ec) && !fs::is_empty(target, ec) && !fs::exists(target / "oci-layout", ec))
    return Errorf("{}: exists and is not an OCI layout; refusing to replace it", dir);
  fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  fs::create_directories(parent, ec);
  std::string tmp =
      (parent / ("." + target.filename().string() + ".tmp-" + RandomSuffix())).string();
  auto fail = [&](Error e) {
    std::error_code ignore;
    fs::remove_all(tmp, ignore);
    return e;
  };
  for (const auto& [rel, bytes] : files) {
    fs::path p = fs::path(tmp) / rel;
    fs::create_directories(p.parent_path(), ec);
    if (ec)
      return fail(
          Errorf("{}: cannot create directory: {}", p.parent_path().string(), ec.message()));
    auto st = WriteFileAtomic(p.string(), bytes);
    if (!st.ok()) return fail(std::move(st).error());
  }
  std::string old;
  if (fs::exists(target, ec)) {
    old = (parent / ("." + target.filename().string() + ".old-" + RandomSuffix())).string();
    fs::rename(target, old, ec);
    if (ec) return fail(Errorf("{}: cannot move the old layout aside: {}", dir, ec.message()));
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, target, ec);
    return fail(Errorf("{}: cannot rename into place: {}", dir, ec.message()));
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return {};
}

Status WriteTarAtomic(const std::string& path, const std::map<std::string, std::string>& files) {
  DISTILL_TRY(std::string tar, WriteTar(TarItemsOf(files), 0));
  return WriteFileAtomic(path, tar);
}

bool IsEngine(std::string_view scheme) { return scheme == "docker" || scheme == "podman"; }

// docker:NAME / podman:NAME: the docker-archive, named NAME (then the build's tags), handed to the
// engine's load endpoint; the engine stores it or nothing.
Status LoadIntoEngine(const ImageSet& set, const OutputTarget& out) {
  ImageSet named = set;
  named.tags = {out.path};
  for (const auto& t : set.tags)
    if (t != out.path) named.tags.push_back(t);
  DISTILL_TRY(auto files, DockerArchiveFiles(named));
  DISTILL_TRY(std::string tar, WriteTar(TarItemsOf(files), 0));
  DISTILL_TRY(engine::Endpoint ep, engine::Connect(out.scheme, out.path));
  DISTILL_TRY(std::string said, engine::Load(ep, std::move(tar)));
  log::debug("{}: {}", engine::Context(ep, out.path), said);
  return {};
}

}  // namespace

std::string Rfc3339(int64_t t) { return UtcTime(t); }

nlohmann::json DescriptorJson(const Blob& b) {
  return {{"mediaType", b.media_type}, {"digest", b.digest}, {"size", b.bytes.size()}};
}

Result<BuiltImage> BuildImage(ImageInput in, int threads) {
  BuiltImage out;
  out.platform = in.platform;
  size_t n = in.layers.size();
  out.layers.resize(n);
  out.diff_ids.resize(n);
  unsigned hw = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  auto run = [&](size_t count, const auto& fn) {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t k; (k = next.fetch_add(1)) < count;) fn(k);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::min<size_t>(hw, count); ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  };
  run(n, [&](size_t i) { out.diff_ids[i] = Sha256Digest(in.layers[i].tar); });
  // The layer cache: the gzip of a tar is a function of its bytes (its diff_id) and the encoder, so
  // a rebuild takes it from there instead of compressing again.
  std::vector<std::string> cache_path(n);
  std::vector<bool> cached(n, false);
  if (!in.layer_cache.empty()) {
    for (size_t i = 0; i < n; ++i) {
      cache_path[i] = fmt::format("{}/{}.{}", in.layer_cache, DigestHex(out.diff_ids[i]),
                                  GzipEncoderId(in.gzip_level));
      auto gz = ReadFile(cache_path[i], 4ull << 30);
      if (!gz.ok()) continue;
      out.layers[i] = MakeBlob(kLayerGzipType, std::move(*gz));
      cached[i] = true;
    }
  }
  // One flat list of tasks over every layer left — each gzip member (a fixed-size chunk) — biggest
  // layers first, so all cores stay busy however the bytes are spread over layers. Then each
  // layer's members are joined and its blob hashed, once.
  std::vector<size_t> order;
  for (size_t i = 0; i < n; ++i)
    if (!cached[i]) order.push_back(i);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return in.layers[a].tar.size() > in.layers[b].tar.size(); });
  struct Task {
    size_t layer, member;
  };
  std::vector<Task> tasks;
  std::vector<std::vector<std::string>> members(n);
  for (size_t i : order) {
    size_t m = GzipMembers(in.layers[i].tar.size());
    members[i].resize(m);
    for (size_t j = 0; j < m; ++j) tasks.push_back({i, j});
  }
  run(tasks.size(), [&](size_t k) {
    const Task& t = tasks[k];
    members[t.layer][t.member] = GzipMember(in.layers[t.layer].tar, t.member, in.gzip_level);
  });
  run(order.size(), [&](size_t k) {
    size_t i = order[k];
    size_t total = 0;
    for (const auto& m : members[i]) total += m.size();
    std::string gz;
    gz.reserve(total);
    for (auto& m : members[i]) {
      gz += m;
      std::string().swap(m);
    }
    out.layers[i] = MakeBlob(kLayerGzipType, std::move(gz));
  });
  if (!in.layer_cache.empty()) {
    std::error_code ec;
    fs::create_directories(in.layer_cache, ec);
    for (size_t i : order)
      (void)WriteFileAtomic(cache_path[i], out.layers[i].bytes);  // best effort
  }

  std::string created = Rfc3339(in.created);
  nlohmann::json history = nlohmann::json::array();
  for (const auto& l : in.layers)
    history.push_back({{"created", created}, {"created_by", l.created_by}});
  nlohmann::json config = PlatformJson(in.platform);
  config["created"] = created;
  config["config"] = in.config;
  config["rootfs"] = {{"type", "layers"}, {"diff_ids", out.diff_ids}};
  config["history"] = history;
  out.config = MakeBlob(kConfigType, Dump(config));

  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : out.layers) layers.push_back(DescriptorJson(l));
  nlohmann::json manifest = {{"schemaVersion", 2},
                             {"mediaType", kManifestType},
                             {"config", DescriptorJson(out.config)},
                             {"layers", layers}};
  if (!in.annotations.empty()) manifest["annotations"] = in.annotations;
  out.manifest = MakeBlob(kManifestType, Dump(manifest));
  for (auto& l : in.layers) out.tars.push_back(std::move(l.tar));
  return out;
}

Blob AddReferrer(ImageSet* set, const Blob& subject, const Artifact& a) {
  Blob empty = MakeBlob(kEmptyType, "{}");
  Blob content = MakeBlob(a.artifact_type, a.bytes);
  nlohmann::json layer = DescriptorJson(content);
  if (!a.title.empty()) layer["annotations"]["org.opencontainers.image.title"] = a.title;
  nlohmann::json m = {{"schemaVersion", 2},
                      {"mediaType", kManifestType},
                      {"artifactType", a.artifact_type},
                      {"config", DescriptorJson(empty)},
                      {"layers", nlohmann::json::array({layer})},
                      {"subject", DescriptorJson(subject)}};
  if (!a.annotations.empty()) m["annotations"] = a.annotations;
  Blob manifest = MakeBlob(kManifestType, Dump(m));
  nlohmann::json entry = DescriptorJson(manifest);
  entry["artifactType"] = a.artifact_type;
  if (!a.annotations.empty()) entry["annotations"] = a.annotations;
  set->extra_blobs.push_back(empty);
  set->extra_blobs.push_back(content);
  set->extra_blobs.push_back(manifest);
  set->extra_index_entries.push_back(entry);
  return manifest;
}

Status UpdateOutput(const ImageSet& set, const OutputTarget& out) {
  if (out.scheme == "docker-archive" || IsEngine(out.scheme)) return {};
  if (out.scheme == "oci-archive") return WriteTarAtomic(out.path, OciLayoutFiles(set));
  if (out.scheme != "oci-dir") return Errorf("unknown output scheme '{}'", out.scheme);
  auto files = OciLayoutFiles(set);
  std::error_code ec;
  for (const auto& [rel, bytes] : files) {
    if (rel == "index.json" || fs::exists(fs::path(out.path) / rel, ec)) continue;
    DISTILL_TRY_VOID(WriteFileAtomic((fs::path(out.path) / rel).string(), bytes));
  }
  return WriteFileAtomic((fs::path(out.path) / "index.json").string(), files["index.json"]);
}

Result<OutputTarget> ParseOutputTarget(std::string_view text) {
  for (std::string_view scheme : {"oci-dir", "oci-archive", "docker-archive", "docker", "podman"}) {
    if (text.starts_with(scheme) && text.size() > scheme.size() && text[scheme.size()] == ':') {
      std::string path(text.substr(scheme.size() + 1));
      if (path.empty()) break;
      if (IsEngine(scheme)) {
        auto ref = registry::ParseReference(path);
        if (!ref.ok()) return std::move(ref).error().wrap(fmt::format("bad output '{}'", text));
        if (!ref->digest.empty())
          return Errorf("bad output '{}': name the image NAME[:TAG], not by digest", text);
      }
      return OutputTarget{std::string(scheme), path};
    }
  }
  return Errorf(
      "bad output '{}': expected oci-dir:DIR, oci-archive:FILE, docker-archive:FILE, docker:NAME "
      "or podman:NAME",
      text);
}

std::string TopDigest(const ImageSet& set) {
  if (set.images.size() == 1) return set.images[0].manifest.digest;
  return IndexBlob(set).digest;
}

Result<std::string> WriteImageSet(const ImageSet& set, const OutputTarget& out) {
  if (set.images.empty()) return InternalErrorf("no image to write");
  if (out.scheme == "docker-archive") {
    DISTILL_TRY(auto files, DockerArchiveFiles(set));
    DISTILL_TRY_VOID(WriteTarAtomic(out.path, files));
  } else if (out.scheme == "oci-archive") {
    DISTILL_TRY_VOID(WriteTarAtomic(out.path, OciLayoutFiles(set)));
  } else if (out.scheme == "oci-dir") {
    DISTILL_TRY_VOID(WriteDirAtomic(out.path, OciLayoutFiles(set)));
  } else if (IsEngine(out.scheme)) {
    DISTILL_TRY_VOID(LoadIntoEngine(set, out));
  } else {
    return Errorf("unknown output scheme '{}'", out.scheme);
  }
  return TopDigest(set);
}

}  // namespace distill::image
