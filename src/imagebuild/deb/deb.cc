#include "imagebuild/deb/deb.h"

#include <archive.h>
#include <archive_entry.h>

#include <zstd.h>

#include <filesystem>
#include <memory>
#include <regex>

#include "catalog/dpkg/parse_status.h"
#include "util/archive_data.h"
#include "util/file.h"

namespace distill::imagebuild {

namespace {

using image::TarItem;

struct ArchiveCloser {
  void operator()(archive* ar) const { archive_read_free(ar); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

constexpr uint64_t kMaxMember = 2ull << 30;  // no single member may claim more than 2 GiB

Result<ArchivePtr> OpenMemory(std::string_view bytes, bool ar) {
  ArchivePtr a(archive_read_new());
  if (ar) {
    archive_read_support_format_ar(a.get());
  } else {
    // The compressions deb(5) allows for control.tar and data.tar (none is plain tar).
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_xz(a.get());
    archive_read_support_filter_lzma(a.get());
    archive_read_support_filter_zstd(a.get());
    archive_read_support_filter_bzip2(a.get());
    archive_read_support_format_tar(a.get());
  }
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK)
    return Errorf("{}", ArchiveError(a.get(), "cannot open"));
  return a;
}

Result<std::string> ReadData(archive* ar, archive_entry* entry) {
  int64_t size = archive_entry_size(entry);
  if (size < 0 || static_cast<uint64_t>(size) > kMaxMember)
    return Errorf("member too large ({} bytes)", size);
  std::string data;
  DISTILL_TRY(uint64_t got, ReadEntryData(ar, static_cast<uint64_t>(size), &data));
  if (got != static_cast<uint64_t>(size))
    return Errorf("member truncated ({} of {} bytes)", got, size);
  return data;
}

Status ReadControlTar(std::string_view tar, Deb* deb) {
  DISTILL_TRY(ArchivePtr a, OpenMemory(tar, false));
  archive_entry* e;
  int r;
  while ((r = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
    const char* raw = archive_entry_pathname(e);  // NULL for a header without a name
    DISTILL_TRY(std::string path, NormalizeDebPath(raw ? raw : ""));
    std::string* into = path == "control"     ? &deb->control
                        : path == "md5sums"   ? &deb->md5sums
                        : path == "conffiles" ? &deb->conffiles
                                              : nullptr;
    if (!into || archive_entry_filetype(e) != AE_IFREG) continue;
    auto data = ReadData(a.get(), e);
    if (!data.ok()) return std::move(data).error().wrap("control.tar: " + path);
    *into = std::move(*data);
  }
  if (r != ARCHIVE_EOF) return Errorf("control.tar: {}", ArchiveError(a.get()));
  if (deb->control.empty()) return Errorf("control.tar: no control file");
  return {};
}

Result<TarItem> ItemOf(archive* ar, archive_entry* entry, std::string path) {
  TarItem it;
  it.path = std::move(path);
  it.mode = archive_entry_perm(entry) & 07777;
  it.uid = static_cast<uint32_t>(archive_entry_uid(entry));
  it.gid = static_cast<uint32_t>(archive_entry_gid(entry));
  if (const char* hl = archive_entry_hardlink(entry)) {
    it.type = TarItem::Type::kHardlink;
    DISTILL_TRY(it.link, NormalizeDebPath(hl));
    return it;
  }
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG: {
      it.type = TarItem::Type::kFile;
      DISTILL_TRY(it.data, ReadData(ar, entry));
      break;
    }
    case AE_IFDIR:
      it.type = TarItem::Type::kDir;
      break;
    case AE_IFLNK:
      it.type = TarItem::Type::kSymlink;
      it.link = archive_entry_symlink(entry) ? archive_entry_symlink(entry) : "";
      break;
    case AE_IFCHR:
      it.type = TarItem::Type::kChar;
      break;
    case AE_IFBLK:
      it.type = TarItem::Type::kBlock;
      break;
    case AE_IFIFO:
      it.type = TarItem::Type::kFifo;
      break;
    default:
      return Errorf("unsupported file type");
  }
  if (it.type == TarItem::Type::kChar || it.type == TarItem::Type::kBlock) {
    it.dev_major = archive_entry_rdevmajor(entry);
    it.dev_minor = archive_entry_rdevminor(entry);
  }
  return it;
}

Status ReadDataTar(std::string_view tar, Deb* deb) {
  DISTILL_TRY(ArchivePtr a, OpenMemory(tar, false));
  archive_entry* e;
  int r;
  while ((r = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
    const char* raw = archive_entry_pathname(e);
    auto normalized = NormalizeDebPath(raw ? raw : "");
    if (!normalized.ok()) return std::move(normalized).error().wrap("data.tar");
    std::string path = std::move(*normalized);
    deb->newest_mtime = std::max<int64_t>(deb->newest_mtime, archive_entry_mtime(e));
    if (path.empty()) continue;  // "./"
    auto item = ItemOf(a.get(), e, path);
    if (!item.ok()) return std::move(item).error().wrap("data.tar: " + path);
    deb->files.push_back(std::move(*item));
  }
  if (r != ARCHIVE_EOF) return Errorf("data.tar: {}", ArchiveError(a.get()));
  return {};
}

Status FillFromControl(Deb* deb) {
  std::vector<Error> errors;
  auto paras = catalog::dpkg::ParseControl(deb->control, &errors);
  if (!errors.empty()) return errors[0].wrap("control");
  if (paras.size() != 1) return Errorf("control: expected one paragraph, found {}", paras.size());
  const auto& p = paras[0];
  deb->name = p.Get("Package");
  deb->version = p.Get("Version");
  deb->arch = p.Get("Architecture");
  deb->multi_arch = p.Get("Multi-Arch");
  if (deb->name.empty() || deb->version.empty() || deb->arch.empty())
    return Errorf("control: missing Package, Version or Architecture");
  return {};
}

// data.tar.* decompressed to the plain tar (libarchive's raw format: filters only).
Result<std::string> Decompressed(std::string_view member) {
  ArchivePtr a(archive_read_new());
  for (auto f : {archive_read_support_filter_gzip, archive_read_support_filter_xz,
                 archive_read_support_filter_lzma, archive_read_support_filter_zstd,
                 archive_read_support_filter_bzip2})
    f(a.get());
  archive_read_support_format_raw(a.get());
  if (archive_read_open_memory(a.get(), member.data(), member.size()) != ARCHIVE_OK)
    return Errorf("data.tar: {}", ArchiveError(a.get(), "cannot open"));
  archive_entry* e;
  if (archive_read_next_header(a.get(), &e) != ARCHIVE_OK)
    return Errorf("data.tar: {}", ArchiveError(a.get()));
  std::string out;
  out.reserve(member.size() * 4);
  char buf[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(a.get(), buf, sizeof(buf));
    if (n < 0) return Errorf("data.tar: {}", ArchiveError(a.get()));
    if (n == 0) break;
    if (out.size() + n > kMaxMember) return Errorf("data.tar: larger than {} bytes", kMaxMember);
    out.append(buf, n);
  }
  return out;
}

// The unpack cache beside a content-addressed download cache: for CACHE/blobs/sha256/HEX (a .deb
// verified before it entered), CACHE/unpacked/HEX.tar.zst holds its data.tar decompressed and
// recompressed with zstd level 1 (with a content checksum) — xz decoding is most of a warm build's
// work, zstd's decoding ~20× less. Best effort: a missing or unreadable entry is made again.
std::string UnpackCachePath(const std::string& deb_path) {
  static const std::regex kBlob("(.*)/blobs/sha256/([0-9a-f]{64})");
  std::smatch m;
  if (!std::regex_match(deb_path, m, kBlob)) return "";
  return m[1].str() + "/unpacked/" + m[2].str() + ".tar.zst";
}

void StoreUnpacked(const std::string& path, std::string_view tar) {
  std::string z(ZSTD_compressBound(tar.size()), '\0');
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
  size_t n = ZSTD_compress2(c, z.data(), z.size(), tar.data(), tar.size());
  ZSTD_freeCCtx(c);
  if (ZSTD_isError(n)) return;
  z.resize(n);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  (void)WriteFileAtomic(path, z);
}

}  // namespace

Result<std::string> NormalizeDebPath(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) return Errorf("path with NUL");
  std::string out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "..") return Errorf("path '{}' climbs out of the root", path);
    if (!seg.empty() && seg != ".") {
      if (!out.empty()) out += '/';
      out += seg;
    }
    i = j + 1;
  }
  return out;
}

