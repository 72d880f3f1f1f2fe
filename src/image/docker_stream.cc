#include "image/docker_stream.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "image/file_index.h"
#include "image/tar_index.h"
#include "util/digest.h"

namespace distill::image {

namespace {

constexpr uint64_t kMaxSmall = 32 << 20;  // as ArchiveFiles::ReadSmall
constexpr size_t kHead = 64 << 10;        // read before deciding what a member is

// The stream and how far it has been read; it only moves forward.
class Cursor {
 public:
  explicit Cursor(ByteStream& in) : in_(in) {}
  uint64_t pos() const { return pos_; }
  Result<size_t> ReadSome(void* buf, size_t n) {
    DISTILL_TRY(size_t got, in_.Read(buf, n));
    pos_ += got;
    return got;
  }
  Status ReadExact(void* buf, size_t n) {
    for (size_t off = 0; off < n;) {
      DISTILL_TRY(size_t got, ReadSome(static_cast<char*>(buf) + off, n - off));
      if (got == 0) return Errorf("the tar stream ended at byte {} (truncated)", pos_);
      off += got;
    }
    return {};
  }
  Status SkipTo(uint64_t target) {
    if (target < pos_)
      return InternalErrorf("tar stream: cannot go back from byte {} to {}", pos_, target);
    char buf[64 << 10];
    while (pos_ < target)
      DISTILL_TRY_VOID(ReadExact(buf, std::min<uint64_t>(sizeof buf, target - pos_)));
    return {};
  }
  // Reads what is left (the end-of-archive blocks, padding), so a daemon's error after them shows.
  Status Drain() {
    char buf[64 << 10];
    for (;;) {
      DISTILL_TRY(size_t got, ReadSome(buf, sizeof buf));
      if (got == 0) return {};
    }
  }

 private:
  ByteStream& in_;
  uint64_t pos_ = 0;
};

// One member's data: `head` (already read), then the stream up to `end`.
class MemberReader : public ByteStream {
 public:
  MemberReader(Cursor* cur, uint64_t end, std::string head)
      : cur_(cur), end_(end), head_(std::move(head)) {}
  Result<size_t> Read(void* buf, size_t n) override {
    if (head_off_ < head_.size()) {
      size_t take = std::min(n, head_.size() - head_off_);
      std::memcpy(buf, head_.data() + head_off_, take);
      head_off_ += take;
      return take;
    }
    if (cur_->pos() >= end_) return size_t{0};
    DISTILL_TRY(size_t got, cur_->ReadSome(buf, std::min<uint64_t>(n, end_ - cur_->pos())));
    if (got == 0) return Errorf("the tar stream ended at byte {} (truncated)", cur_->pos());
    return got;
  }

 private:
  Cursor* cur_;
  uint64_t end_;
  std::string head_;
  size_t head_off_ = 0;
};

// The archive as far as the stream showed it: the small members' bytes, the others' sizes, links.
class StreamedFiles : public ArchiveFiles {
 public:
  explicit StreamedFiles(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  bool Exists(std::string_view path) const override { return Resolve(path).has_value(); }
  Result<uint64_t> Size(std::string_view path) const override {
    auto p = Resolve(path);
    if (!p) return Errorf("{}: {}: not found in the archive", name_, path);
    return sizes_.at(*p);
  }
  Result<std::unique_ptr<ByteStream>> Open(std::string_view path) const override {
    auto p = Resolve(path);
    if (!p) return Errorf("{}: {}: not found in the archive", name_, path);
    auto it = small_.find(*p);
    if (it == small_.end())
      return Errorf("{}: {}: not kept (it was read as a layer while it streamed by)", name_, path);
    return std::unique_ptr<ByteStream>(std::make_unique<StringReader>(it->second));
  }
  // The regular member a path names (normalized, links followed).
  std::optional<std::string> Resolve(std::string_view path) const {
    auto norm = NormalizeEntryPath(path);
    if (!norm.ok()) return std::nullopt;
    std::string p = *norm;
    for (int hops = 0; hops < 16; ++hops) {
      if (sizes_.contains(p)) return p;
      auto l = links_.find(p);
      if (l == links_.end()) return std::nullopt;
      p = l->second;
    }
    return std::nullopt;
  }
  void AddSmall(const std::string& path, std::string bytes) {
    sizes_[path] = bytes.size();
    small_[path] = std::move(bytes);
  }
  void AddOther(const std::string& path, uint64_t size) { sizes_[path] = size; }
  void AddLink(const std::string& path, const std::string& target) { links_[path] = target; }

 private:
  std::string name_;
  std::map<std::string, std::string, std::less<>> small_;
  std::map<std::string, uint64_t, std::less<>> sizes_;
  std::map<std::string, std::string, std::less<>> links_;
};

// Members that are metadata by name in every `docker save` layout.
bool IsMetadataName(std::string_view path) {
  return path == "manifest.json" || path == "repositories" || path == "index.json" ||
         path == "oci-layout" || path.ends_with(".json") || path.ends_with("/json") ||
         path.ends_with("/VERSION");
}

// The hex a member path names, if it is "<hex>.tar" or "blobs/sha256/<hex>".
std::string NamedHex(std::string_view path) {
  if (path.starts_with("blobs/sha256/"))
    path.remove_prefix(13);
  else if (path.ends_with(".tar"))
    path.remove_suffix(4);
  else
    return "";
  return path.size() == 64 && path.find_first_not_of("0123456789abcdef") == std::string_view::npos
             ? std::string(path)
             : "";
}

struct Walk {
  const StreamOptions& opt;
  Cursor cur;
  std::shared_ptr<StreamedFiles> files;
  std::map<std::string, Result<LayerData>> layers;  // by member path
  std::map<std::string, int32_t> index_of_hex;      // from opt.diff_ids
  std::set<int32_t> used;
  int32_t next_index = 0;
  uint64_t metadata = 0;

