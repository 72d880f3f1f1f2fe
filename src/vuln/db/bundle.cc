#include "vuln/db/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "image/byte_stream.h"
#include "image/decompress.h"
#include "image/manifest.h"
#include "image/writer_tar.h"
#include "util/archive_data.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/heap.h"
#include "util/units.h"
#include "vuln/db/compress.h"
#include "vuln/db/install.h"
#include "vuln/db/lock.h"

namespace distill::vuln::db {

namespace {

using nlohmann::json;
constexpr size_t kChunk = 1 << 20;
constexpr uint64_t kMaxManifest = 1 << 20;

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive*)>;

// Where libarchive's input comes from: the decompressed export.
struct ReadContext {
  image::ByteStream* r;
  heap::ScratchBuffer buf{kChunk};
  std::optional<Error> error;
  static la_ssize_t Callback(struct archive*, void* ud, const void** out) {
    auto* c = static_cast<ReadContext*>(ud);
    auto n = c->r->Read(c->buf.data(), kChunk);
    if (!n.ok()) {
      c->error = std::move(n).error();
      return -1;
    }
    *out = c->buf.data();
    return static_cast<la_ssize_t>(*n);
  }
};

// sha256 of the whole file, read through `file` (the same open file the export then copies, so a
// database renamed over meanwhile cannot make the manifest lie).
Result<std::string> DigestOf(const RandomAccessFile& file, heap::ScratchBuffer& buf) {
  Sha256 sha;
  for (uint64_t off = 0; off < file.size();) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, file.size() - off));
    DISTILL_TRY_VOID(file.ReadAt(off, buf.data(), n));
    sha.update(buf.data(), n);
    off += n;
  }
  return sha.digest();
}

Status WriteBundle(const std::string& tmp, const BundleManifest& bundle_manifest, int64_t mtime,
                   const RandomAccessFile& db, heap::ScratchBuffer& buf) {
  UniqueFile out(std::fopen(tmp.c_str(), "wbx"));
  if (!out) return Errorf("{}: cannot create: {}", tmp, std::strerror(errno));
  auto sink = [&](const char* data, size_t n) -> Status {
    if (std::fwrite(data, 1, n, out.get()) != n)
      return Errorf("{}: write failed: {}", tmp, std::strerror(errno));
    return {};
  };
  DISTILL_TRY(auto z, ZstdCompressor::Create(sink));
  // The tar is written by image/writer_tar (libarchive's writer would link every archive format it
  // knows, xar's libxml2 and ICU among them, into the binary).
  auto put = [&z](std::string_view bytes) { return z->Write(bytes.data(), bytes.size()); };
  std::string manifest = RenderBundleManifest(bundle_manifest);
  DISTILL_TRY(std::string manifest_header,
              image::TarFileHeader("manifest.json", manifest.size(), mtime));
  DISTILL_TRY_VOID(put(manifest_header));
  DISTILL_TRY_VOID(put(manifest));
  DISTILL_TRY_VOID(put(image::TarPadding(manifest.size())));
  DISTILL_TRY(std::string db_header, image::TarFileHeader("vuln.db", db.size(), mtime));
  DISTILL_TRY_VOID(put(db_header));
  for (uint64_t off = 0; off < db.size();) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, db.size() - off));
    DISTILL_TRY_VOID(db.ReadAt(off, buf.data(), n));
    DISTILL_TRY_VOID(put(std::string_view(reinterpret_cast<const char*>(buf.data()), n)));
    off += n;
  }
  DISTILL_TRY_VOID(put(image::TarPadding(db.size())));
  DISTILL_TRY_VOID(put(image::TarEnd()));
  DISTILL_TRY_VOID(z->Finish());
  if (std::fflush(out.get()) != 0 || ::fsync(::fileno(out.get())) != 0)
    return Errorf("{}: write failed: {}", tmp, std::strerror(errno));
  if (std::fclose(out.release()) != 0)
    return Errorf("{}: write failed: {}", tmp, std::strerror(errno));
  return {};
}

// The entry's name without a leading "./" (a tar made by hand with `tar -C dir .`).
std::string_view EntryName(struct archive_entry* entry) {
  const char* p = archive_entry_pathname(entry);
  std::string_view name = p ? p : "";
  while (name.starts_with("./")) name.remove_prefix(2);
  return name;
}

}  // namespace

std::string RenderBundleManifest(const BundleManifest& manifest) {
  nlohmann::ordered_json j;
  j["mediaType"] = kExportMediaType;
  j["schemaVersion"] = manifest.schema_version;
  j["builtAt"] = manifest.built_at;
  j["sourcesDigest"] = manifest.sources_digest;
  j["size"] = manifest.size;
  j["digest"] = manifest.digest;
  return j.dump(2) + "\n";
}

