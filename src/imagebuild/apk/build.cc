#include "imagebuild/apk/build.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "imagebuild/apk/checksum.h"
#include "imagebuild/apk/index.h"
#include "imagebuild/apk/keyring.h"
#include "imagebuild/apk/layout.h"
#include "imagebuild/apk/lock.h"
#include "imagebuild/apk/package.h"
#include "imagebuild/apk/signed_index.h"
#include "imagebuild/apk/solver.h"
#include "imagebuild/deb/apt/download.h"
#include "imagebuild/items.h"
#include "sbom/sbom.h"
#include "util/file.h"
#include "util/parallel.h"

namespace distill::imagebuild::apk {

namespace {

using image::TarItem;
using Type = TarItem::Type;
namespace fs = std::filesystem;

constexpr uint64_t kMaxIndex = 256ull << 20;
constexpr uint64_t kMaxPackage = 4ull << 30;
constexpr uint64_t kMaxKey = 64 << 10;

bool IsRemote(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

// The bytes of one file of a repository: a local directory read in place, an http(s) URL through
// the download cache (`offline`: the cache only). Nothing here is trusted: indexes are verified by
// their signatures, packages by their identity (the index's C:) and signatures.
class RepoFiles {
 public:
  explicit RepoFiles(const FetchOptions& opt) : opt_(opt) {}

  // "x86_64/APKINDEX.tar.gz" of the repository.
  Result<std::string> Read(const RepositorySource& repo, const std::string& rel,
                           uint64_t max_bytes) const {
    if (!IsRemote(repo.url)) return ReadFile(repo.dir + "/" + rel, max_bytes);
    std::string url = repo.url;
    while (url.ends_with('/')) url.pop_back();
    url += "/" + rel;
    std::string cached = CachePath(url);
    if (opt_.offline) {
      auto bytes = ReadFile(cached, max_bytes);
      if (!bytes.ok()) return Errorf("{}: --offline, and the download cache does not hold it", url);
      return bytes;
    }
    DISTILL_TRY(std::string bytes, apt::DownloadToString(url, max_bytes));
    std::error_code ec;
    fs::create_directories(fs::path(cached).parent_path(), ec);
    (void)WriteFileAtomic(cached, bytes, Durable::kNo);  // a cache: verified again when read
    return bytes;
  }

 private:
  // CACHE/apk/<sha256 of the URL>: a URL names one file; what it holds is checked on every use.
  std::string CachePath(const std::string& url) const {
    std::string root = opt_.cache_dir.empty() ? "." : opt_.cache_dir;
    return root + "/apk/" + Sha256Hex(url);
  }
  const FetchOptions& opt_;
};

struct KeyFiles {
  Keyring keyring;
  std::map<std::string, std::string> bytes;  // etc/apk/keys/NAME -> PEM
};

Result<KeyFiles> LoadKeys(const Contents& contents, const FetchOptions& opt) {
  KeyFiles out;
  for (const auto& k : contents.keyring) {
    std::string pem;
    if (IsRemote(k.source)) {
      if (opt.offline) return Errorf("keyring {}: an http(s) key with --offline", k.source);
      DISTILL_TRY(pem, apt::DownloadToString(k.source, kMaxKey));
    } else {
      auto read = ReadFile(k.path, kMaxKey);
      if (!read.ok()) return std::move(read).error().wrap("keyring " + k.source);
      pem = std::move(*read);
    }
    auto added = out.keyring.Add(k.name, k.path.empty() ? k.source : k.path, pem);
    if (!added.ok()) return std::move(added).error().wrap("keyring " + k.source);
    out.bytes[k.name] = std::move(pem);
  }
  return out;
}

// One build repository's verified index for one architecture.
Result<Repository> LoadRepository(const RepositorySource& src, const std::string& apk_arch,
                                  const Keyring& keyring, const RepoFiles& files) {
  std::string rel = apk_arch + "/APKINDEX.tar.gz";
  std::string name = src.url + "/" + rel;
  DISTILL_TRY(std::string bytes, files.Read(src, rel, kMaxIndex));
  DISTILL_TRY(SignedIndex index, ReadVerifiedIndex(bytes, name, keyring, Limits{}));
  Repository repo;
  repo.name = src.url;
  repo.tag = src.tag;
  DISTILL_TRY(repo.packages, ParseIndex(index.apkindex, name));
  return repo;
}

struct Fetched {
  std::string url;  // as the lock names it
  uint64_t size = 0;
  Package package;
};

// Reads and checks every resolved package, in parallel; the first error in install order wins.
Result<std::vector<Fetched>> FetchPackages(const Resolution& res,
                                           const std::vector<RepositorySource>& sources,
                                           const std::string& apk_arch, const Keyring& keyring,
                                           const RepoFiles& files, int threads) {
  auto fetch_one = [&](size_t i) -> Result<Fetched> {
    const IndexEntry& e = *res.packages[i].entry;
    const RepositorySource& src = sources[res.packages[i].repository];
    std::string file = e.name + "-" + e.version + ".apk";
    std::string rel = apk_arch + "/" + file;
    Fetched f;
    f.url = src.url + "/" + rel;
    DISTILL_TRY(std::string bytes, files.Read(src, rel, kMaxPackage));
    f.size = bytes.size();
    DISTILL_TRY(f.package, ReadVerifiedPackage(bytes, file, keyring));
    const PkgInfo& info = f.package.info;
    if (!e.checksum.empty() && f.package.identity != e.checksum)
      return Errorf("{}: its identity is {}, the index {} says {}", f.url, f.package.identity,
                    src.url, e.checksum);
    if (info.pkgname != e.name || info.pkgver != e.version)
      return Errorf("{}: .PKGINFO says {}-{}, the index says {}-{}", f.url, info.pkgname,
                    info.pkgver, e.name, e.version);
    return f;
  };
  auto got = ParallelMap(res.packages.size(), threads, fetch_one);
  std::vector<Fetched> out;
  for (auto& r : got) {
    if (!r.ok()) return std::move(r).error();
    out.push_back(std::move(*r));
  }
  return out;
}

std::vector<std::string> Atoms(const std::vector<Dependency>& deps) {
  std::vector<std::string> out;
  for (const auto& d : deps) out.push_back(d.ToString());
  return out;
}

InstalledPackage InstalledRecord(const IndexEntry& e, const Fetched& f) {
  InstalledPackage p;
  p.name = e.name;
  p.version = e.version;
  p.arch = e.arch;
  p.license = e.license;
  p.description = e.description;
  p.origin = e.origin;
  p.maintainer = e.maintainer;
  p.url = e.url;
  p.commit = e.commit;
  p.depends = Atoms(e.depends);
  p.provides = Atoms(e.provides);
  p.install_if = Atoms(e.install_if);
  // The package's own .PKGINFO: indexes written by melange and apko leave `r:` out.
  p.replaces = f.package.info.replaces;
  p.build_time = e.build_time;
  p.size = f.size;
  p.installed_size = e.installed_size;
  p.provider_priority = static_cast<uint64_t>(std::max<int64_t>(0, e.provider_priority));
  p.checksum = f.package.identity;
  return p;
}

// The packages' files, installed in order. A path one package installed may be written again by
// a later one only when the later one replaces it (`replaces`), they share an origin, or the
// bytes are the same (apk-tools' rules); the file then moves to the later package's record.
struct Installer {
  std::map<std::string, TarItem> rootfs;
  std::map<std::string, size_t> owner;  // non-directory path -> package index
  std::vector<InstalledPackage> installed;
  uint64_t package_bytes = 0;

  Status Add(const IndexEntry& e, const Fetched& f) {
    size_t me = installed.size();
    installed.push_back(InstalledRecord(e, f));
    const Package& pkg = f.package;
    for (const DataEntry& d : pkg.files) {
      TarItem item;
      item.path = d.path;
      item.type = d.type;
      item.mode = d.mode & 07777;
      item.uid = d.uid;
      item.gid = d.gid;
      item.link = d.link;
      item.dev_major = d.dev_major;
      item.dev_minor = d.dev_minor;
      if (d.type == Type::kFile) item.data = std::string(pkg.Content(d));
      InstalledFile file{d.path, d.type == Type::kDir, item.mode, d.uid, d.gid, {}};
      if (d.type != Type::kDir) file.checksum = Q1FromHex(d.sha1);
      auto have = rootfs.find(d.path);
      if (have != rootfs.end()) {
        bool was_dir = have->second.type == Type::kDir;
        if (was_dir && d.type == Type::kDir) {  // shared directory: the first one's metadata
          installed[me].files.push_back(file);
          continue;
        }
        if (was_dir || d.type == Type::kDir)
          return Errorf("{}-{}: /{} is a {} in {}, a {} here", e.name, e.version, d.path,
                        was_dir ? "directory" : "file", OwnerName(d.path),
                        d.type == Type::kDir ? "directory" : "file");
        size_t prev = owner.at(d.path);
        DISTILL_TRY_VOID(MayOverwrite(me, prev, have->second, item, d.path));
        std::erase_if(installed[prev].files,
                      [&](const InstalledFile& x) { return x.path == d.path; });
        if (have->second.type == Type::kFile) package_bytes -= have->second.data.size();
      }
      if (d.type == Type::kFile) package_bytes += item.data.size();
      if (d.type != Type::kDir) owner[d.path] = me;
      rootfs[d.path] = std::move(item);
      installed[me].files.push_back(std::move(file));
    }
    return {};
  }

  std::string OwnerName(const std::string& path) const {
    auto it = owner.find(path);
    if (it == owner.end()) return "an earlier package";
    return installed[it->second].name + "-" + installed[it->second].version;
  }

  Status MayOverwrite(size_t me, size_t prev, const TarItem& old_item, const TarItem& new_item,
                      const std::string& path) const {
    const InstalledPackage& a = installed[me];
    const InstalledPackage& b = installed[prev];
    if (std::find(a.replaces.begin(), a.replaces.end(), b.name) != a.replaces.end()) return {};
    if (!a.origin.empty() && a.origin == b.origin) return {};
    if (old_item.type == new_item.type && old_item.data == new_item.data &&
        old_item.link == new_item.link)
      return {};
    return Errorf(
        "{}-{} would overwrite /{}, which {}-{} installed: neither replaces the other (a package "
        "that means to replace it says so with `replaces`)",
        a.name, a.version, path, b.name, b.version);
  }
};

// The control entries apk keeps in scripts.tar: the install hooks and the trigger.
bool IsHook(std::string_view name) {
  return name.starts_with(".pre-") || name.starts_with(".post-") || name == ".trigger";
}

Result<int64_t> Epoch(const std::vector<InstalledPackage>& installed) {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (env && *env) return sbom::ParseSourceDateEpoch(env);
  int64_t newest = 0;
  for (const auto& p : installed) newest = std::max(newest, p.build_time);
  return newest;
}

// Our spec's `files` (apko has none: local files are apko's most requested feature), laid over
// everything else, with the directories above them made when no package made them.
Status AddSpecFiles(const Spec& spec, std::map<std::string, TarItem>* rootfs) {
  std::string spec_dir = fs::path(spec.file).parent_path().string();
  if (spec_dir.empty()) spec_dir = ".";
  for (const auto& f : spec.files) {
    std::vector<TarItem> items;
    DISTILL_TRY_VOID(AddLocalFiles(f, spec_dir, &items));
    for (auto& it : items) {
      for (size_t slash = it.path.find('/'); slash != std::string::npos;
           slash = it.path.find('/', slash + 1))
        rootfs->try_emplace(it.path.substr(0, slash), DirItem(it.path.substr(0, slash)));
      (*rootfs)[it.path] = std::move(it);
    }
  }
  return {};
}

struct ArchResult {
  ArchRootfs rootfs;
  std::vector<LockedPackage> locked;
};

// One architecture's world resolved against its verified indexes (restricted to the lock).
struct Resolved {
  std::vector<RepositorySource> sources;
  std::vector<Repository> repos;  // Resolution points into these
  Resolution res;
};

Result<std::unique_ptr<Resolved>> ResolveArch(const Spec& spec, const std::string& apk_arch,
                                              const KeyFiles& keys,
                                              const std::optional<ApkLock>& lock,
                                              const RepoFiles& files) {
  auto out = std::make_unique<Resolved>();
  out->sources = spec.apk->BuildRepositories();
  for (const auto& src : out->sources) {
    DISTILL_TRY(Repository r, LoadRepository(src, apk_arch, keys.keyring, files));
    out->repos.push_back(std::move(r));
  }
  if (lock) DISTILL_TRY_VOID(RestrictToLock(*lock, apk_arch, &out->repos));
  std::vector<Dependency> world;
  for (const auto& p : spec.apk->packages) {
    auto d = ParseDependency(p, AtomContext::kWorld);
    if (!d.ok()) return std::move(d).error().wrap(spec.file + ": contents.packages");
    world.push_back(std::move(*d));
  }
  ResolveOptions ro;
  ro.arch = apk_arch;
  DISTILL_TRY(out->res, Resolve(world, out->repos, ro));
  if (lock) DISTILL_TRY_VOID(CheckResolution(*lock, apk_arch, out->res));
  return out;
}

Result<ArchResult> InstallArch(const Spec& spec, const std::string& oci_arch, const KeyFiles& keys,
                               const std::optional<ApkLock>& lock, const FetchOptions& opt) {
  std::string apk_arch = ApkArch(oci_arch);
  RepoFiles files(opt);
  DISTILL_TRY(auto resolved, ResolveArch(spec, apk_arch, keys, lock, files));
  const Resolution& res = resolved->res;
  DISTILL_TRY(auto fetched,
              FetchPackages(res, resolved->sources, apk_arch, keys.keyring, files, opt.threads));

  ArchResult out;
  Installer inst;
  std::vector<Script> scripts;
  std::map<std::string, std::vector<std::string>> triggers;
  for (size_t i = 0; i < fetched.size(); ++i) {
    const IndexEntry& e = *res.packages[i].entry;
    const Fetched& f = fetched[i];
    DISTILL_TRY(LockedPackage locked, FromResolved(e, f.package, apk_arch, f.url));
    locked.size = f.size;
    if (lock) {
      const LockedPackage* want = lock->Find(apk_arch, f.package.identity);
      if (!want)
        return Errorf("{}: {}-{} ({}) is not in the lock", lock->source, e.name, e.version,
                      f.package.identity);
      DISTILL_TRY_VOID(CheckFetched(*want, f.package));
      if (want->size != 0 && want->size != f.size)
        return Errorf("{}: {}-{}: size: locked {}, found {}", lock->source, e.name, e.version,
                      want->size, f.size);
    }
    out.locked.push_back(std::move(locked));
    DISTILL_TRY_VOID(inst.Add(e, f));
    for (const auto& c : f.package.scripts)
      if (IsHook(c.name))
        scripts.push_back({e.name, e.version, f.package.identity, c.name, c.content, 0755});
    if (!f.package.info.triggers.empty()) triggers[f.package.identity] = f.package.info.triggers;
  }
  DISTILL_TRY(int64_t epoch, Epoch(inst.installed));

  LayoutInput in;
  in.spec = &spec;
  in.arch = oci_arch;
  in.installed = inst.installed;
  in.rootfs = &inst.rootfs;
  in.keys = keys.bytes;
  in.scripts = std::move(scripts);
  in.triggers = std::move(triggers);
  in.mtime = epoch;
  DISTILL_TRY(auto extra, ImageFiles(in));
  for (auto& item : extra) inst.rootfs[item.path] = std::move(item);
  DISTILL_TRY_VOID(AddSpecFiles(spec, &inst.rootfs));

  ArchRootfs& r = out.rootfs;
  r.arch = oci_arch;
  r.epoch = epoch;
  r.package_bytes = inst.package_bytes;
  r.installed = std::move(inst.installed);
  r.items.reserve(inst.rootfs.size());
  for (auto& [path, item] : inst.rootfs) r.items.push_back(std::move(item));
  DISTILL_TRY(r.config, ImageConfig(spec));
  return out;
}

}  // namespace

Result<nlohmann::json> ImageConfig(const Spec& spec) {
  // apko's defaults (pkg/build/oci): this PATH order, and SSL_CERT_FILE whether or not the
  // image has certificates.
  nlohmann::json c = nlohmann::json::object();
  c["Env"] = EnvWith({{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin"},
                      {"SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"}},
                     spec);
  if (!spec.run_as.empty()) {
    DISTILL_TRY(User user, RunAsUser(spec));
    c["User"] = std::to_string(user.uid);
  }
  if (!spec.workdir.empty()) c["WorkingDir"] = spec.workdir;
  if (!spec.entrypoint.empty()) c["Entrypoint"] = spec.entrypoint;
  if (!spec.cmd.empty()) c["Cmd"] = spec.cmd;
  std::map<std::string, std::string> labels = spec.annotations;
  for (const auto& [k, v] : spec.labels) labels[k] = v;
  if (!labels.empty()) c["Labels"] = labels;
  return c;
}

Result<std::optional<ApkLock>> LockToUse(const FetchOptions& opt) {
  if (opt.lock_path.empty() || opt.update_lock || !fs::exists(opt.lock_path))
    return std::optional<ApkLock>{};
  DISTILL_TRY(ApkLock lock, ReadApkLock(opt.lock_path));
  return std::optional<ApkLock>(std::move(lock));
}

Result<std::string> Plan(const Spec& spec, const FetchOptions& opt) {
  if (!spec.apk) return Errorf("{}: no contents: (APK packages) to install", spec.file);
  DISTILL_TRY(KeyFiles keys, LoadKeys(*spec.apk, opt));
  DISTILL_TRY(auto lock, LockToUse(opt));
  RepoFiles files(opt);
  std::string out;
  for (const auto& arch : spec.archs) {
    std::string apk_arch = ApkArch(arch);
    auto resolved = ResolveArch(spec, apk_arch, keys, lock, files);
    if (!resolved.ok()) return std::move(resolved).error().wrap(arch);
    const Resolution& res = (*resolved)->res;
    out +=
        fmt::format("{} ({} packages{}):\n", apk_arch, res.packages.size(), lock ? ", locked" : "");
    for (const auto& p : res.packages)
      out += fmt::format("  {}{}-{}  {}\n", p.entry->name, p.tag.empty() ? "" : "@" + p.tag,
                         p.entry->version, (*resolved)->sources[p.repository].url);
  }
  return out;
}

Result<std::vector<ArchRootfs>> Install(const Spec& spec, const FetchOptions& opt) {
  if (!spec.apk) return Errorf("{}: no contents: (APK packages) to install", spec.file);
  if (spec.archs.empty()) return Errorf("{}: no architecture to build", spec.file);
  DISTILL_TRY(KeyFiles keys, LoadKeys(*spec.apk, opt));
  DISTILL_TRY(auto lock, LockToUse(opt));
  bool write_lock = !opt.lock_path.empty() && !lock;
  std::vector<ArchRootfs> out;
  ApkLock written;
  for (const auto& arch : spec.archs) {
    auto r = InstallArch(spec, arch, keys, lock, opt);
    if (!r.ok()) return std::move(r).error().wrap(arch);
    out.push_back(std::move(r->rootfs));
    for (auto& l : r->locked) written.packages.push_back(std::move(l));
  }
  if (write_lock) DISTILL_TRY_VOID(WriteApkLock(opt.lock_path, written));
  return out;
}

}  // namespace distill::imagebuild::apk
