#include "vuln/db/artifact.h"

#include <stdlib.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <tuple>

#include <nlohmann/json.hpp>

#include "image/decompress.h"
#include "image/manifest.h"
#include "image/registry/blob_reader.h"
#include "image/registry/push.h"
#include "image/registry/reference.h"
#include "image/registry/source.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/heap.h"
#include "util/progress.h"
#include "util/units.h"
#include "vuln/db/compress.h"
#include "vuln/db/install.h"
#include "vuln/db/schema.h"
#include "vuln/db/sqlite.h"

namespace distill::vuln::db {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kLayerPrefix = "application/vnd.distill.vuln-db.v";
constexpr std::string_view kLayerSuffix = ".sqlite+zstd";

Result<std::string> SourcesDigestOf(sql::Conn& db) {
  DISTILL_TRY(auto st, db.Prepare("SELECT kind, origin FROM sources ORDER BY origin, kind"));
  Sha256 sha;
  while (true) {
    DISTILL_TRY(bool row, st.Step());
    if (!row) break;
    sha.update(st.Text(0));
    sha.update("\t", 1);
    sha.update(st.Text(1));
    sha.update("\n", 1);
  }
  return sha.digest();
}

// A decimal integer of a whole string (annotations are strings).
template <typename T>
bool ParseDecimal(std::string_view text, T* out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && p == text.data() + text.size() && !text.empty();
}

// The string at obj[key], "" when absent; an error when it is there but not a string.
Result<std::string> StringField(const json& obj, std::string_view key, std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Errorf("{}: {} is not a string", where, key);
  return it->get<std::string>();
}

// The remote artifact's bytes as they arrive: counted, and hashed when the reader under it does
// not hash them itself (a blob served from the blob cache, checked when it entered the cache).
class Tap : public image::ByteStream {
 public:
  explicit Tap(std::unique_ptr<image::ByteStream> src)
      : src_(std::move(src)), hash_(!src_->self_verifying()) {}
  Result<size_t> Read(void* buf, size_t n) override {
    DISTILL_TRY(size_t got, src_->Read(buf, n));
    if (hash_) sha_.update(buf, got);
    count_ += got;
    return got;
  }
  uint64_t count() const { return count_; }
  bool hashed() const { return hash_; }
  std::string digest() { return sha_.digest(); }

 private:
  std::unique_ptr<image::ByteStream> src_;
  bool hash_;
  Sha256 sha_;
  uint64_t count_ = 0;
};

// Why a layer failed to decompress: a corrupt (or cut) zstd stream is most often bytes that are
// not the layer's, so the rest is read to find out whether the digest matches (the blob reader's
// check fails the end of the stream); a mismatch is then the error, else the decompressor's.
Error DownloadError(Tap& raw, const std::string& digest, Error decompress) {
  std::string rest(1 << 16, '\0');
  while (true) {
    auto n = raw.Read(rest.data(), rest.size());
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) break;
  }
  if (raw.hashed() && raw.digest() != digest)
    return Errorf("digest mismatch (content is {})", ShortDigest(raw.digest()));
  return decompress;
}

// A directory under $TMPDIR removed with everything in it when the object goes away.
class TempDir {
 public:
  static Result<TempDir> Make(std::string_view prefix) {
    std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) return Errorf("{}: cannot create a temporary directory", tmpl);
    TempDir d;
    d.path_ = tmpl;
    return d;
  }
  TempDir() = default;
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Compresses the database into blobs/sha256/ of an OCI layout; returns the blob's digest and size.
Result<std::pair<std::string, uint64_t>> WriteLayer(const std::string& db_path,
                                                    const std::string& blobs, int level,
                                                    uint64_t* db_size) {
  const std::string tmp = blobs + "/layer.tmp";
  UniqueFile f(std::fopen(tmp.c_str(), "wb"));
  if (!f) return Errorf("{}: cannot create", tmp);
  Sha256 sha;
  uint64_t size = 0;
  auto sink = [&](const char* data, size_t n) -> Status {
    sha.update(data, n);
    size += n;
    if (std::fwrite(data, 1, n, f.get()) != n) return Errorf("{}: write failed", tmp);
    return {};
  };
  DISTILL_TRY(auto z, ZstdCompressor::Create(sink, level));
  DISTILL_TRY(*db_size, CompressFile(db_path, *z));
  DISTILL_TRY_VOID(z->Finish());
  if (std::fclose(f.release()) != 0) return Errorf("{}: write failed", tmp);
  std::string digest = sha.digest();
  fs::rename(tmp, blobs + "/" + std::string(DigestHex(digest)));
  return std::make_pair(digest, size);
}

}  // namespace

