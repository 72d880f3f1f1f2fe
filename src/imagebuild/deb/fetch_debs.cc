#include "imagebuild/deb/fetch_debs.h"

#include <algorithm>
#include <filesystem>

namespace distill::imagebuild {

namespace {

bool Installs(const Spec& spec, std::string_view name) {
  return std::find(spec.packages.begin(), spec.packages.end(), name) != spec.packages.end();
}

bool WantsBundleOnly(const Spec& spec) {
  return spec.ca_bundle && !Installs(spec, "ca-certificates");
}

// A lock made before the spec changed must not win silently: every package the spec names (at its
// pinned version, "name=version") is in the lock, and with `resolve: false`, where the lock is
// exactly the spec's list, nothing else is. (With resolution a package the spec no longer needs
// cannot be told from a dependency without the indexes: --update-lock rewrites it.)
Status CheckLockMatchesSpec(const Spec& spec, const PlannedArch& p, const std::string& arch) {
  auto locked = [&](std::string_view name) -> const apt::DebRef* {
    for (const auto& r : p.refs)
      if (r.name == name) return &r;
    return nullptr;
  };
  std::vector<std::string> wanted;
  for (const auto& want : spec.packages) {
    std::string_view name = want, version;
    if (size_t eq = name.find('='); eq != std::string_view::npos) {
      version = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (size_t colon = name.find(':'); colon != std::string_view::npos)
      name = name.substr(0, colon);
    wanted.emplace_back(name);
    const apt::DebRef* r = locked(name);
    if (!r)
      return Errorf("the spec installs {}, the lock has no {} for {}: run with --update-lock", want,
                    name, arch);
    if (!version.empty() && r->version != version)
      return Errorf("the spec pins {}, the lock has {} {}: run with --update-lock", want, name,
                    r->version);
  }
  if (WantsBundleOnly(spec) && p.ca_name.empty())
    return Errorf(
        "the spec wants the CA bundle, the lock has no ca-certificates for {}: run with "
        "--update-lock",
        arch);
  if (!spec.resolve)
    for (const auto& r : p.packages)
      if (std::find(wanted.begin(), wanted.end(), r.pkg.ref.name) == wanted.end())
        return Errorf(
            "the lock installs {}, which the spec (resolve: false) no longer lists: run "
            "with --update-lock",
            r.pkg.ref.name);
  return {};
}

// From the lock: every row of this architecture (or "all"), split into installed and bundle-only.
Result<PlannedArch> FromLock(const Spec& spec, const std::vector<apt::DebRef>& lock,
                             const std::string& arch) {
  PlannedArch p;
  p.arch = arch;
  for (const auto& r : lock) {
    if (r.arch != arch && r.arch != "all") continue;
    p.refs.push_back(r);
    if (r.name == "ca-certificates" && WantsBundleOnly(spec)) {
      p.ca_name = r.name;
      continue;
    }
    apt::Resolved res;
    res.pkg.ref = r;
    res.reason = "locked";
    p.packages.push_back(res);
  }
  if (p.packages.empty()) return Errorf("the lock file has no package for architecture {}", arch);
  DISTILL_TRY_VOID(CheckLockMatchesSpec(spec, p, arch));
  return p;
}

Result<PlannedArch> Resolve(const Spec& spec, const std::vector<apt::Source>& sources,
                            const AptSettings& settings, const std::string& arch) {
  apt::IndexOptions io;
  io.arch = arch;
  io.keyring = spec.keyring;
  io.cache_dir = settings.cache_dir;
  io.offline = settings.offline;
  DISTILL_TRY(apt::Index index, apt::LoadIndex(sources, io));
  apt::ResolveOptions ro;
  ro.with_dependencies = spec.resolve;
  PlannedArch p;
  p.arch = arch;
  DISTILL_TRY(p.packages, apt::Resolve(index, spec.packages, ro));
  for (const auto& r : p.packages) p.refs.push_back(r.pkg.ref);
  if (WantsBundleOnly(spec) && std::none_of(p.packages.begin(), p.packages.end(), [](auto& r) {
        return r.pkg.ref.name == "ca-certificates";
      })) {
    const apt::PackageInfo* ca = index.Find("ca-certificates");
    if (!ca) return Errorf("ca-bundle: the sources have no ca-certificates package");
    p.refs.push_back(ca->ref);
    p.ca_name = "ca-certificates";
  }
  return p;
}

}  // namespace

Result<std::vector<apt::Source>> SourcesFor(const Spec& spec, bool allow_unsigned) {
  if (spec.mirrors.empty()) {
    DISTILL_TRY(auto sources, apt::HostSources(spec.codename));
    if (sources.empty())
      return Errorf("the host's apt sources name no suite of {} (see /etc/apt/sources.list.d/)",
                    spec.codename);
    return sources;
  }
  std::vector<apt::Source> out;
  for (std::string uri : spec.mirrors) {
    if (uri == "apt") {  // the host's sources beside other repositories (e.g. a local file: one)
      DISTILL_TRY(auto host, apt::HostSources(spec.codename));
      out.insert(out.end(), host.begin(), host.end());
      continue;
    }
    while (uri.ends_with("/")) uri.pop_back();
    bool file = uri.starts_with("file:");
    if (allow_unsigned && !file)
      return Errorf("--allow-unsigned is only for file: repositories, not {}", uri);
    for (const std::string& suite : {spec.codename, spec.codename + "-updates"}) {
      if (file && suite != spec.codename) continue;
      apt::Source src;
      src.uri = uri;
      src.suite = suite;
      src.components = {"main"};
      src.allow_unsigned = file && allow_unsigned;
      out.push_back(src);
    }
  }
  return out;
}

Result<std::vector<PlannedArch>> Plan(const Spec& spec, const AptSettings& settings) {
  std::vector<PlannedArch> out;
  if (!settings.lock_path.empty() && !settings.update_lock &&
      std::filesystem::exists(settings.lock_path)) {
    DISTILL_TRY(auto lock, apt::ReadLock(settings.lock_path));
    for (const auto& arch : spec.archs) {
      auto p = FromLock(spec, lock, arch);
      if (!p.ok()) return std::move(p).error().wrap(settings.lock_path);
      out.push_back(std::move(*p));
    }
    return out;
  }
  DISTILL_TRY(auto sources, SourcesFor(spec, settings.allow_unsigned));
  for (const auto& arch : spec.archs) {
    auto p = Resolve(spec, sources, settings, arch);
    if (!p.ok()) return std::move(p).error().wrap(arch);
    out.push_back(std::move(*p));
  }
  return out;
}

std::string FormatPlan(const std::vector<PlannedArch>& plan) {
  std::string out;
  for (const auto& p : plan) {
    out += fmt::format("# {}: {} packages\n", p.arch, p.packages.size());
    for (const auto& r : p.packages)
      out += fmt::format("{} {} {}\t{}\n", r.pkg.ref.name, r.pkg.ref.version, r.pkg.ref.arch,
                         r.reason);
    if (!p.ca_name.empty()) out += fmt::format("{}\t(CA bundle only, not installed)\n", p.ca_name);
  }
  return out;
}

Result<std::vector<ArchDebs>> FetchPlanned(const std::vector<PlannedArch>& plan,
                                           const AptSettings& settings) {
  std::vector<apt::DebRef> all;
  for (const auto& p : plan) all.insert(all.end(), p.refs.begin(), p.refs.end());
  std::sort(all.begin(), all.end(), [](const apt::DebRef& a, const apt::DebRef& b) {
    return std::tie(a.name, a.arch, a.version) < std::tie(b.name, b.arch, b.version);
  });
  all.erase(std::unique(all.begin(), all.end()), all.end());
  apt::FetchOptions fo;
  fo.cache_dir = settings.cache_dir;
  fo.jobs = settings.jobs;
  fo.progress = settings.progress;
  DISTILL_TRY(auto fetched, apt::Fetch(all, fo));
  auto path_of = [&](const apt::DebRef& ref) {
    for (const auto& f : fetched)
      if (f.ref == ref) return f.path;
    return std::string();
  };
  std::vector<ArchDebs> out;
  for (const auto& p : plan) {
    ArchDebs a;
    a.arch = p.arch;
    for (const auto& r : p.refs) {
      if (r.name == p.ca_name)
        a.ca_deb = path_of(r);
      else
        a.debs.push_back(path_of(r));
    }
    out.push_back(std::move(a));
  }
  if (!settings.lock_path.empty() &&
      (settings.update_lock || !std::filesystem::exists(settings.lock_path)))
    DISTILL_TRY_VOID(apt::WriteLock(settings.lock_path, all));
  return out;
}

}  // namespace distill::imagebuild