  int32_t IndexFor(const std::string& path) {
    if (auto it = index_of_hex.find(NamedHex(path));
        it != index_of_hex.end() && !used.contains(it->second)) {
      used.insert(it->second);
      return it->second;
    }
    while (used.contains(next_index)) ++next_index;
    used.insert(next_index);
    return next_index;
  }

  Status Visit(const std::string& path, const TarMember& m) {
    if (m.type == '1' || m.type == '2') {
      files->AddLink(path, m.link);
      return {};
    }
    if (m.type != '0' && m.type != '7') return {};
    DISTILL_TRY_VOID(cur.SkipTo(m.offset));
    std::string head(std::min<uint64_t>(m.size, kHead), '\0');
    DISTILL_TRY_VOID(cur.ReadExact(head.data(), head.size()));
    bool json = !head.empty() && (head[0] == '{' || head[0] == '[');
    if (IsMetadataName(path) || json) {
      if (m.size > kMaxSmall) {  // listed with its size: reading it fails, naming the limit
        files->AddOther(path, m.size);
        return {};
      }
      metadata += m.size;
      if (metadata > opt.max_metadata_bytes)
        return Errorf("more than {} bytes of metadata members (at {})", opt.max_metadata_bytes,
                      path);
      std::string rest(m.size - head.size(), '\0');
      DISTILL_TRY_VOID(cur.ReadExact(rest.data(), rest.size()));
      files->AddSmall(path, head + rest);
      return {};
    }
    files->AddOther(path, m.size);
    if (layers.size() >= 10'000) return Errorf("more than 10000 layer members");
    auto reader = std::make_unique<MemberReader>(&cur, m.offset + m.size, std::move(head));
    layers.insert_or_assign(path, ReadLayer(std::move(reader), opt.plan,
                                            {.layer_index = IndexFor(path),
                                             .limits = opt.limits,
                                             .gzip = opt.gzip,
                                             .pipeline = opt.pipeline,
                                             .stored_size = m.size}));
    return {};
  }
};

Result<StreamedImage> ReadStream(ByteStream& stream, const StreamOptions& opt) {
  Walk w{opt, Cursor(stream), std::make_shared<StreamedFiles>(opt.name), {}, {}, {}};
  for (size_t i = 0; i < opt.diff_ids.size(); ++i)
    if (opt.diff_ids[i].starts_with("sha256:"))
      w.index_of_hex.emplace(opt.diff_ids[i].substr(7), static_cast<int32_t>(i));
  auto read = [&](uint64_t pos, void* buf, size_t n) -> Status {
    DISTILL_TRY_VOID(w.cur.SkipTo(pos));
    return w.cur.ReadExact(buf, n);
  };
  auto visit = [&](const std::string& path, const TarMember& m) { return w.Visit(path, m); };
  auto walked = WalkTar(read, UINT64_MAX, opt.max_members, visit);
  if (walked.ok()) walked = w.cur.Drain();
  if (!walked.ok()) return std::move(walked).error().wrap(opt.name);

  auto opened = TryOpenDockerArchive(w.files, opt.archive);
  if (!opened) return Errorf("{}: no manifest.json in the image the engine sent", opt.name);
  if (!opened->ok()) return std::move(*opened).error();  // (names the stream already)
  StreamedImage out;
  out.meta = opened->value()->meta();
  std::vector<std::map<std::string, Result<LayerData>>::iterator> members;
  std::map<std::string, int> uses;
  for (const auto& l : out.meta.layers) {
    auto member = w.files->Resolve(l.path);
    auto it = member ? w.layers.find(*member) : w.layers.end();
    if (it == w.layers.end())
      return Errorf("{}: layer {}: not a layer tar in the stream", opt.name, l.path);
    members.push_back(it);
    ++uses[it->first];
  }
  for (size_t i = 0; i < members.size(); ++i) {
    // A tar listed twice (the same layer at two positions) is copied for all but its last use.
    auto it = members[i];
    Result<LayerData> data =
        --uses[it->first] == 0 ? std::move(it->second) : Result<LayerData>(it->second);
    if (data.ok())
      for (Entry& e : data->entries) e.layer = static_cast<int32_t>(i);
    out.layers.push_back(std::move(data));
  }
  return out;
}

}  // namespace

Result<StreamedImage> ReadDockerStream(ByteStream& stream, const StreamOptions& opt) {
  return ReadStream(stream, opt);
}

}  // namespace distill::image