std::string LayerMediaType(int schema_version) {
  return fmt::format("{}{}{}", kLayerPrefix, schema_version, kLayerSuffix);
}

Status CheckArtifactSchema(int version, std::string_view where) {
  if (version > kSchemaVersion)
    return Errorf(
        "{}: database schema version {} is newer than this distill supports ({}); update distill",
        where, version, kSchemaVersion);
  if (version < kSchemaVersion)
    return Errorf(
        "{}: database schema version {} is older than this distill supports ({}); push a database "
        "built "
        "by this distill version",
        where, version, kSchemaVersion);
  return {};
}

Result<std::string> SourcesDigest(const std::string& db_path) {
  DISTILL_TRY(auto db, sql::Conn::Open(db_path, SQLITE_OPEN_READONLY));
  DISTILL_TRY_VOID(CheckSchemaVersion(db));
  return SourcesDigestOf(db);
}

Result<DbDescription> DescribeDatabase(const std::string& db_path) {
  std::error_code ec;
  if (!fs::exists(db_path, ec))
    return Errorf("{}: no vulnerability database (run `distill db update` or `distill db import`)",
                  db_path);
  DISTILL_TRY(auto db, sql::Conn::Open(db_path, SQLITE_OPEN_READONLY));
  DISTILL_TRY_VOID(CheckSchemaVersion(db));
  DbDescription d;
  d.schema_version = kSchemaVersion;
  DISTILL_TRY(auto meta, db.Prepare("SELECT value FROM meta WHERE key = 'built_at'"));
  DISTILL_TRY(bool row, meta.Step());
  if (row) d.built_at = meta.Int(0);
  DISTILL_TRY(d.sources_digest, SourcesDigestOf(db));
  d.size = fs::file_size(db_path, ec);
  return d;
}

std::string BuildArtifactManifest(const DbDescription& description, const std::string& layer_digest,
                                  uint64_t layer_size) {
  json m;
  m["schemaVersion"] = 2;
  m["mediaType"] = kManifestType;
  m["artifactType"] = kArtifactType;
  m["config"] = {{"mediaType", kEmptyConfigType}, {"digest", kEmptyConfigDigest}, {"size", 2}};
  m["layers"] =
      json::array({json{{"mediaType", LayerMediaType(description.schema_version)},
                        {"digest", layer_digest},
                        {"size", layer_size},
                        {"annotations", {{"org.opencontainers.image.title", "vuln.db.zst"}}}}});
  std::string created = UtcTime(description.built_at);
  m["annotations"] = {{"org.opencontainers.image.created", created},
                      {std::string(kAnnotationSchema), std::to_string(description.schema_version)},
                      {std::string(kAnnotationBuiltAt), created},
                      {std::string(kAnnotationSources), description.sources_digest},
                      {std::string(kAnnotationSize), std::to_string(description.size)}};
  return m.dump();
}

