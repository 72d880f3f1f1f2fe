#include "imagebuild/assemble.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "imagebuild/items.h"
#include "imagebuild/rootfs_files.h"
#include "sbom/sbom.h"
#include "util/file.h"
#include "util/glob.h"

namespace distill::imagebuild {

namespace {

using image::TarItem;
using Type = TarItem::Type;
namespace fs = std::filesystem;

constexpr std::string_view kMergedDirs[] = {"bin", "sbin", "lib", "lib32", "lib64", "libx32"};
constexpr const char* kCopyrightGlob = "usr/share/doc/*/copyright";
constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr const char* kBundlePath = "etc/ssl/certs/ca-certificates.crt";

std::string StripSlash(std::string_view path) {
  while (path.starts_with("/")) path.remove_prefix(1);
  return std::string(path);
}

bool MatchesAny(const std::vector<std::string>& globs, std::string_view mapped,
                std::string_view orig) {
  for (const auto& g : globs) {
    std::string p = StripSlash(g);
    if (GlobMatch(p, mapped) || GlobMatch(p, orig)) return true;
    // "usr/share/doc/**" also names the directory itself.
    if (p.ends_with("/**") &&
        (mapped == p.substr(0, p.size() - 3) || orig == p.substr(0, p.size() - 3)))
      return true;
  }
  return false;
}

// One package after merged /usr, slices and excludes.
struct Installed {
  const Deb* deb;
  std::vector<TarItem> items;           // mapped paths
  std::vector<std::string> orig_paths;  // as the package names them, for info/<pkg>.list
  std::set<std::string> kept;           // mapped paths of kept non-directories
};

Installed Filter(const Deb& deb, const Spec& spec, std::map<std::string, TarItem>* dirmeta) {
  Installed out{&deb, {}, {}, {}};
  auto slice = spec.slices.find(deb.name);
  std::map<std::string, const TarItem*> by_path;
  for (const auto& it : deb.files) by_path[it.path] = &it;
  std::set<std::string> dropped;
  for (const auto& it : deb.files) {
    std::string mapped = MergedUsrPath(it.path);
    if (it.type == Type::kDir)
      dirmeta->try_emplace(mapped, DirItem(mapped, it.mode, it.uid, it.gid));
    bool copyright = GlobMatch(kCopyrightGlob, mapped);
    bool keep =
        copyright || ((slice == spec.slices.end() ||
                       (it.type != Type::kDir && MatchesAny(slice->second, mapped, it.path))) &&
                      !MatchesAny(spec.exclude, mapped, it.path));
    if (!keep) {
      dropped.insert(it.path);
      continue;
    }
    TarItem item = it;
    item.path = mapped;
    if (item.type == Type::kHardlink) {
      if (dropped.contains(it.link) || !by_path.contains(it.link)) {
        // Its target was sliced away: keep the bytes as a file of its own.
        const TarItem* target = by_path.contains(it.link) ? by_path[it.link] : nullptr;
        if (!target) continue;
        item = *target;
        item.path = mapped;
      } else {
        item.link = MergedUsrPath(it.link);
      }
    }
    if (item.type != Type::kDir) out.kept.insert(item.path);
    out.orig_paths.push_back(it.path);
    out.items.push_back(std::move(item));
  }
  return out;
}

// md5sums lines whose file is still in the image.
std::string FilterMd5sums(const Installed& installed) {
  std::string out;
  std::string_view text = installed.deb->md5sums;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    size_t sp = line.find("  ");
    if (sp == std::string_view::npos) continue;
    if (installed.kept.contains(MergedUsrPath(StripSlash(line.substr(sp + 2)))))
      out += std::string(line) + "\n";
  }
  return out;
}

std::string WithNewline(std::string s) {
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

// status.d/<pkg> + <pkg>.md5sums, the distroless layout.
std::vector<TarItem> StatusD(const Installed& installed) {
  std::vector<TarItem> out;
  std::string base = "var/lib/dpkg/status.d/" + installed.deb->name;
  out.push_back(FileItem(base, WithNewline(installed.deb->control)));
  std::string md5 = FilterMd5sums(installed);
  if (!md5.empty()) out.push_back(FileItem(base + ".md5sums", md5));
  return out;
}

// A classic var/lib/dpkg/status plus info/<pkg>[:arch].{list,md5sums}.
std::vector<TarItem> ClassicDb(const std::vector<Installed>& pkgs) {
  std::vector<TarItem> out;
  std::string status;
  for (const auto& p : pkgs) {
    std::string control = WithNewline(p.deb->control);
    size_t nl = control.find('\n');
    status += control.substr(0, nl + 1) + "Status: install ok installed\n" +
              control.substr(nl + 1) + "\n";
    std::string stem =
        "var/lib/dpkg/info/" + p.deb->name + (p.deb->multi_arch == "same" ? ":" + p.deb->arch : "");
    std::string list = "/.\n";
    for (const auto& path : p.orig_paths) list += "/" + path + "\n";
    out.push_back(FileItem(stem + ".list", list));
    std::string md5 = FilterMd5sums(p);
    if (!md5.empty()) out.push_back(FileItem(stem + ".md5sums", md5));
  }
  out.push_back(FileItem("var/lib/dpkg/status", status));
  return out;
}

// What maintainer scripts would have made, the distroless way, plus the spec's own files.
Result<std::vector<TarItem>> Generated(const AssembleInput& in, const std::vector<Installed>& pkgs,
                                       const std::set<std::string>& top_dirs) {
  const Spec& spec = *in.spec;
  std::vector<TarItem> out;
  for (auto d : kMergedDirs)
    if (top_dirs.contains("usr/" + std::string(d)) || d == "bin" || d == "sbin" || d == "lib")
      out.push_back(SymlinkItem(std::string(d), "usr/" + std::string(d)));
  out.push_back(FileItem("etc/passwd", PasswdFile(spec.users)));
  out.push_back(FileItem("etc/group", GroupFile(spec.groups)));
  out.push_back(FileItem("etc/nsswitch.conf", NsswitchConf()));
  out.push_back(DirItem("tmp", 01777));
  out.push_back(DirItem("home"));
  for (const auto& u : spec.users) {
    if (u.home.empty() || u.home == "/nonexistent" || u.home == "/") continue;
    out.push_back(DirItem(StripSlash(u.home), 0700, u.uid, u.gid));
  }
  std::string base_os_release;
  for (const auto& p : pkgs)
    for (const auto& it : p.items)
      if (it.path == "usr/lib/os-release" && it.type == Type::kFile) base_os_release = it.data;
  out.push_back(
      FileItem("usr/lib/os-release", OsRelease(base_os_release, spec.pretty_name, spec.codename)));
  const Deb* ca = in.ca_source;
  for (const auto& p : pkgs)
    if (p.deb->name == "ca-certificates") ca = p.deb;
  if (ca) {
    out.push_back(FileItem(kBundlePath, CaBundle(*ca)));
    for (const auto& it : ca->files)
      if (it.path == "usr/share/doc/ca-certificates/copyright")
        out.push_back(FileItem(it.path, it.data));
  } else if (spec.ca_bundle) {
    return Errorf("ca-bundle: true needs the ca-certificates package");
  }
  if (!spec.statusd) {
    auto db = ClassicDb(pkgs);
    out.insert(out.end(), db.begin(), db.end());
  }
  for (const auto& f : spec.files) {
    DISTILL_TRY_VOID(AddLocalFiles(f, in.spec_dir, &out));
  }
  return out;
}

// Which packages share a layer: all, one each, or consecutive groups of about equal size.
std::vector<std::vector<size_t>> Groups(const Spec& spec, const std::vector<Installed>& pkgs) {
  std::vector<std::vector<size_t>> g;
  if (spec.layers == LayerMode::kSingle || pkgs.empty()) {
    g.emplace_back();
    for (size_t i = 0; i < pkgs.size(); ++i) g.back().push_back(i);
    return g;
  }
  if (spec.layers == LayerMode::kPerPackage ||
      static_cast<int>(pkgs.size()) + 1 <= spec.layer_budget) {
    for (size_t i = 0; i < pkgs.size(); ++i) g.push_back({i});
    return g;
  }
  uint64_t total = 0;
  std::vector<uint64_t> size(pkgs.size());
  for (size_t i = 0; i < pkgs.size(); ++i) {
    for (const auto& it : pkgs[i].items) size[i] += it.data.size() + 512;
    total += size[i];
  }
  size_t budget = spec.layer_budget - 1;  // one layer is the generated one
  uint64_t target = total / budget + 1, acc = 0;
  g.emplace_back();
  for (size_t i = 0; i < pkgs.size(); ++i) {
    if (acc >= target && g.size() < budget) {
      g.emplace_back();
      acc = 0;
    }
    g.back().push_back(i);
    acc += size[i];
  }
  return g;
}

std::string LayerName(const std::vector<Installed>& pkgs, const std::vector<size_t>& group) {
  std::string s = "distill build: deb";
  for (size_t i : group) s += fmt::format(" {}={}", pkgs[i].deb->name, pkgs[i].deb->version);
  return s;
}

// Places the layers' items so that a later layer's path replaces an earlier one (removed there),
// and every layer carries the parent directories of its entries.
std::vector<AssembledLayer> Stack(std::vector<AssembledLayer> layers,
                                  const std::map<std::string, TarItem>& dirmeta) {
  std::vector<std::map<std::string, TarItem>> placed(layers.size());
  std::map<std::string, size_t> owner;
  for (size_t l = 0; l < layers.size(); ++l) {
    for (auto& it : layers[l].items) {
      auto o = owner.find(it.path);
      if (o != owner.end() && o->second != l &&
          !(it.type == Type::kDir && placed[o->second][it.path].type == Type::kDir))
        placed[o->second].erase(it.path);
      owner[it.path] = l;
      std::string path = it.path;
      placed[l][path] = std::move(it);
    }
  }
  for (size_t l = 0; l < layers.size(); ++l) {
    std::vector<std::string> parents;
    for (const auto& [path, it] : placed[l])
      for (size_t p = path.find('/'); p != std::string::npos; p = path.find('/', p + 1))
        parents.push_back(path.substr(0, p));
    for (const auto& d : parents) {
      if (placed[l].contains(d)) continue;
      auto m = dirmeta.find(d);
      placed[l][d] = m != dirmeta.end() ? m->second : DirItem(d);
    }
    layers[l].items.clear();
    for (auto& [path, it] : placed[l]) layers[l].items.push_back(std::move(it));
  }
  std::erase_if(layers, [](const AssembledLayer& layer) { return layer.items.empty(); });
  return layers;
}

Result<nlohmann::json> Config(const Spec& spec, bool has_bundle) {
  DISTILL_TRY(User user, RunAsUser(spec));
  std::vector<std::pair<std::string, std::string>> defaults = {{"PATH", kDefaultPath}};
  if (has_bundle) defaults.emplace_back("SSL_CERT_FILE", "/" + std::string(kBundlePath));
  nlohmann::json c = nlohmann::json::object();
  c["Env"] = EnvWith(std::move(defaults), spec);
  c["User"] = std::to_string(user.uid);
  c["WorkingDir"] = !spec.workdir.empty()                          ? spec.workdir
                    : user.uid != 0 && user.home != "/nonexistent" ? user.home
                                                                   : "/";
  if (!spec.entrypoint.empty()) c["Entrypoint"] = spec.entrypoint;
  if (!spec.cmd.empty()) c["Cmd"] = spec.cmd;
  if (!spec.labels.empty()) c["Labels"] = spec.labels;
  return c;
}

}  // namespace

std::string MergedUsrPath(std::string_view path) {
  for (auto d : kMergedDirs)
    if (path == d || (path.starts_with(d) && path.size() > d.size() && path[d.size()] == '/'))
      return "usr/" + std::string(path);
  return std::string(path);
}

Result<int64_t> BuildEpoch(const std::vector<Deb>& debs) {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (env && *env) return sbom::ParseSourceDateEpoch(env);
  int64_t newest = 0;
  for (const auto& d : debs) newest = std::max(newest, d.newest_mtime);
  return newest;
}

namespace {

// The spec's slices and excludes all act on the build: a slice names a package being installed and
// each of its globs keeps something; each exclude removes something. A glob that matches nothing
// is a typo or a path of another release (issue #26), never silently nothing.
Status CheckSlicesAndExcludes(const Spec& spec, const std::vector<const Deb*>& debs) {
  auto where = [&](const std::string& key) {
    auto it = spec.positions.find(key);
    return it == spec.positions.end() ? spec.file : it->second;
  };
  auto matches = [](const std::string& glob, const Deb& d) {
    for (const auto& it : d.files)
      if (MatchesAny({glob}, MergedUsrPath(it.path), it.path)) return true;
    return false;
  };
  for (const auto& slice : spec.slices) {
    const std::string& pkg = slice.first;
    const std::vector<std::string>& globs = slice.second;
    auto deb = std::find_if(debs.begin(), debs.end(), [&](const Deb* d) { return d->name == pkg; });
    if (deb == debs.end())
      return Errorf("{}: slices: {} is not installed by this build", where("slices." + pkg), pkg);
    for (size_t i = 0; i < globs.size(); ++i)
      if (!matches(globs[i], **deb))
        return Errorf("{}: slices: {}: '{}' matches no file of {} {}",
                      where(fmt::format("slices.{}[{}]", pkg, i)), pkg, globs[i], pkg,
                      (*deb)->version);
  }
  for (size_t i = 0; i < spec.exclude.size(); ++i)
    if (std::none_of(debs.begin(), debs.end(),
                     [&](const Deb* d) { return matches(spec.exclude[i], *d); }))
      return Errorf("{}: exclude: '{}' matches no file of the packages installed",
                    where(fmt::format("exclude[{}]", i)), spec.exclude[i]);
  return {};
}

}  // namespace

Result<Assembled> Assemble(const AssembleInput& in) {
  const Spec& spec = *in.spec;
  std::vector<const Deb*> debs;
  for (const auto& d : in.debs) debs.push_back(&d);
  std::sort(debs.begin(), debs.end(), [](const Deb* a, const Deb* b) { return a->name < b->name; });
  for (size_t i = 1; i < debs.size(); ++i)
    if (debs[i]->name == debs[i - 1]->name) return Errorf("package {} given twice", debs[i]->name);
  DISTILL_TRY_VOID(CheckSlicesAndExcludes(spec, debs));
  std::map<std::string, TarItem> dirmeta;
  std::vector<Installed> pkgs;
  Assembled out;
  std::set<std::string> top_dirs;
  for (const Deb* d : debs) {
    pkgs.push_back(Filter(*d, spec, &dirmeta));
    for (const auto& it : pkgs.back().items) {
      if (it.type == Type::kFile) out.package_bytes += it.data.size();
      size_t second = it.path.find('/', 4);
      if (it.path.starts_with("usr/")) top_dirs.insert(it.path.substr(0, second));
    }
  }
  std::vector<AssembledLayer> layers;
  for (const auto& group : Groups(spec, pkgs)) {
    AssembledLayer l{LayerName(pkgs, group), {}};
    for (size_t i : group) {
      l.items.insert(l.items.end(), pkgs[i].items.begin(), pkgs[i].items.end());
      if (spec.statusd) {
        auto db = StatusD(pkgs[i]);
        l.items.insert(l.items.end(), db.begin(), db.end());
      }
    }
    layers.push_back(std::move(l));
  }
  DISTILL_TRY(auto gen, Generated(in, pkgs, top_dirs));
  bool has_bundle = std::any_of(gen.begin(), gen.end(),
                                [](const TarItem& item) { return item.path == kBundlePath; });
  if (spec.layers == LayerMode::kSingle) {
    layers.back().created_by =
        "distill build: all packages, accounts, os-release, certificates, files";
    layers.back().items.insert(layers.back().items.end(), gen.begin(), gen.end());
  } else {
    layers.push_back({"distill build: accounts, os-release, certificates, files", std::move(gen)});
  }
  out.layers = Stack(std::move(layers), dirmeta);
  DISTILL_TRY(out.config, Config(spec, has_bundle));
  return out;
}

}  // namespace distill::imagebuild
