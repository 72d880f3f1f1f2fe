// From a spec to verified .deb files per architecture, through the apt client (build/apt): the
// sources (the host's, or the spec's mirrors), the signed indexes, the resolver, the lock file and
// the content-addressed download cache. With a lock file nothing is resolved and, once the cache
// holds the files, nothing is downloaded: rebuilds are offline.
#pragma once

#include <string>
#include <vector>

#include "imagebuild/build.h"
#include "imagebuild/deb/apt/apt.h"
#include "imagebuild/spec.h"

namespace distill::imagebuild {

struct AptSettings {
  std::string cache_dir;  // "" = BlobCache::Default()
  std::string lock_path;  // read when it exists (unless update_lock), written after resolving
  bool update_lock = false;
  bool offline = false;
  bool allow_unsigned = false;  // file: repositories only
  bool progress = true;
  int jobs = 4;
};

struct PlannedArch {
  std::string arch;
  std::vector<apt::Resolved> packages;  // what will be installed, with why
  std::vector<apt::DebRef> refs;        // packages + the bundle-only ca-certificates
  std::string ca_name;                  // "ca-certificates" when it only feeds the bundle
};

// The spec's sources: the host's apt sources for the codename, or spec.mirrors (each with suites
// CODENAME, CODENAME-updates; file: repositories may be unsigned with allow_unsigned).
Result<std::vector<apt::Source>> SourcesFor(const Spec& spec, bool allow_unsigned);

// Resolves (or reads the lock) for every architecture of the spec.
Result<std::vector<PlannedArch>> Plan(const Spec& spec, const AptSettings& settings);

// "name version arch  reason" lines, one per package, per architecture.
std::string FormatPlan(const std::vector<PlannedArch>& plan);

// Downloads what the cache lacks and returns the verified files; writes the lock when asked.
Result<std::vector<ArchDebs>> FetchPlanned(const std::vector<PlannedArch>& plan,
                                           const AptSettings& settings);

}  // namespace distill::imagebuild