Result<ArtifactManifest> ParseArtifactManifest(std::string_view bytes, std::string_view where) {
  DISTILL_TRY(json m, image::ParseJsonObject(bytes, fmt::format("{}: manifest", where)));
  DISTILL_TRY(std::string media_type, StringField(m, "mediaType", where));
  if (image::IsIndexMediaType(media_type) || (media_type.empty() && m.contains("manifests")))
    return Errorf("{}: is an image index, not a distill vulnerability database ({})", where,
                  kArtifactType);
  if (!media_type.empty() && !image::IsManifestMediaType(media_type))
    return Errorf("{}: manifest media type {} is not an OCI image manifest", where, media_type);
  DISTILL_TRY(std::string type, StringField(m, "artifactType", where));
  std::string config_type;
  if (auto c = m.find("config"); c != m.end() && c->is_object()) {
    DISTILL_TRY(config_type, StringField(*c, "mediaType", where));
  }
  if (type.empty() && config_type != kEmptyConfigType)
    type = config_type;  // (artifacts before image-spec 1.1)
  if (type == "application/vnd.oci.image.config.v1+json" ||
      type == "application/vnd.docker.container.image.v1+json")
    return Errorf("{}: is a container image, not a distill vulnerability database ({})", where,
                  kArtifactType);
  if (type != kArtifactType)
    return Errorf("{}: is an artifact of type {}, not a distill vulnerability database ({})", where,
                  type.empty() ? "(none)" : type, kArtifactType);
  ArtifactManifest a;
  if (auto an = m.find("annotations"); an != m.end() && !an->is_null()) {
    if (!an->is_object()) return Errorf("{}: annotations is not an object", where);
    DISTILL_TRY(std::string schema, StringField(*an, kAnnotationSchema, where));
    if (!schema.empty() && !ParseDecimal(schema, &a.described.schema_version))
      return Errorf("{}: annotation {} is not a number: \"{}\"", where, kAnnotationSchema, schema);
    // Refused here, before anything is downloaded.
    if (!schema.empty()) DISTILL_TRY_VOID(CheckArtifactSchema(a.described.schema_version, where));
    DISTILL_TRY(a.described.sources_digest, StringField(*an, kAnnotationSources, where));
    DISTILL_TRY(std::string size, StringField(*an, kAnnotationSize, where));
    if (!size.empty() && !ParseDecimal(size, &a.described.size))
      return Errorf("{}: annotation {} is not a number: \"{}\"", where, kAnnotationSize, size);
  }
  auto layers = m.find("layers");
  if (layers == m.end() || !layers->is_array() || layers->size() != 1)
    return Errorf("{}: a distill database artifact has exactly one layer", where);
  DISTILL_TRY(image::Descriptor layer,
              image::ParseDescriptor((*layers)[0], fmt::format("{}: layers[0]", where)));
  std::string_view lt = layer.media_type;
  int v = 0;
  if (!lt.starts_with(kLayerPrefix) || !lt.ends_with(kLayerSuffix) ||
      !ParseDecimal(
          lt.substr(kLayerPrefix.size(), lt.size() - kLayerPrefix.size() - kLayerSuffix.size()),
          &v))
    return Errorf("{}: layer media type {} is not a distill database layer ({})", where,
                  layer.media_type.empty() ? "(none)" : layer.media_type,
                  LayerMediaType(kSchemaVersion));
  DISTILL_TRY_VOID(CheckArtifactSchema(v, where));
  if (!layer.digest.starts_with("sha256:"))
    return Errorf("{}: layer digest {}: only sha256 is supported", where, layer.digest);
  a.layer_digest = layer.digest;
  a.layer_size = layer.size;
  a.layer_schema = v;
  return a;
}

std::string DbRepository(std::string_view config_value) {
  if (const char* env = std::getenv("DISTILL_DB_REPOSITORY"); env && *env) return env;
  return std::string(config_value);
}

Result<PushReport> PushDatabase(const std::string& db_path, std::string_view ref,
                                const PushOptions& opt) {
  DISTILL_TRY(image::registry::Reference dest, image::registry::ParseReference(ref));
  if (!dest.digest.empty()) return Errorf("{}: push to a tag, not a digest", ref);
  DISTILL_TRY(DbDescription d, DescribeDatabase(db_path));
  DISTILL_TRY(TempDir dir, TempDir::Make("distill-db-push-"));
  const std::string blobs = dir.path() + "/blobs/sha256";
  std::error_code ec;
  fs::create_directories(blobs, ec);
  if (ec) return Errorf("{}: cannot create: {}", blobs, ec.message());
  PushReport report;
  auto layer = WriteLayer(db_path, blobs, opt.level > 0 ? opt.level : kDbZstdLevel, &d.size);
  if (!layer.ok()) return std::move(layer).error().wrap(db_path);
  std::tie(report.layer_digest, report.layer_size) = *layer;
  report.db_size = d.size;
  DISTILL_TRY_VOID(WriteFileAtomic(blobs + "/" + std::string(DigestHex(kEmptyConfigDigest)), "{}",
                                   Durable::kNo));
  std::string manifest = BuildArtifactManifest(d, report.layer_digest, report.layer_size);
  std::string digest = Sha256Digest(manifest);
  DISTILL_TRY_VOID(
      WriteFileAtomic(blobs + "/" + std::string(DigestHex(digest)), manifest, Durable::kNo));
  json index = {
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.index.v1+json"},
      {"manifests",
       json::array(
           {json{{"mediaType", kManifestType}, {"digest", digest}, {"size", manifest.size()}}})}};
  DISTILL_TRY_VOID(WriteFileAtomic(dir.path() + "/index.json", index.dump(), Durable::kNo));
  DISTILL_TRY_VOID(WriteFileAtomic(dir.path() + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})",
                                   Durable::kNo));
  image::registry::PushOptions popt;
  popt.registry = opt.registry;
  DISTILL_TRY(report.digest, image::registry::PushOciLayout(dir.path(), "", ref, popt));
  return report;
}

