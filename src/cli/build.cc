// distill build [SPEC.yaml] [--preset NAME [--nonroot]] -o OUTPUT...: a distroless image from
// Debian packages (doc/build.md) or APK packages (an apko.yaml, or a spec with `contents:`:
// doc/build-apk.md), reproducible to the byte, with its SBOM written beside it.
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "image/engine/engine.h"
#include "image/registry/push.h"
#include "imagebuild/build.h"
#include "imagebuild/deb/deb.h"
#include "imagebuild/deb/fetch_debs.h"
#include "imagebuild/deb/presets.h"
#include "imagebuild/spec.h"
#include "util/blob_cache.h"
#include "util/log.h"

namespace distill::cli {

namespace {

struct BuildFlags {
  std::string spec_path;
  std::string preset;
  bool nonroot = false;
  std::vector<std::string> outputs, tags, debs, archs;
  bool no_sbom = false;
  bool plan = false;
  std::string push;
  imagebuild::AptSettings apt;
};

Result<imagebuild::Spec> SpecOf(const BuildFlags& flags) {
  if (!flags.preset.empty() && !flags.spec_path.empty())
    return Errorf("give a spec file or --preset, not both");
  if (!flags.preset.empty()) return imagebuild::PresetSpec(flags.preset, flags.nonroot);
  if (flags.spec_path.empty()) return Errorf("nothing to build: give a spec file or --preset NAME");
  if (flags.nonroot) return Errorf("--nonroot goes with --preset; a spec says accounts.run-as");
  return imagebuild::LoadSpec(flags.spec_path);
}

// --deb FILE...: install exactly these verified files (one architecture). ca-certificates, when the
// spec wants only its bundle, feeds the bundle and is not installed.
Result<std::vector<imagebuild::ArchDebs>> LocalDebs(const imagebuild::Spec& spec,
                                                    const std::vector<std::string>& paths) {
  imagebuild::ArchDebs a;
  bool ca_installed = std::find(spec.packages.begin(), spec.packages.end(), "ca-certificates") !=
                      spec.packages.end();
  for (const auto& p : paths) {
    DISTILL_TRY(imagebuild::Deb d, imagebuild::ReadDebControl(p));
    if (d.name == "ca-certificates" && spec.ca_bundle && !ca_installed) {
      a.ca_deb = p;
      continue;
    }
    if (d.arch != "all") {
      if (!a.arch.empty() && a.arch != d.arch)
        return Errorf("{}: architecture {} but other packages are {}", p, d.arch, a.arch);
      a.arch = d.arch;
    }
    a.debs.push_back(p);
  }
  if (a.arch.empty()) a.arch = spec.archs.empty() ? "amd64" : spec.archs[0];
  return std::vector<imagebuild::ArchDebs>{a};
}

int Run(const BuildFlags& flags, const Globals& globals) {
  auto spec = SpecOf(flags);
  if (!spec.ok()) return ReportError(spec.error());
  if (!flags.archs.empty()) spec->archs = flags.archs;
  if (spec->apk) {
    // --arch takes apko's names too ("x86_64", "aarch64").
    for (auto& a : spec->archs) {
      auto oci = imagebuild::apk::OciArch(a);
      if (!oci.ok()) return ReportError(oci.error());
      a = *oci;
    }
    if (!flags.debs.empty())
      return ReportError(
          Errorf("{}: --deb installs Debian packages; this spec's packages are APKs "
                 "(contents:)",
                 spec->file));
  }
  if (flags.outputs.empty() && !flags.plan && flags.push.empty())
    return ReportError(
        Errorf("no output: give -o oci-dir:DIR, oci-archive:FILE, docker-archive:FILE, docker:NAME "
               "or podman:NAME, or --push"));
  imagebuild::BuildOptions opt;
  for (const auto& o : flags.outputs) {
    auto t = image::ParseOutputTarget(o);
    if (!t.ok()) return ReportError(t.error());
    // An engine to load into must answer before anything is built or written.
    if (t->scheme == "docker" || t->scheme == "podman")
      if (auto ep = image::engine::Connect(t->scheme, t->path); !ep.ok())
        return ReportError(ep.error());
    opt.outputs.push_back(*t);
  }
  opt.tags = flags.tags;
  opt.sbom = !flags.no_sbom;
  if (!flags.spec_path.empty())
    opt.spec_dir = std::filesystem::path(flags.spec_path).parent_path().string();
  if (opt.spec_dir.empty()) opt.spec_dir = ".";
  Result<std::vector<imagebuild::ArchDebs>> archs = std::vector<imagebuild::ArchDebs>{};
  imagebuild::apk::FetchOptions apk_fetch;
  if (spec->apk) {
    apk_fetch.cache_dir =
        (flags.apt.cache_dir.empty() ? BlobCache::Default().root() : flags.apt.cache_dir);
    apk_fetch.offline = flags.apt.offline;
    apk_fetch.lock_path = flags.apt.lock_path;
    apk_fetch.update_lock = flags.apt.update_lock;
    opt.layer_cache = apk_fetch.cache_dir + "/layers";
    if (flags.plan) {
      auto plan = imagebuild::apk::Plan(*spec, apk_fetch);
      if (!plan.ok()) return ReportError(plan.error());
      fmt::print("{}", *plan);
      return kExitOk;
    }
  } else if (!flags.debs.empty()) {
    archs = LocalDebs(*spec, flags.debs);
  } else {
    imagebuild::AptSettings apt = flags.apt;
    apt.progress = !globals.quiet;
    auto plan = imagebuild::Plan(*spec, apt);
    if (!plan.ok()) return ReportError(plan.error());
    if (flags.plan) {
      fmt::print("{}", imagebuild::FormatPlan(*plan));
      return kExitOk;
    }
    archs = imagebuild::FetchPlanned(*plan, apt);
    // Beside the download cache: the compressed layers, so a rebuild compresses only what changed.
    opt.layer_cache =
        (apt.cache_dir.empty() ? BlobCache::Default().root() : apt.cache_dir) + "/layers";
  }
  if (!archs.ok()) return ReportError(archs.error());
  // --push goes through an OCI layout: the first oci-dir output, else a temporary one.
  std::string push_dir, tmp_dir;
  if (!flags.push.empty()) {
    for (const auto& o : opt.outputs)
      if (o.scheme == "oci-dir" && push_dir.empty()) push_dir = o.path;
    if (push_dir.empty()) {
      const char* t = std::getenv("TMPDIR");
      std::string pattern = std::string(t && *t ? t : "/tmp") + "/distill-push-XXXXXX";
      if (!::mkdtemp(pattern.data()))
        return ReportError(Errorf("{}: cannot create a temporary directory", pattern));
      tmp_dir = pattern;
      push_dir = tmp_dir + "/layout";
      opt.outputs.push_back({"oci-dir", push_dir});
    }
  }
  auto res = spec->apk ? imagebuild::BuildFromApks(*spec, apk_fetch, opt)
                       : imagebuild::BuildFromDebs(*spec, *archs, opt);
  if (res.ok() && !flags.push.empty()) {
    image::registry::PushOptions po;
    po.registry = RegistryOptions(globals);
    std::vector<std::string> tags = spec->tags;
    tags.insert(tags.end(), flags.tags.begin(), flags.tags.end());
    auto pushed =
        image::registry::PushOciLayout(push_dir, tags.empty() ? "" : tags[0], flags.push, po);
    if (!pushed.ok())
      res = std::move(pushed).error().wrap("push to " + flags.push);
    else if (!globals.quiet)
      fmt::print(stderr, "pushed {}\n", flags.push);
  }
  if (!tmp_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(tmp_dir, ec);
    if (res.ok())
      std::erase_if(res->written,
                    [&](const std::string& word) { return word.starts_with(tmp_dir); });
  }
  if (!res.ok()) return ReportError(res.error());
  for (const auto& w : res->written)
    if (!globals.quiet) fmt::print(stderr, "wrote {}\n", w);
  fmt::print("{}\n", res->digest);
  return kExitOk;
}

}  // namespace

RunFn SetupBuild(CLI::App& sub, const Globals& globals) {
  auto f = std::make_shared<BuildFlags>();
  sub.add_option("spec", f->spec_path, "Build spec (YAML; see doc/build.md)");
  std::string presets;
  for (const auto& n : imagebuild::PresetNames()) presets += (presets.empty() ? "" : "|") + n;
  sub.add_option("--preset", f->preset, "Build a Google-distroless-equal image: " + presets);
  sub.add_flag("--nonroot", f->nonroot, "With --preset: run as nonroot (65532) in /home/nonroot");
  sub.add_option("-o,--output", f->outputs,
                 "oci-dir:DIR, oci-archive:FILE, docker-archive:FILE, or docker:NAME / podman:NAME "
                 "to load the image "
                 "into the engine (repeatable)");
  sub.add_flag("--plan", f->plan,
               "Print the resolved packages and why each is in (no download, no image)");
  sub.add_option("--lock", f->apt.lock_path,
                 "Lock file: used when it exists, written after resolving otherwise");
  sub.add_flag("--update-lock", f->apt.update_lock, "Resolve again and rewrite the lock file");
  sub.add_flag("--offline", f->apt.offline,
               "Use only cached, previously verified indexes and packages");
  sub.add_flag("--allow-unsigned", f->apt.allow_unsigned, "Accept an unsigned file: repository");
  sub.add_option("--cache", f->apt.cache_dir,
                 "Download cache (default $DISTILL_CACHE, ~/.cache/distill)");
  sub.add_option("--tag", f->tags, "Tag (OCI ref name / docker RepoTag), repeatable");
  sub.add_option("--deb", f->debs,
                 "Install these local, verified .deb files instead of fetching (repeatable)");
  sub.add_option("--arch", f->archs, "Debian architectures to build (overrides the spec's archs)");
  sub.add_option("--push", f->push,
                 "Also push the image (and its SBOM referrers) to HOST[:PORT]/REPO[:TAG]");
  sub.add_flag("--no-sbom", f->no_sbom, "Do not write OUTPUT.spdx.json and OUTPUT.cdx.json");
  return [f, &globals] { return Run(*f, globals); };
}

}  // namespace distill::cli
