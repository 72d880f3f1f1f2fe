// Resolves a world (etc/apk/world constraints) against APK repositories into the packages to
// install, in install order (dependencies first), as apko does for an image built from nothing.
//
// What it honours: versions and operators (world.h), provides (own name, versioned provides,
// unversioned "virtual" provides such as so:, cmd:, pc: and /bin/sh), provider_priority,
// install_if, conflicts (!name), repository tags (a repository tagged @t is used only for
// name@t and what name@t pulls in), the target arch, and apk's identity rule (two index entries
// with the same C: identity are one package, listed by both repositories).
//
// How: a depth-first search with backtracking. Requirements on names that some package carries
// as its own name are resolved first, then virtual names, and last the virtual names that only
// unversioned providers without provider_priority offer: those are never chosen by the solver
// (apk-tools: "please select one of the 'provided by' packages explicitly"), only satisfied by a
// package selected otherwise. When several packages satisfy a requirement they are tried in
// apko's order (apko pkg/apk/apk/repo.go comparePackages), which differs from apk-tools at the end:
//   1. a package from the preferred repositories: the requirement's tag for name@tag, else the
//      untagged ones;
//   2. one whose origin is already selected at the same version (apko);
//   3. the highest version of the requested name (a versioned provide's version; an unversioned
//      provide ties);
//   4. between packages of the same name, the highest version;
//   5. the highest provider_priority;
//   6. the highest package version (apk-tools instead prefers the lowest repository here);
//   7. the name, then the first repository.
// install_if packages are added after the rest is resolved, each once all its conditions hold,
// and kept only when the world still resolves with them (apk-tools does the same inside its
// solver). When nothing resolves, the error names the chain of requirements that failed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imagebuild/apk/index.h"
#include "imagebuild/apk/world.h"
#include "util/result.h"

namespace distill::imagebuild::apk {

struct Repository {
  std::string name;  // URL or path, for messages
  std::string tag;   // "" for a main repository; "testing" for "@testing URL"
  std::vector<IndexEntry> packages;
};

struct ResolveOptions {
  // Packages whose A: is neither this nor "noarch" are not installable; "" accepts any.
  std::string arch;
  // The search gives up (with an error) after this many steps; a real world takes hundreds.
  uint64_t max_steps = 200000;
};

struct ResolvedPackage {
  const IndexEntry* entry = nullptr;  // into the repositories given to Resolve: keep them alive
  int repository = 0;                 // the first repository listing it
  std::string tag;  // "" or the tag it is installed through (apk shows "name@tag")
};

struct Resolution {
  std::vector<ResolvedPackage> packages;  // install order: dependencies first
};

// Errors: "world constraint 'a@foo': no repository is tagged @foo"; "cannot resolve the world:
// world requires a, a-1.0-r0 requires b>=2, but the repositories have b-1.0-r0 only".
Result<Resolution> Resolve(const std::vector<Dependency>& world,
                           const std::vector<Repository>& repositories,
                           const ResolveOptions& options = {});

}  // namespace distill::imagebuild::apk
