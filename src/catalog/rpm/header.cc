#include "catalog/rpm/header.h"

#include <algorithm>
#include <map>

#include "util/byte_view.h"
#include "util/digest.h"

namespace distill::catalog::rpm {

namespace {

enum Tag : uint32_t {
  kName = 1000,
  kVersion = 1001,
  kRelease = 1002,
  kEpoch = 1003,
  kSize = 1009,
  kVendor = 1011,
  kLicense = 1014,
  kArch = 1022,
  kOldFilenames = 1027,
  kFileModes = 1030,
  kFileDigests = 1035,
  kSourceRpm = 1044,
  kProvideName = 1047,
  kRequireName = 1049,
  kDirIndexes = 1116,
  kBaseNames = 1117,
  kDirNames = 1118,
  kFileDigestAlgo = 5011,
  kModularityLabel = 5096,
};
enum Type : uint32_t {
  kChar = 1,
  kInt8 = 2,
  kInt16 = 3,
  kInt32 = 4,
  kInt64 = 5,
  kString = 6,
  kBin = 7,
  kStringArray = 8,
  kI18nString = 9,
};

struct IndexEntry {
  uint32_t type, offset, count;
};

class Header {
 public:
  static Result<Header> Parse(std::string_view blob) {
    ByteView r(blob, ByteOrder::kBig);
    DISTILL_TRY(uint32_t il, r.U32(0));
    DISTILL_TRY(uint32_t dl, r.U32(4));
    // rpm's own limits (hdrchkTags / hdrchkData): 0xffff tags, 256 MiB of data.
    if (il == 0 || il > 0xffff) return Errorf("header: {} index entries", il);
    if (dl > (256u << 20)) return Errorf("header: {} data bytes", dl);
    size_t data_off = 8 + size_t{il} * 16;
    Header h;
    DISTILL_TRY(h.data_, r.Sub(data_off, dl));
    for (uint32_t i = 0; i < il; ++i) {
      size_t at = 8 + size_t{i} * 16;
      DISTILL_TRY(uint32_t tag, r.U32(at));
      DISTILL_TRY(uint32_t type, r.U32(at + 4));
      DISTILL_TRY(uint32_t offset, r.U32(at + 8));
      DISTILL_TRY(uint32_t count, r.U32(at + 12));
      h.index_.emplace(tag, IndexEntry{type, offset, count});  // first wins, as rpm's lookup
    }
    return h;
  }

  bool Has(uint32_t tag) const { return index_.count(tag) > 0; }
  size_t data_size() const { return data_.size(); }

  Result<std::vector<std::string>> Strings(uint32_t tag) const {
    std::vector<std::string> out;
    auto it = index_.find(tag);
    if (it == index_.end()) return out;
    const IndexEntry& e = it->second;
    if (e.type != kString && e.type != kStringArray && e.type != kI18nString)
      return Errorf("tag {}: type {} is not a string", tag, e.type);
    if (e.count > data_.size())
      return Errorf("tag {}: {} strings in {} bytes", tag, e.count, data_.size());
    size_t pos = e.offset;
    uint32_t n = e.type == kString ? 1 : e.count;
    for (uint32_t i = 0; i < n; ++i) {
      if (pos >= data_.size())
        return Errorf("tag {}: string {} at offset {} beyond data ({} bytes)", tag, i, pos,
                      data_.size());
      auto s = data_.CString(pos);
      if (!s.ok()) return std::move(s).error().wrap(fmt::format("tag {}", tag));
      out.emplace_back(*s);
      pos += s->size() + 1;
    }
    return out;
  }

  Result<std::string> String(uint32_t tag) const {
    DISTILL_TRY(auto v, Strings(tag));
    return v.empty() ? std::string() : std::move(v.front());
  }

  Result<std::vector<uint64_t>> Ints(uint32_t tag) const {
    std::vector<uint64_t> out;
    auto it = index_.find(tag);
    if (it == index_.end()) return out;
    const IndexEntry& e = it->second;
    size_t width = e.type == kInt16                       ? 2
                   : e.type == kInt32                     ? 4
                   : e.type == kInt64                     ? 8
                   : (e.type == kInt8 || e.type == kChar) ? 1
                                                          : 0;
    if (width == 0) return Errorf("tag {}: type {} is not an integer", tag, e.type);
    if (e.count > data_.size() / width)
      return Errorf("tag {}: {} integers in {} bytes", tag, e.count, data_.size());
    DISTILL_TRY(ByteView ints, data_.Sub(e.offset, e.count * width));
    out.reserve(e.count);
    for (uint32_t i = 0; i < e.count; ++i) {
      DISTILL_TRY(uint64_t v, ints.Uint(i * width, static_cast<int>(width)));
      out.push_back(v);
    }
    return out;
  }

