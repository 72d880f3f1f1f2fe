// distill build's pipeline after fetching: verified .deb files per architecture -> Assemble ->
// deterministic layers -> one image per architecture (an index when several) -> the outputs, then
// the SBOM of what was written (the same catalog `distill sbom` makes of it) beside each output
// and, in OCI layouts, as OCI 1.1 referrers of each image manifest (artifactType
// application/spdx+json and application/vnd.cyclonedx+json, empty config, subject = the image
// manifest).
#pragma once

#include <string>
#include <vector>

#include "image/writer.h"
#include "imagebuild/apk/build.h"
#include "imagebuild/spec.h"

namespace distill::imagebuild {

struct ArchDebs {
  std::string arch;               // "amd64", "arm64", ...
  std::vector<std::string> debs;  // verified .deb files to install
  std::string ca_deb;             // ca-certificates .deb for spec.ca_bundle when not installed
};

struct BuildOptions {
  std::vector<image::OutputTarget> outputs;
  std::vector<std::string> tags;  // added to spec.tags
  bool sbom = true;               // write OUTPUT.spdx.json and OUTPUT.cdx.json beside each output
  std::string spec_dir = ".";
  int threads = 0;
  std::string layer_cache;  // compressed layers by diff_id, reused by rebuilds ("" = none)
};

struct BuildResult {
  std::string digest;                     // the top digest (manifest, or index for several archs)
  std::vector<std::string> written;       // every file or directory written
  uint64_t package_bytes = 0;             // regular-file bytes kept from packages (first arch)
  uint64_t layer_bytes = 0;               // uncompressed layer tars (first arch)
  int64_t epoch = 0;                      // the image's created time (first arch)
  std::vector<nlohmann::json> referrers;  // index.json entries of the SBOM referrers (OCI outputs)
};

// "linux/amd64", "linux/arm64/v8", "linux/arm/v7" for a Debian architecture.
image::Platform PlatformOf(const std::string& debian_arch);

Result<BuildResult> BuildFromDebs(const Spec& spec, const std::vector<ArchDebs>& archs,
                                  const BuildOptions& opt);

// The same from APK packages (spec.apk set; apk/build.h installs them): one layer per
// architecture, as apko makes it, then the same outputs and SBOMs.
Result<BuildResult> BuildFromApks(const Spec& spec, const apk::FetchOptions& fetch,
                                  const BuildOptions& opt);

}  // namespace distill::imagebuild