Result<BundleManifest> ParseBundleManifest(std::string_view bytes, std::string_view where) {
  DISTILL_TRY(json j, image::ParseJsonObject(bytes, where));
  auto str = [&](const char* key, std::string* out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
      return Errorf("{}: {} is missing or not a string", where, key);
    *out = it->get<std::string>();
    return {};
  };
  std::string media_type;
  DISTILL_TRY_VOID(str("mediaType", &media_type));
  if (media_type != kExportMediaType)
    return Errorf("{}: media type {} is not a distill database export ({})", where, media_type,
                  kExportMediaType);
  BundleManifest m;
  auto v = j.find("schemaVersion");
  if (v == j.end() || !v->is_number_integer() || v->get<int64_t>() < 0 ||
      v->get<int64_t>() > 1000000)
    return Errorf("{}: schemaVersion is missing or not a small integer", where);
  m.schema_version = static_cast<int>(v->get<int64_t>());
  DISTILL_TRY_VOID(CheckArtifactSchema(m.schema_version, where));
  DISTILL_TRY_VOID(str("builtAt", &m.built_at));
  DISTILL_TRY_VOID(str("sourcesDigest", &m.sources_digest));
  DISTILL_TRY_VOID(str("digest", &m.digest));
  if (!m.digest.starts_with("sha256:") || !IsSha256Hex(DigestHex(m.digest)))
    return Errorf("{}: digest \"{}\" is not a sha256 digest", where, m.digest);
  auto size = j.find("size");
  if (size == j.end() || !size->is_number_unsigned())
    return Errorf("{}: size is missing or not a number", where);
  m.size = size->get<uint64_t>();
  return m;
}

bool IsDatabaseExport(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char magic[4] = {};
  ssize_t n = ::read(fd, magic, sizeof magic);
  ::close(fd);
  return n == 4 && image::SniffCompression(magic, 4) == image::Compression::kZstd;
}

Result<BundleManifest> ExportDatabase(const std::string& db_path, const std::string& file) {
  DISTILL_TRY(DbDescription d, DescribeDatabase(db_path));
  DISTILL_TRY(auto db, RandomAccessFile::Open(db_path));
  heap::ScratchBuffer buf(kChunk);
  BundleManifest m;
  m.schema_version = d.schema_version;
  m.built_at = UtcTime(d.built_at);
  m.sources_digest = d.sources_digest;
  m.size = db->size();
  DISTILL_TRY(m.digest, DigestOf(*db, buf));
  std::string tmp = DbTempPath(file);
  if (auto st = WriteBundle(tmp, m, d.built_at, *db, buf); !st.ok()) {
    ::unlink(tmp.c_str());
    return std::move(st).error();
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Errorf("cannot rename {} to {}: {}", tmp, file, std::strerror(e));
  }
  return m;
}

Result<BundleImport> ImportDatabase(const std::string& file, const std::string& db_path) {
  DISTILL_TRY(auto f, RandomAccessFile::OpenRegular(file));
  uint64_t fsize = f->size();
  auto zst = image::Decompress(std::make_unique<image::FileRegionReader>(std::move(f), 0, fsize),
                               image::Compression::kZstd);
  ReadContext ctx{zst.get()};
  ArchivePtr a(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(a.get());
  if (archive_read_open(a.get(), &ctx, nullptr, &ReadContext::Callback, nullptr) != ARCHIVE_OK)
    return ctx.error ? ctx.error->wrap(file)
                     : Errorf("{}: not a tar archive: {}", file, ArchiveError(a.get()));
  DISTILL_TRY(auto installer, Installer::Create(db_path));
  std::optional<BundleManifest> manifest;
  std::string db_digest;
  bool have_db = false;
  struct archive_entry* e = nullptr;
  while (true) {
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
      return ctx.error ? ctx.error->wrap(file) : Errorf("{}: {}", file, ArchiveError(a.get()));
    std::string_view name = EntryName(e);
    std::string where = fmt::format("{}: {}", file, name);
    if (name == "manifest.json" && !manifest) {
      std::string bytes;
      auto n = ReadEntryData(a.get(), kMaxManifest + 1, &bytes);
      if (!n.ok()) return ctx.error ? ctx.error->wrap(where) : n.error().wrap(where);
      if (bytes.size() > kMaxManifest)
        return Errorf("{}: larger than {} bytes", where, kMaxManifest);
      DISTILL_TRY(manifest, ParseBundleManifest(bytes, where));
    } else if (name == "vuln.db" && !have_db) {
      Sha256 sha;
      heap::ScratchBuffer buf(kChunk);
      while (true) {
        la_ssize_t n = archive_read_data(a.get(), buf.data(), kChunk);
        if (n < 0)
          return ctx.error ? ctx.error->wrap(where)
                           : Errorf("{}: {}", where, ArchiveError(a.get()));
        if (n == 0) break;
        sha.update(buf.data(), static_cast<size_t>(n));
        DISTILL_TRY_VOID(installer->Write(buf.data(), static_cast<size_t>(n)));
        if (manifest && installer->written() > manifest->size)
          return Errorf("{}: larger than the {} bytes manifest.json says", where, manifest->size);
      }
      db_digest = sha.digest();
      have_db = true;
    } else {
      return Errorf(
          "{}: unexpected entry in a database export (it holds manifest.json and vuln.db)", where);
    }
  }
  if (!manifest) return Errorf("{}: not a distill database export: no manifest.json", file);
  if (!have_db) return Errorf("{}: no vuln.db in the export", file);
  if (installer->written() != manifest->size)
    return Errorf("{}: vuln.db: {} bytes, manifest.json says {}", file, installer->written(),
                  manifest->size);
  if (db_digest != manifest->digest)
    return Errorf("{}: vuln.db: digest mismatch (content is {}, manifest.json says {})", file,
                  ShortDigest(db_digest), ShortDigest(manifest->digest));
  BundleImport out;
  out.manifest = std::move(*manifest);
  DISTILL_TRY(out.built_at, installer->Commit({}, file));
  return out;
}

}  // namespace distill::vuln::db