Result<Deb> ParseDeb(std::string_view bytes, std::string_view name, bool control_only,
                     const std::string& unpacked) {
  auto ctx = [&](Error e) { return std::move(e).wrap(name); };
  auto a = OpenMemory(bytes, true);
  if (!a.ok()) return ctx(std::move(a).error());
  Deb deb;
  bool have_version = false, have_control = false, have_data = false;
  archive_entry* e;
  int r;
  while ((r = archive_read_next_header(a->get(), &e)) == ARCHIVE_OK) {
    std::string member = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    if (!member.empty() && member.back() == '/') member.pop_back();
    if (control_only && member.starts_with("data.tar")) {
      have_data = true;  // present; not unpacked
      continue;
    }
    if (!unpacked.empty() && member.starts_with("data.tar")) {
      auto cached = ReadFile(unpacked, 4ull << 30);
      if (cached.ok() && ReadDataTar(*cached, &deb).ok()) {
        have_data = true;
        continue;
      }
      deb.files.clear();
      deb.newest_mtime = 0;
      auto data = ReadData(a->get(), e);
      if (!data.ok()) return ctx(std::move(data).error().wrap(member));
      auto tar = Decompressed(*data);
      if (!tar.ok()) return ctx(std::move(tar).error());
      Status st = ReadDataTar(*tar, &deb);
      if (!st.ok()) return ctx(std::move(st).error());
      StoreUnpacked(unpacked, *tar);
      have_data = true;
      continue;
    }
    auto data = ReadData(a->get(), e);
    if (!data.ok()) return ctx(std::move(data).error().wrap(member));
    if (member == "debian-binary") {
      if (!data->starts_with("2."))
        return ctx(Errorf("unsupported deb format version '{}'", *data));
      have_version = true;
    } else if (member.starts_with("control.tar")) {
      Status st = ReadControlTar(*data, &deb);
      if (!st.ok()) return ctx(std::move(st).error());
      have_control = true;
    } else if (member.starts_with("data.tar")) {
      Status st = ReadDataTar(*data, &deb);
      if (!st.ok()) return ctx(std::move(st).error());
      have_data = true;
    }
  }
  if (r != ARCHIVE_EOF) return ctx(Errorf("not a deb archive: {}", ArchiveError(a->get())));
  if (!have_version || !have_control || !have_data)
    return ctx(Errorf("not a deb: missing debian-binary, control.tar or data.tar"));
  Status st = FillFromControl(&deb);
  if (!st.ok()) return ctx(std::move(st).error());
  return deb;
}

Result<Deb> ReadDeb(const std::string& path) {
  DISTILL_TRY(std::string bytes, ReadFile(path, 4ull << 30));
  return ParseDeb(bytes, path, false, UnpackCachePath(path));
}

Result<Deb> ReadDebControl(const std::string& path) {
  DISTILL_TRY(std::string bytes, ReadFile(path, 4ull << 30));
  return ParseDeb(bytes, path, true);
}

}  // namespace distill::imagebuild
