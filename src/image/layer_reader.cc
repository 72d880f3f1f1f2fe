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
  PrefixReader(std::string prefix, std::unique_ptr<ByteStream> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
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
    if (count_ > limit_)
      return Fail(
          Errorf("layer expands to more than the {} byte limit (decompression bomb?)", limit_));
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
    case AE_IFDIR:
      return FileType::kDirectory;
    case AE_IFLNK:
      return FileType::kSymlink;
    case AE_IFCHR:
      return FileType::kCharDevice;
    case AE_IFBLK:
      return FileType::kBlockDevice;
    case AE_IFIFO:
      return FileType::kFifo;
    case AE_IFSOCK:
      return FileType::kSocket;
    default:
      return FileType::kRegular;
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

// Reads from a stream owned elsewhere (the hashing reader the tar is decompressed from).
class Borrowed : public ByteStream {
 public:
  explicit Borrowed(ByteStream* r) : r_(r) {}
  Result<size_t> Read(void* b, size_t n) override { return r_->Read(b, n); }

 private:
  ByteStream* r_;
};

// Room for an entry per 2 KiB of blob (real layers have one per 1-8 KiB), at most 256k entries
// (24 MiB; the size is the manifest's word): reserved address space is only resident where
// written, while growing by doubling would write every entry again into fresh pages.
void ReserveEntries(std::vector<Entry>& entries, const ReadLayerOptions& opt) {
  entries.reserve(
      std::min<uint64_t>({opt.stored_size / 2048, opt.limits.max_entries, uint64_t{1} << 18}));
}

// The blob's first 4 bytes (fewer if it is shorter): enough for every magic number sniffed.
Result<std::string> ReadMagic(ByteStream& blob) {
  unsigned char magic[4] = {0, 0, 0, 0};
  size_t have = 0;
  while (have < 4) {
    DISTILL_TRY(size_t n, blob.Read(magic + have, 4 - have));
    if (n == 0) break;
    have += n;
  }
  return std::string(reinterpret_cast<char*>(magic), have);
}

// The compression the magic bytes show; a media type that says otherwise is an error.
Result<Compression> CompressionOf(std::string_view magic, std::optional<Compression> declared) {
  Compression sniffed =
      SniffCompression(reinterpret_cast<const unsigned char*>(magic.data()), magic.size());
  if (declared && *declared != Compression::kNone && sniffed != *declared)
    return Errorf("layer data is not {} (media type says it is)", CompressionName(*declared));
  return declared.value_or(sniffed);
}

// The layer's tar: the stored bytes (the magic put back in front) decompressed.
std::unique_ptr<ByteStream> TarOf(HashingReader& stored, std::string magic, Compression c,
                                  const ReadLayerOptions& opt) {
  auto tar = Decompress(
      std::make_unique<PrefixReader>(std::move(magic), std::make_unique<Borrowed>(&stored)), c,
      opt.gzip);
  // Inflate on a second thread while this one hashes and parses the tar. The inflater of a big
  // layer is the longest chain of work in an image read; with 4 chunks (1 MiB) of room it sat
  // blocked for 40-70 ms per pull of a 63 MB layer whenever the scheduler parked the tar thread
  // for a while, and 16 chunks take that to ~0 (doc/design.md, "Footprint"). Small layers finish
  // early beside it and keep 4 chunks of memory.
  constexpr uint64_t kDeepQueueFrom = 16 << 20;
  if (c != Compression::kNone && opt.pipeline)
    tar = std::make_unique<AsyncReader>(std::move(tar), AsyncReader::kChunk,
                                        opt.stored_size >= kDeepQueueFrom ? 16 : 4);
  return tar;
}

// The next tar header, or nullptr at the end of the archive.
Result<struct archive_entry*> NextHeader(struct archive* a, const TarStream& stream,
                                         size_t entries_read) {
  struct archive_entry* ae;
  int rc = archive_read_next_header(a, &ae);
  if (rc == ARCHIVE_EOF) return nullptr;
  if (stream.error_) return *stream.error_;
  if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY) {
    return Errorf("corrupt tar after {} entries at byte {}: {}", entries_read, stream.count(),
                  ArchiveError(a, "unreadable header"));
  }
  return ae;
}

// What the plan does with the data of the entries it names: stream them past plan.visitor, keep
// them in LayerData::contents (within the captured-bytes limit), or both.
class ContentTaker {
 public:
  ContentTaker(const ContentPlan& plan, uint64_t max_captured_bytes)
      : plan_(plan), max_captured_bytes_(max_captured_bytes) {}

  // Reads the data of the entry whose header was read last, if the plan wants it.
  Status Take(struct archive* a, const TarStream& stream, const Entry& e,
              std::unordered_map<std::string, std::string>& contents) {
    const bool visit =
        plan_.visitor && e.type == FileType::kRegular && plan_.visit && plan_.visit(e);
    if (visit && !plan_.wants(e)) return StreamPast(a, stream, e);
    if (e.type == FileType::kRegular && plan_.wants(e)) return Keep(a, stream, e, visit, contents);
    return {};
  }