Result<PullReport> PullDatabase(std::string_view ref, const std::string& db_path,
                                const PullOptions& opt) {
  DISTILL_TRY(image::registry::Reference r, image::registry::ParseReference(ref));
  const std::string where = r.ToString();
  DISTILL_TRY(auto client, image::registry::Client::Create(r.ApiHost(), opt.registry));
  auto m = image::registry::FetchManifest(*client, r.repository, r.ManifestRef());
  if (!m.ok()) return std::move(m).error().wrap(where);
  DISTILL_TRY(ArtifactManifest a, ParseArtifactManifest(m->bytes, where));
  PullReport report;
  report.digest = m->digest;
  report.schema_version = a.layer_schema;
  // The writer lock first: a pull and an import or update of the same file cannot race.
  DISTILL_TRY(auto installer, Installer::Create(db_path));
  if (InstalledMeta(db_path, std::string(kMetaArtifactLayer)) == a.layer_digest) {  // (never empty)
    report.unchanged = true;
    std::string built = InstalledMeta(db_path, "built_at");
    (void)ParseDecimal(built, &report.built_at);
    return report;
  }
  DISTILL_TRY(auto blob, image::registry::OpenBlob(client, r.repository, a.layer_digest));
  auto tap = std::make_unique<Tap>(std::move(blob));
  Tap* counted = tap.get();
  auto db = image::Decompress(std::move(tap), image::Compression::kZstd);
  const std::string what = fmt::format("{}: layer {}", where, ShortDigest(a.layer_digest));
  std::unique_ptr<Progress> bar;
  if (opt.progress) bar = std::make_unique<Progress>("pulling " + where, a.described.size);
  heap::ScratchBuffer buf(1 << 20);
  while (true) {
    auto n = db->Read(buf.data(), 1 << 20);
    if (!n.ok()) return DownloadError(*counted, a.layer_digest, std::move(n).error()).wrap(what);
    if (*n == 0) break;
    DISTILL_TRY_VOID(installer->Write(buf.data(), *n));
    if (bar) bar->Add(*n);
    if (a.described.size > 0 && installer->written() > a.described.size)
      return Errorf("{}: decompresses to more than the {} bytes its annotation says", what,
                    a.described.size);
  }
  if (counted->hashed() && counted->digest() != a.layer_digest)
    return Errorf("{}: digest mismatch (content is {})", what, ShortDigest(counted->digest()));
  if (a.layer_size >= 0 && counted->count() != static_cast<uint64_t>(a.layer_size))
    return Errorf("{}: {} bytes, the manifest says {}", what, counted->count(), a.layer_size);
  if (a.described.size > 0 && installer->written() != a.described.size)
    return Errorf("{}: decompresses to {} bytes, its annotation says {}", what,
                  installer->written(), a.described.size);
  DISTILL_TRY(report.built_at,
              installer->Commit({{std::string(kMetaArtifactRef), where},
                                 {std::string(kMetaArtifactDigest), report.digest},
                                 {std::string(kMetaArtifactLayer), a.layer_digest}},
                                where));
  return report;
}

}  // namespace distill::vuln::db
