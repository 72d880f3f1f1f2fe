#include "imagebuild/apk/writer.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <libdeflate.h>
#include <openssl/evp.h>

#include "imagebuild/apk/checksum.h"
#include "util/digest.h"
#include "util/elf.h"
#include "util/file.h"
#include "vuln/version/apk.h"

namespace distill::imagebuild::apk {

namespace fs = std::filesystem;
using image::TarItem;

namespace {

constexpr uint64_t kMaxFileBytes = 2ull << 30;  // a file the packer reads into memory
constexpr const char* kChecksumKey = "APK-TOOLS.checksum.SHA1";

std::string Sha1Hex(std::string_view data) {
  auto d = Sha1Raw({data});
  return HexEncode(d.data(), d.size());
}

void PutLe32(std::string* out, uint32_t v) {
  for (int b = 0; b < 4; ++b) out->push_back(static_cast<char>((v >> (8 * b)) & 0xff));
}

Status CheckToken(std::string_view field, std::string_view v) {
  if (v.empty()) return Errorf("{}: empty", field);
  for (char c : v)
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == 0x7f)
      return Errorf("{} '{}': no whitespace, control characters or '/'", field, v);
  return {};
}

// A dependency or provides word: "/bin/sh", "so:libc.so.6", "name>=1.2" (no whitespace).
Status CheckWord(std::string_view field, std::string_view v) {
  if (v.empty()) return Errorf("{}: empty", field);
  for (char c : v)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return Errorf("{} '{}': no whitespace or control characters", field, v);
  return {};
}

Status CheckLine(std::string_view field, std::string_view v) {
  if (v.find('\n') != std::string_view::npos || v.find('\r') != std::string_view::npos)
    return Errorf("{}: one line, no newline", field);
  return {};
}

// melange's isInDir: the file's directory is one of dirs exactly.
bool InDir(std::string_view path, std::initializer_list<std::string_view> dirs) {
  size_t slash = path.rfind('/');
  std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash);
  for (auto d : dirs)
    if (dir == d) return true;
  return false;
}

std::string_view Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// melange's sonameLibver: what follows ".so." when it is digits and dots, else "0".
std::string SonameVersion(std::string_view soname) {
  size_t at = soname.find(".so.");
  if (at == std::string_view::npos) return "0";
  std::string_view v = soname.substr(at + 4);
  if (v.find(".so.") != std::string_view::npos) v = v.substr(0, v.find(".so."));
  for (char c : v)
    if (c != '.' && (c < '0' || c > '9')) return "0";
  return v.empty() ? "0" : std::string(v);
}

std::string_view DependName(std::string_view dep) {
  size_t end = dep.find_first_of("=<>~");
  return dep.substr(0, end);
}

void SortUnique(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// melange's SCA (melange:pkg/sca/sca.go generateCmdProviders, generateSharedObjectNameDeps), the
// parts that need only the package's own files.
void ScanDependencies(const std::vector<TarItem>& items, PackageInfo* info) {
  std::vector<std::string> provides, depends;
  for (const auto& it : items) {
    if (it.type != TarItem::Type::kFile) continue;
    std::string_view base = Basename(it.path);
    if ((it.mode & 0555) == 0555 && InDir(it.path, {"bin", "sbin", "usr/bin", "usr/sbin"}))
      provides.push_back(fmt::format("cmd:{}={}", base, info->version));
    if (!elf::IsElf(it.data)) continue;
    auto elf = elf::ReadLinkInfo(it.data);
    if (!elf.ok()) continue;  // not a usable ELF: no dependencies from it, as melange
    if (!elf->interp.empty()) {
      std::string name(Basename(elf->interp));
      if (name.starts_with("ld-musl"))
        name.replace(0, 7, "libc.musl");  // melange: the musl loader is libc
      depends.push_back("so:" + name);
    }
    for (const auto& lib : elf->needed)
      if (lib.find(".so.") != std::string::npos) depends.push_back("so:" + lib);
    bool library =
        elf->interp.empty() || base.find(".so.") != std::string_view::npos || base.ends_with(".so");
    if (library && !elf->soname.empty() && InDir(it.path, {"lib", "usr/lib", "lib64", "usr/lib64"}))
      provides.push_back(fmt::format("so:{}={}", elf->soname, SonameVersion(elf->soname)));
  }
  std::set<std::string, std::less<>> provided;
  for (const auto& p : info->provides) provided.emplace(DependName(p));
  for (const auto& p : provides) provided.emplace(DependName(p));
  provided.insert(info->name);
  for (auto& d : depends)
    if (!provided.contains(DependName(d))) info->depends.push_back(std::move(d));
  for (auto& p : provides) info->provides.push_back(std::move(p));
  SortUnique(&info->depends);
  SortUnique(&info->provides);
}

Result<std::string> DataTar(std::vector<TarItem>* items, int64_t mtime, uint64_t* installed_size) {
  *installed_size = 0;
  for (auto& it : *items) {
    it.pax.clear();
    if (it.type == TarItem::Type::kFile) {
      it.pax.emplace_back(kChecksumKey, Sha1Hex(it.data));
      *installed_size += it.data.size();
    } else if (it.type == TarItem::Type::kSymlink) {
      it.pax.emplace_back(kChecksumKey, Sha1Hex(it.link));
    } else if (it.type != TarItem::Type::kDir) {
      return Errorf("{}: only files, directories and symlinks go into a package", it.path);
    }
  }
  return image::WriteTar(*items, mtime);
}

}  // namespace