 private:
  Status StreamPast(struct archive* a, const TarStream& stream, const Entry& e) {
    if (e.size > visit_buf_.capacity())
      visit_buf_ = heap::ScratchBuffer(std::max<uint64_t>(e.size, kVisitReserve));
    DISTILL_TRY_VOID(Whole(stream, e, ReadEntryInto(a, visit_buf_.data(), e.size)));
    plan_.visitor(e, std::string_view(visit_buf_.data(), e.size));
    return {};
  }

  Status Keep(struct archive* a, const TarStream& stream, const Entry& e, bool visit,
              std::unordered_map<std::string, std::string>& contents) {
    if (captured_ + e.size > max_captured_bytes_)
      return Errorf("layer needs more than {} bytes of file contents kept in memory",
                    max_captured_bytes_);
    std::string data;
    DISTILL_TRY_VOID(Whole(stream, e, ReadEntryData(a, e.size, &data)));
    captured_ += e.size;
    if (visit) plan_.visitor(e, data);
    contents[e.path] = std::move(data);
    return {};
  }

  // A read of the entry's data that failed or ended early; the stream's own error (a digest, a
  // corrupt gzip) explains either best when there is one.
  static Status Whole(const TarStream& stream, const Entry& e, Result<uint64_t> got) {
    if (!got.ok())
      return stream.error_ ? *stream.error_ : Errorf("{}: {}", e.path, got.error().message);
    if (*got != e.size)
      return Errorf("{}: truncated file data ({} of {} bytes)", e.path, *got, e.size);
    return {};
  }

  const ContentPlan& plan_;
  uint64_t max_captured_bytes_;
  uint64_t captured_ = 0;
  // Files streamed past plan.visitor pass through one reserved buffer (faulted in as far as the
  // largest of them, in huge pages where possible).
  heap::ScratchBuffer visit_buf_;
};

// Lists every tar entry of the stream into `out` and keeps what the plan asks for, then reads the
// stream to its end. A stream with no bytes at all is an empty layer.
Status ReadTar(TarStream& stream, const ContentPlan& plan, const ReadLayerOptions& opt,
               LayerData& out) {
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  std::unique_ptr<struct archive, int (*)(struct archive*)> guard(a, archive_read_free);
  if (archive_read_open(a, &stream, nullptr, &TarStream::Callback, nullptr) != ARCHIVE_OK) {
    if (stream.error_) return *stream.error_;
    if (stream.count() == 0) return {};  // an empty layer (zero bytes of tar) is valid
    return Errorf("not a tar archive: {}", ArchiveError(a));
  }
  ContentTaker taker(plan, opt.limits.max_captured_bytes);
  for (;;) {
    DISTILL_TRY(struct archive_entry * ae, NextHeader(a, stream, out.entries.size()));
    if (ae == nullptr) break;
    if (out.entries.size() >= opt.limits.max_entries)
      return Errorf("layer has more than {} entries (the entry limit)", opt.limits.max_entries);
    auto e = ToEntry(ae, opt.layer_index);
    if (!e.ok()) return std::move(e).error();
    if (e->path.empty() && e->type != FileType::kOpaque)
      continue;  // the root itself, or AUFS metadata
    DISTILL_TRY_VOID(taker.Take(a, stream, *e, out.contents));
    out.entries.push_back(std::move(*e));
  }
  if (stream.error_) return *stream.error_;
  // The decompressor must also reach the end of the stored blob (trailing members, CRCs).
  return stream.Drain();
}

}  // namespace

Result<LayerData> ReadLayer(std::unique_ptr<ByteStream> blob, const ContentPlan& plan,
                            const ReadLayerOptions& opt) {
  LayerData out;
  ReserveEntries(out.entries, opt);
  // A self-verifying blob (a registry download) hashes itself on its own thread.
  const bool self_verifying = blob->self_verifying();
  HashingReader stored(blob.get(), !self_verifying);
  DISTILL_TRY(std::string magic, ReadMagic(stored));
  DISTILL_TRY(out.compression, CompressionOf(magic, opt.compression));
  auto tar = TarOf(stored, std::move(magic), out.compression, opt);
  // An uncompressed blob is its own tar: one hash serves as digest and diff_id.
  const bool same_bytes = out.compression == Compression::kNone;
  const bool known = !same_bytes && !opt.known_diff_id.empty();
  TarStream stream(tar.get(), opt.limits.max_tar_bytes, !same_bytes && !known);
  DISTILL_TRY_VOID(ReadTar(stream, plan, opt, out));
  out.digest = self_verifying ? blob->verified_digest() : stored.digest();
  out.diff_id = same_bytes ? out.digest : known ? std::string(opt.known_diff_id) : stream.digest();
  out.stored_size = stored.count();
  out.tar_size = stream.count();
  return out;
}

}  // namespace distill::image