 private:
  ByteView data_;  // big-endian, as every integer in a header
  std::map<uint32_t, IndexEntry> index_;
};

std::string DigestAlgorithm(uint64_t algo) {
  switch (algo) {
    case 1:
      return "md5";
    case 2:
      return "sha1";
    case 8:
      return "sha256";
    case 9:
      return "sha384";
    case 10:
      return "sha512";
    default:
      return "unknown";
  }
}

Status ReadFiles(const Header& h, HeaderInfo* info) {
  DISTILL_TRY(auto basenames, h.Strings(kBaseNames));
  std::vector<std::string> paths;
  if (!basenames.empty()) {
    DISTILL_TRY(auto dirnames, h.Strings(kDirNames));
    DISTILL_TRY(auto dirindexes, h.Ints(kDirIndexes));
    if (dirindexes.size() != basenames.size())
      return Errorf("{} basenames but {} dirindexes", basenames.size(), dirindexes.size());
    // Paths share directory strings, so they may add up to more than the header; a hostile
    // header (one long dirname, many files) must not make them add up to gigabytes.
    size_t budget = std::max<size_t>(size_t{16} << 20, 16 * h.data_size()), used = 0;
    for (size_t i = 0; i < basenames.size(); ++i) {
      if (dirindexes[i] >= dirnames.size())
        return Errorf("file {}: dirindex {} of {} dirnames", i, dirindexes[i], dirnames.size());
      used += dirnames[dirindexes[i]].size() + basenames[i].size();
      if (used > budget) return Errorf("file paths exceed {} bytes", budget);
      paths.push_back(dirnames[dirindexes[i]] + basenames[i]);
    }
  } else {
    DISTILL_TRY(paths, h.Strings(kOldFilenames));
  }
  DISTILL_TRY(auto modes, h.Ints(kFileModes));
  DISTILL_TRY(auto digests, h.Strings(kFileDigests));
  DISTILL_TRY(auto algos, h.Ints(kFileDigestAlgo));
  std::string algo = DigestAlgorithm(algos.empty() ? 1 : algos.front());
  for (size_t i = 0; i < paths.size(); ++i) {
    if (i < modes.size() && (modes[i] & 0170000) == 0040000) continue;  // directory
    std::string_view p = paths[i];
    while (p.starts_with('/')) p.remove_prefix(1);
    OwnedFile f{std::string(p), "", ""};
    if (i < digests.size() && !digests[i].empty()) {
      f.algorithm = algo;
      f.digest = digests[i];
    }
    info->files.push_back(std::move(f));
  }
  return {};
}

}  // namespace

Result<HeaderInfo> ParseHeaderBlob(std::string_view blob) {
  DISTILL_TRY(Header h, Header::Parse(blob));
  HeaderInfo info;
  DISTILL_TRY(info.name, h.String(kName));
  if (info.name.empty()) return Errorf("header: no name (tag 1000)");
  DISTILL_TRY(info.version, h.String(kVersion));
  DISTILL_TRY(info.release, h.String(kRelease));
  DISTILL_TRY(info.arch, h.String(kArch));
  DISTILL_TRY(info.license, h.String(kLicense));
  DISTILL_TRY(info.source_rpm, h.String(kSourceRpm));
  DISTILL_TRY(info.vendor, h.String(kVendor));
  DISTILL_TRY(info.modularity_label, h.String(kModularityLabel));
  DISTILL_TRY(auto epoch, h.Ints(kEpoch));
  if (!epoch.empty()) {
    info.has_epoch = true;
    info.epoch = static_cast<uint32_t>(epoch.front());
  }
  DISTILL_TRY(auto size, h.Ints(kSize));
  if (!size.empty()) info.size = size.front();
  DISTILL_TRY(info.provides, h.Strings(kProvideName));
  DISTILL_TRY(info.requires_, h.Strings(kRequireName));
  auto files = ReadFiles(h, &info);
  if (!files.ok())
    return std::move(files).error().wrap(fmt::format("package {}: files", info.name));
  return info;
}

}  // namespace distill::catalog::rpm