std::string GzipOneMember(std::string_view data) {
  struct Free {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
  };
  std::unique_ptr<libdeflate_compressor, Free> c(libdeflate_alloc_compressor(9));
  // Header: magic, deflate, no flags, mtime 0, XFL 2 (best), OS unix.
  std::string out = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 2, 3};
  size_t head = out.size();
  out.resize(head + libdeflate_deflate_compress_bound(c.get(), data.size()));
  size_t n = libdeflate_deflate_compress(c.get(), data.data(), data.size(), out.data() + head,
                                         out.size() - head);
  out.resize(head + n);
  PutLe32(&out, libdeflate_crc32(0, data.data(), data.size()));
  PutLe32(&out, static_cast<uint32_t>(data.size()));
  return out;
}

Result<std::string> TarFragment(const std::string& name, std::string_view data, int64_t mtime) {
  TarItem it;
  it.path = name;
  it.data = std::string(data);
  DISTILL_TRY(std::string tar, image::WriteTar({std::move(it)}, mtime));
  tar.resize(tar.size() - image::TarEnd().size());  // a fragment: no end-of-archive blocks
  return tar;
}

Result<std::string> SignatureMember(const SigningKey& key, std::string_view signed_bytes,
                                    int64_t mtime) {
  DISTILL_TRY(std::string sig, key.SignSha256(signed_bytes));
  DISTILL_TRY(std::string tar, TarFragment(".SIGN.RSA256." + key.key_name(), sig, mtime));
  return GzipOneMember(tar);
}

Status ValidatePackageInfo(const PackageInfo& info) {
  DISTILL_TRY_VOID(CheckToken("name", info.name));
  if (info.name.starts_with("-") || info.name.starts_with("."))
    return Errorf("name '{}': must not start with '-' or '.'", info.name);
  DISTILL_TRY_VOID(CheckToken("version", info.version));
  if (!vuln::version::apk::IsValid(info.version))
    return Errorf("version '{}': not an apk version (such as 1.2.3-r0)", info.version);
  DISTILL_TRY_VOID(CheckToken("arch", info.arch));
  if (!info.origin.empty()) DISTILL_TRY_VOID(CheckToken("origin", info.origin));
  for (auto [field, v] : {std::pair{"description", &info.description},
                          {"url", &info.url},
                          {"commit", &info.commit},
                          {"maintainer", &info.maintainer},
                          {"license", &info.license}})
    DISTILL_TRY_VOID(CheckLine(field, *v));
  for (auto [field, list] : {std::pair{"depends", &info.depends},
                             {"provides", &info.provides},
                             {"replaces", &info.replaces}})
    for (const auto& v : *list) DISTILL_TRY_VOID(CheckWord(field, v));
  return {};
}

