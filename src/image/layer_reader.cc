#include "image/layer_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include "image/async_reader.h"
#include "util/archive_data.h"
#include "util/heap.h"

#include <cstring>
#include <memory>
#include <vector>

namespace distill::image {

namespace {

// Address space reserved for the visit buffer at once (more only for a larger file).
constexpr uint64_t kVisitReserve = 64ull << 20;

// Puts back bytes already read (the magic-byte sniff) in front of a stream.
class PrefixReader : public ByteStream {
 public:
  PrefixReader(std::string prefix, std::unique_ptr<ByteStream> rest) : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  Result<size_t> Read(void* buf, size_t n) override {
    if (pos_ < prefix_.size()) {
      size_t k = std::min(n, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    return rest_->Read(buf, n);
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteStream> rest_;
};

// Counts and hashes the tar stream, refusing to expand past the limit. From an AsyncReader the
// inflater's chunks go to libarchive as they are (no copy).
class TarStream {
 public:
  TarStream(ByteStream* src, uint64_t limit, bool hash)
      : src_(src), async_(dynamic_cast<AsyncReader*>(src)), hash_(hash), limit_(limit) {
    if (!async_) buf_.resize(1 << 20);
  }
  static la_ssize_t Callback(struct archive*, void* self, const void** out) {
    return static_cast<TarStream*>(self)->Next(out);
  }
  la_ssize_t Next(const void** out) {
    std::string_view got;
    if (async_) {
      auto v = async_->Next();
      if (!v.ok()) return Fail(std::move(v).error());
      got = *v;
    } else {
      auto n = src_->Read(buf_.data(), buf_.size());
      if (!n.ok()) return Fail(std::move(n).error());
      got = std::string_view(buf_.data(), *n);
    }
    if (hash_) sha_.update(got);
    count_ += got.size();
    if (count_ > limit_) return Fail(Errorf("layer expands to more than the {} byte limit (decompression bomb?)", limit_));
    *out = got.data();
    return static_cast<la_ssize_t>(got.size());
  }
  // Reads what libarchive left (end-of-archive padding) so the diff_id covers every byte.
  Status Drain() {
    const void* p;
    while (true) {
      la_ssize_t n = Next(&p);
      if (n < 0) return *error_;
      if (n == 0) return {};
    }
  }
  uint64_t count() const { return count_; }
  std::string digest() { return sha_.digest(); }
  std::optional<Error> error_;

 private:
  la_ssize_t Fail(Error e) {
    error_ = std::move(e);
    return -1;
  }
  ByteStream* src_;
  AsyncReader* async_;
  bool hash_;
  uint64_t limit_;
  uint64_t count_ = 0;
  Sha256 sha_;
  std::vector<char> buf_;
};

FileType TypeOf(struct archive_entry* ae) {
  switch (archive_entry_filetype(ae)) {
    case AE_IFDIR: return FileType::kDirectory;
    case AE_IFLNK: return FileType::kSymlink;
    case AE_IFCHR: return FileType::kCharDevice;
    case AE_IFBLK: return FileType::kBlockDevice;
    case AE_IFIFO: return FileType::kFifo;
    case AE_IFSOCK: return FileType::kSocket;
    default: return FileType::kRegular;
  }
}

// Turns a tar entry into an Entry; ".wh." names become whiteout markers.
Result<Entry> ToEntry(struct archive_entry* ae, int32_t layer) {
  const char* raw = archive_entry_pathname(ae);
  if (!raw) return Errorf("tar entry without a name");
  std::string_view name(raw);
  std::string_view trimmed = name;
  while (trimmed.starts_with("./")) trimmed.remove_prefix(2);
  if (trimmed.starts_with('/') && trimmed.find_first_not_of('/') != std::string_view::npos)
    return Errorf("entry '{}' has an absolute path", name);
  auto norm = NormalizeEntryPath(name);
  if (!norm.ok()) return Errorf("entry '{}' climbs out of the image root", name);
  Entry e;
  e.path = std::move(*norm);
  e.layer = layer;
  e.mode = archive_entry_perm(ae) & 07777;
  e.uid = static_cast<uint32_t>(archive_entry_uid(ae));
  e.gid = static_cast<uint32_t>(archive_entry_gid(ae));
  e.mtime = archive_entry_mtime(ae);
  e.type = TypeOf(ae);
  e.size = archive_entry_size_is_set(ae) ? static_cast<uint64_t>(archive_entry_size(ae)) : 0;
  if (const char* hl = archive_entry_hardlink(ae)) {
    auto t = NormalizeEntryPath(hl);
    if (!t.ok() || std::string_view(hl).starts_with('/'))
      return Errorf("entry '{}': hardlink target '{}' leaves the image root", name, hl);
    e.type = FileType::kHardlink;
    e.link = std::move(*t);
    e.size = 0;
  } else if (e.type == FileType::kSymlink) {
    const char* target = archive_entry_symlink(ae);
    e.link = target ? target : "";
    e.size = 0;
  }
  if (e.type == FileType::kCharDevice || e.type == FileType::kBlockDevice) {
    e.dev_major = archive_entry_rdevmajor(ae);
    e.dev_minor = archive_entry_rdevminor(ae);
  }
  if (e.type == FileType::kDirectory) e.size = 0;
  archive_entry_xattr_reset(ae);
  const char* xname;
  const void* xval;
  size_t xsize;
  while (archive_entry_xattr_next(ae, &xname, &xval, &xsize) == ARCHIVE_OK)
    e.xattrs.emplace_back(xname, std::string(static_cast<const char*>(xval), xsize));

  // Whiteouts (OCI image-spec layer.md): ".wh..wh..opq" hides the directory's lower children,
  // ".wh.NAME" deletes NAME. Other ".wh..wh." names are AUFS metadata and carry no meaning.
  std::string_view base = Basename(e.path);
  if (base.starts_with(".wh.")) {
    std::string dir(Dirname(e.path));
    if (base == ".wh..wh..opq") {
      e.type = FileType::kOpaque;
      e.path = dir;
    } else if (base.starts_with(".wh..wh.")) {
      e.type = FileType::kWhiteout;
      e.path.clear();  // ignored by the caller
    } else {
      e.type = FileType::kWhiteout;
      e.path = dir.empty() ? std::string(base.substr(4)) : dir + "/" + std::string(base.substr(4));
    }
    e.size = 0;
  }
  return e;
}

}  // namespace

Result<LayerData> ReadLayer(std::unique_ptr<ByteStream> blob, std::optional<Compression> compression,
                            int32_t layer_index, const ContentPlan& plan, const LayerLimits& limits,
                            GzipBackend gzip, bool pipeline, std::string_view known_diff_id, uint64_t stored_size) {
  LayerData out;
  // Room for an entry per 2 KiB of blob (real layers have one per 1-8 KiB), at most 256k entries
  // (24 MiB; the size is the manifest's word): reserved address space is only resident where
  // written, while growing by doubling would write every entry again into fresh pages.
  out.entries.reserve(std::min<uint64_t>({stored_size / 2048, limits.max_entries, uint64_t{1} << 18}));
  // A self-verifying blob (a registry download) hashes itself on its own thread.
  const bool self_verifying = blob->self_verifying();
  HashingReader stored(blob.get(), !self_verifying);
  auto stored_digest = [&] { return self_verifying ? blob->verified_digest() : stored.digest(); };
  // Sniff the magic bytes; a media type that disagrees with them is an error.
  unsigned char magic[4] = {0, 0, 0, 0};
  size_t have = 0;
  while (have < 4) {
    DISTILL_TRY(size_t n, stored.Read(magic + have, 4 - have));
    if (n == 0) break;
    have += n;
  }
  Compression sniffed = SniffCompression(magic, have);
  Compression c = compression.value_or(sniffed);
  if (compression && *compression != Compression::kNone && sniffed != *compression)
    return Errorf("layer data is not {} (media type says it is)", CompressionName(*compression));
  out.compression = c;
  struct Unowned : ByteStream {
    ByteStream* r;
    explicit Unowned(ByteStream* r) : r(r) {}
    Result<size_t> Read(void* b, size_t n) override { return r->Read(b, n); }
  };
  auto tar = Decompress(std::make_unique<PrefixReader>(std::string(reinterpret_cast<char*>(magic), have),
                                                       std::make_unique<Unowned>(&stored)),
                        c, gzip);
  // Inflate on a second thread while this one hashes and parses the tar. The inflater of a big
  // layer is the longest chain of work in an image read; with 4 chunks (1 MiB) of room it sat
  // blocked for 40-70 ms per pull of a 63 MB layer whenever the scheduler parked the tar thread
  // for a while, and 16 chunks take that to ~0 (doc/design.md, "Footprint"). Small layers finish
  // early beside it and keep 4 chunks of memory.
  constexpr uint64_t kDeepQueueFrom = 16 << 20;
  if (c != Compression::kNone && pipeline)
    tar = std::make_unique<AsyncReader>(std::move(tar), AsyncReader::kChunk, stored_size >= kDeepQueueFrom ? 16 : 4);
  // An uncompressed blob is its own tar: one hash serves as digest and diff_id.
  const bool same_bytes = c == Compression::kNone;
  const bool known = !same_bytes && !known_diff_id.empty();
  TarStream stream(tar.get(), limits.max_tar_bytes, !same_bytes && !known);
  auto diff_id = [&] { return same_bytes ? out.digest : known ? std::string(known_diff_id) : stream.digest(); };

  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  std::unique_ptr<struct archive, int (*)(struct archive*)> guard(a, archive_read_free);
  if (archive_read_open(a, &stream, nullptr, &TarStream::Callback, nullptr) != ARCHIVE_OK) {
    if (stream.error_) return *stream.error_;
    // An empty layer (zero bytes of tar) is valid.
    if (stream.count() == 0) {
      out.digest = stored_digest();
      out.diff_id = diff_id();
      out.stored_size = stored.count();
      return out;
    }
    return Errorf("not a tar archive: {}", ArchiveError(a));
  }
  uint64_t captured = 0;
  // Files streamed past plan.visitor pass through one reserved buffer (faulted in as far as the
  // largest of them, in huge pages where possible).
  heap::ScratchBuffer visit_buf;
  struct archive_entry* ae;
  for (;;) {
    int rc = archive_read_next_header(a, &ae);
    if (rc == ARCHIVE_EOF) break;
    if (stream.error_) return *stream.error_;
    if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY) {
      return Errorf("corrupt tar after {} entries at byte {}: {}", out.entries.size(), stream.count(),
                    ArchiveError(a, "unreadable header"));
    }
    if (out.entries.size() >= limits.max_entries)
      return Errorf("layer has more than {} entries (the entry limit)", limits.max_entries);
    auto e = ToEntry(ae, layer_index);
    if (!e.ok()) return std::move(e).error();
    if (e->path.empty() && e->type != FileType::kOpaque) continue;  // the root itself, or AUFS metadata
    const bool visit = plan.visitor && e->type == FileType::kRegular && plan.visit && plan.visit(*e);
    // A read of the entry's data that failed or ended early; the stream's own error (a digest, a
    // corrupt gzip) explains either best when there is one.
    auto whole = [&](Result<uint64_t> got) -> Status {
      if (!got.ok()) return stream.error_ ? *stream.error_ : Errorf("{}: {}", e->path, got.error().message);
      if (*got != e->size) return Errorf("{}: truncated file data ({} of {} bytes)", e->path, *got, e->size);
      return {};
    };
    if (visit && !plan.wants(*e)) {
      if (e->size > visit_buf.capacity()) visit_buf = heap::ScratchBuffer(std::max<uint64_t>(e->size, kVisitReserve));
      DISTILL_TRY_VOID(whole(ReadEntryInto(a, visit_buf.data(), e->size)));
      plan.visitor(*e, std::string_view(visit_buf.data(), e->size));
    } else if (e->type == FileType::kRegular && plan.wants(*e)) {
      if (captured + e->size > limits.max_captured_bytes)
        return Errorf("layer needs more than {} bytes of file contents kept in memory", limits.max_captured_bytes);
      std::string data;
      DISTILL_TRY_VOID(whole(ReadEntryData(a, e->size, &data)));
      captured += e->size;
      if (visit) plan.visitor(*e, data);
      out.contents[e->path] = std::move(data);
    }
    out.entries.push_back(std::move(*e));
  }
  if (stream.error_) return *stream.error_;
  DISTILL_TRY_VOID(stream.Drain());
  // The decompressor must also reach the end of the stored blob (trailing members, CRCs).
  out.digest = stored_digest();
  out.diff_id = diff_id();
  out.stored_size = stored.count();
  out.tar_size = stream.count();
  return out;
}

}  // namespace distill::image
