#include "imagebuild/build.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>

#include "catalog/catalog.h"
#include "image/image.h"
#include "image/writer_tar.h"
#include "imagebuild/apk/build.h"
#include "imagebuild/assemble.h"
#include "imagebuild/deb/deb.h"
#include "sbom/formats.h"
#include "util/log.h"
#include "util/parallel.h"
#include "version.h"

namespace distill::imagebuild {

namespace {

// Reads the .deb files in parallel, biggest first (libc6's data.tar.xz alone is a large share of
// the unpacking: started last it would leave the other cores idle at the end); the first error (in
// input order) wins.
Result<std::vector<Deb>> ReadDebs(const std::vector<std::string>& paths, int threads) {
  std::vector<std::pair<uintmax_t, size_t>> by_size;
  for (size_t i = 0; i < paths.size(); ++i) {
    std::error_code ec;
    uintmax_t size = std::filesystem::file_size(paths[i], ec);
    by_size.push_back({ec ? 0 : size, i});
  }
  std::sort(by_size.begin(), by_size.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<size_t> order;
  for (const auto& [size, i] : by_size) order.push_back(i);
  auto got = ParallelMap(order, threads, [&](size_t i) { return ReadDeb(paths[i]); });
  std::vector<Deb> out;
  for (auto& r : got) {
    if (!r.ok()) return std::move(r).error();
    out.push_back(std::move(*r));
  }
  return out;
}

// One architecture's image from its layers' items and config (either builder's).
Result<image::BuiltImage> ImageOf(const Spec& spec, const image::Platform& platform,
                                  Assembled asm_out, int64_t epoch, const BuildOptions& opt,
                                  BuildResult* res, bool first) {
  image::ImageInput img;
  img.platform = platform;
  img.config = asm_out.config;
  img.created = epoch;
  img.annotations = spec.annotations;
  img.layer_cache = opt.layer_cache;
  for (auto& l : asm_out.layers) {
    DISTILL_TRY(std::string tar, image::WriteTar(std::move(l.items), epoch));
    if (first) res->layer_bytes += tar.size();
    img.layers.push_back({std::move(tar), l.created_by});
  }
  if (first) res->package_bytes = asm_out.package_bytes;
  if (first) res->epoch = epoch;
  return image::BuildImage(std::move(img), opt.threads);
}

Result<image::BuiltImage> BuildArch(const Spec& spec, const ArchDebs& arch_debs,
                                    const BuildOptions& opt, BuildResult* res, bool first) {
  DISTILL_TRY(auto debs, ReadDebs(arch_debs.debs, opt.threads));
  for (const auto& d : debs)
    if (d.arch != arch_debs.arch && d.arch != "all")
      return Errorf("{} is for architecture {}, the image is {}", d.name, d.arch, arch_debs.arch);
  std::optional<Deb> ca;
  if (!arch_debs.ca_deb.empty()) {
    DISTILL_TRY(ca, ReadDeb(arch_debs.ca_deb));
  }
  DISTILL_TRY(int64_t epoch, BuildEpoch(debs));
  AssembleInput in;
  in.spec = &spec;
  in.arch = arch_debs.arch;
  in.debs = std::move(debs);
  in.ca_source = ca ? &*ca : nullptr;
  in.spec_dir = opt.spec_dir;
  DISTILL_TRY(Assembled asm_out, Assemble(in));
  return ImageOf(spec, PlatformOf(arch_debs.arch), std::move(asm_out), epoch, opt, res, first);
}

std::string SbomPath(const image::OutputTarget& out, const std::string& arch, bool multi,
                     std::string_view ext) {
  std::string base = out.path;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string name = arch;
  std::replace(name.begin(), name.end(), '/', '-');  // "arm/v7" (an APK build's OCI name)
  return multi ? fmt::format("{}.{}.{}", base, name, ext) : fmt::format("{}.{}", base, ext);
}

// Catalogs the written image exactly as `distill sbom` would.
Result<sbom::Sbom> SbomOf(const image::OutputTarget& out, const image::Platform& platform) {
  std::string source = out.scheme + ":" + out.path;
  image::LoadOptions lo;
  lo.platform = platform;
  lo.plan.globs = catalog::CatalogGlobs();
  lo.verify_diff_ids =
      true;  // the read is also the writer's check: each tar must hash to its diff_id
  DISTILL_TRY(auto img, image::LoadImage(source, lo));
  DISTILL_TRY(auto cat, catalog::CatalogOs(img.files));
  DISTILL_TRY(int64_t created, sbom::CreatedFromEnvironment());
  sbom::Sbom doc;
  doc.source.name = source;
  doc.source.type = img.meta.scheme;
  doc.source.manifest_digest = img.meta.manifest_digest;
  doc.source.config_digest = img.meta.config_digest;
  doc.source.repo_tags = img.meta.tags;
  doc.source.platform = platform.ToString();
  doc.catalog = std::move(cat);
  doc.created = created;
  doc.tool_version = DISTILL_VERSION;
  return doc;
}

constexpr const char* kSpdx = "spdx-json@2.3";
constexpr const char* kCdx = "cyclonedx-json@1.6";

// SPDX 2.3 + CycloneDX 1.6 beside the output.
Status WriteSbomFiles(const sbom::Sbom& doc, const image::OutputTarget& out,
                      const std::string& arch, bool multi, BuildResult* res) {
  std::string spdx = SbomPath(out, arch, multi, "spdx.json"),
              cdx = SbomPath(out, arch, multi, "cdx.json");
  DISTILL_TRY(auto specs, sbom::ParseOutputSpecs(
                              {std::string(kSpdx) + "=" + spdx, std::string(kCdx) + "=" + cdx}));
  std::ostringstream unused;
  DISTILL_TRY_VOID(sbom::WriteOutputs(doc, specs, unused));
  res->written.push_back(spdx);
  res->written.push_back(cdx);
  return {};
}

// The same SBOMs stored in the layout as OCI 1.1 referrers of the image manifest. Their bytes must
// not depend on where the output was written (same image, same referrers), so the document names
// the image by its first tag, else its manifest digest.
Status AttachSbom(sbom::Sbom doc, const image::BuiltImage& img,
                  const std::vector<std::string>& tags, int64_t epoch, image::ImageSet* set) {
  doc.source.name = tags.empty() ? img.manifest.digest : tags[0];
  doc.source.type = "image";
  doc.source.repo_tags = tags;
  doc.source.manifest_digest = img.manifest.digest;  // whatever kind of output it was read from
  doc.source.config_digest = img.config.digest;
  struct Kind {
    const char* spec;
    const char* artifact_type;
    const char* title;
  };
  for (const Kind& k : {Kind{kSpdx, "application/spdx+json", "sbom.spdx.json"},
                        Kind{kCdx, "application/vnd.cyclonedx+json", "sbom.cdx.json"}}) {
    DISTILL_TRY(auto spec, sbom::ParseOutputSpec(k.spec));
    DISTILL_TRY(std::string bytes, sbom::EncodeToString(doc, spec));
    image::Artifact a;
    a.artifact_type = k.artifact_type;
    a.bytes = std::move(bytes);
    a.title = k.title;
    a.annotations["org.opencontainers.image.created"] = image::Rfc3339(epoch);
    image::AddReferrer(set, img.manifest, a);
  }
  return {};
}

// Writes the images to every output, with their SBOMs beside them and, in OCI layouts, attached as
// referrers.
Result<BuildResult> WriteBuild(const Spec& spec, const std::vector<std::string>& archs,
                               image::ImageSet set, const BuildOptions& opt, BuildResult res) {
  set.tags = spec.tags;
  set.tags.insert(set.tags.end(), opt.tags.begin(), opt.tags.end());
  // The SBOM of the first output (read back as `distill sbom` reads it) becomes the referrers; that
  // output is then brought up to date, the others are written with them at once.
  bool attached = !opt.sbom;
  for (const auto& out : opt.outputs) {
    DISTILL_TRY(res.digest, image::WriteImageSet(set, out));
    // An image loaded into docker or podman has no place beside it for SBOM files, nor for
    // referrers.
    if (out.scheme == "docker" || out.scheme == "podman") {
      res.written.push_back(out.scheme + ":" + out.path);
      continue;
    }
    res.written.push_back(out.path);
    if (!opt.sbom) continue;
    std::vector<sbom::Sbom> docs;
    for (size_t i = 0; i < archs.size(); ++i) {
      auto doc = SbomOf(out, set.images[i].platform);
      if (!doc.ok()) return std::move(doc).error().wrap("sbom of " + out.path);
      auto st = WriteSbomFiles(*doc, out, archs[i], archs.size() > 1, &res);
      if (!st.ok()) return std::move(st).error().wrap("sbom of " + out.path);
      docs.push_back(std::move(*doc));
    }
    if (attached) continue;
    for (size_t i = 0; i < archs.size(); ++i)
      DISTILL_TRY_VOID(AttachSbom(std::move(docs[i]), set.images[i], set.tags, res.epoch, &set));
    DISTILL_TRY_VOID(image::UpdateOutput(set, out));
    attached = true;
  }
  res.referrers = set.extra_index_entries;
  return res;
}

Status CheckOutputs(const BuildOptions& opt) {
  if (opt.outputs.empty())
    return Errorf(
        "no output given (-o oci-dir:DIR, oci-archive:FILE, docker-archive:FILE, docker:NAME or "
        "podman:NAME)");
  return {};
}

}  // namespace

image::Platform PlatformOf(const std::string& debian_arch) {
  if (debian_arch == "arm64") return {"linux", "arm64", "v8"};
  if (debian_arch == "armhf") return {"linux", "arm", "v7"};
  if (debian_arch == "armel") return {"linux", "arm", "v5"};
  if (debian_arch == "i386") return {"linux", "386", ""};
  return {"linux", debian_arch, ""};  // amd64, s390x, ppc64le, riscv64, mips64le
}

Result<BuildResult> BuildFromDebs(const Spec& spec, const std::vector<ArchDebs>& archs,
                                  const BuildOptions& opt) {
  if (archs.empty()) return Errorf("nothing to build: no architecture");
  DISTILL_TRY_VOID(CheckOutputs(opt));
  BuildResult res;
  image::ImageSet set;
  std::vector<std::string> names;
  for (size_t i = 0; i < archs.size(); ++i) {
    auto img = BuildArch(spec, archs[i], opt, &res, i == 0);
    if (!img.ok()) return std::move(img).error().wrap(archs[i].arch);
    set.images.push_back(std::move(*img));
    names.push_back(archs[i].arch);
  }
  return WriteBuild(spec, names, std::move(set), opt, std::move(res));
}

Result<BuildResult> BuildFromApks(const Spec& spec, const apk::FetchOptions& fetch,
                                  const BuildOptions& opt) {
  DISTILL_TRY_VOID(CheckOutputs(opt));
  DISTILL_TRY(auto rootfs, apk::Install(spec, fetch));
  BuildResult res;
  image::ImageSet set;
  std::vector<std::string> names;
  for (size_t i = 0; i < rootfs.size(); ++i) {
    apk::ArchRootfs& r = rootfs[i];
    // apko's one layer; OCI platform names as apko writes them ("arm64", no variant).
    Assembled layers;
    layers.layers.push_back({"distill build: APK packages, accounts, paths", std::move(r.items)});
    layers.config = std::move(r.config);
    layers.package_bytes = r.package_bytes;
    image::Platform platform{"linux", r.arch, ""};
    if (auto slash = r.arch.find('/'); slash != std::string::npos)
      platform = {"linux", r.arch.substr(0, slash), r.arch.substr(slash + 1)};
    auto img = ImageOf(spec, platform, std::move(layers), r.epoch, opt, &res, i == 0);
    if (!img.ok()) return std::move(img).error().wrap(r.arch);
    set.images.push_back(std::move(*img));
    names.push_back(r.arch);
  }
  return WriteBuild(spec, names, std::move(set), opt, std::move(res));
}

}  // namespace distill::imagebuild