std::string PkgInfoText(const PackageInfo& info, uint64_t installed_size, int64_t builddate,
                        std::string_view datahash) {
  std::string out = "# Generated by distill\n";
  auto kv = [&out](std::string_view k, std::string_view v) {
    out += fmt::format("{} = {}\n", k, v);
  };
  kv("pkgname", info.name);
  kv("pkgver", info.version);
  kv("arch", info.arch);
  kv("size", std::to_string(installed_size));
  kv("origin", info.origin.empty() ? info.name : info.origin);
  kv("pkgdesc", info.description);
  kv("url", info.url);
  kv("commit", info.commit);
  if (!info.maintainer.empty()) kv("maintainer", info.maintainer);
  if (builddate != 0) kv("builddate", std::to_string(builddate));
  if (!info.license.empty()) kv("license", info.license);
  for (const auto& d : info.depends) kv("depend", d);
  for (const auto& p : info.provides) kv("provides", p);
  for (const auto& r : info.replaces) kv("replaces", r);
  if (info.provider_priority != 0) kv("provider_priority", std::to_string(info.provider_priority));
  kv("datahash", datahash);
  return out;
}

Result<std::vector<TarItem>> ReadTree(const std::string& dir, bool keep_owners) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Errorf("{}: not a directory", dir);
  std::vector<TarItem> items;
  // Entries are root + "/" + their relative path (never resolved: a symlink stays itself).
  std::string root = dir;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  fs::recursive_directory_iterator walk(root, fs::directory_options::none, ec), end;
  if (ec) return Errorf("{}: {}", dir, ec.message());
  for (; walk != end; walk.increment(ec)) {
    if (ec) return Errorf("{}: {}", dir, ec.message());
    std::string full = walk->path().string();
    struct stat st;
    if (::lstat(full.c_str(), &st) != 0) return Errorf("{}: cannot stat", full);
    TarItem it;
    it.path = full.substr(root == "/" ? 1 : root.size() + 1);
    it.mode = st.st_mode & 07777;
    if (keep_owners) it.uid = st.st_uid, it.gid = st.st_gid;
    if (S_ISDIR(st.st_mode)) {
      it.type = TarItem::Type::kDir;
    } else if (S_ISLNK(st.st_mode)) {
      it.type = TarItem::Type::kSymlink;
      it.link = fs::read_symlink(walk->path(), ec).string();
      if (ec) return Errorf("{}: cannot read the symlink: {}", full, ec.message());
    } else if (S_ISREG(st.st_mode)) {
      DISTILL_TRY(it.data, ReadFile(full, kMaxFileBytes));
    } else {
      return Errorf(
          "{}: a socket, fifo or device: only files, directories and symlinks go into a package",
          full);
    }
    items.push_back(std::move(it));
  }
  if (ec) return Errorf("{}: {}", dir, ec.message());  // the last increment's
  return items;
}

Result<Apk> PackItems(std::vector<TarItem> items, const PackOptions& opt) {
  DISTILL_TRY_VOID(ValidatePackageInfo(opt.info));
  PackageInfo info = opt.info;
  if (opt.scan_dependencies) ScanDependencies(items, &info);
  Apk apk;
  auto data_tar = DataTar(&items, opt.source_date_epoch, &apk.installed_size);
  if (!data_tar.ok()) return std::move(data_tar).error();
  std::string data = GzipOneMember(*data_tar);
  apk.datahash = DigestHex(Sha256Digest(data));
  apk.pkginfo = PkgInfoText(info, apk.installed_size, opt.source_date_epoch, apk.datahash);
  DISTILL_TRY(std::string control_tar, TarFragment(".PKGINFO", apk.pkginfo, opt.source_date_epoch));
  std::string control = GzipOneMember(control_tar);
  apk.identity = ApkIdentity(control);
  if (opt.key) {
    DISTILL_TRY(apk.bytes, SignatureMember(*opt.key, control, opt.source_date_epoch));
  }
  apk.bytes += control;
  apk.bytes += data;
  apk.file_name = info.name + "-" + info.version + ".apk";
  return apk;
}

Result<Apk> PackDirectory(const std::string& dir, const PackOptions& opt) {
  DISTILL_TRY(auto items, ReadTree(dir, opt.keep_owners));
  auto apk = PackItems(std::move(items), opt);
  if (!apk.ok()) return std::move(apk).error().wrap(dir);
  return apk;
}

}  // namespace distill::imagebuild::apk
