// Exact version order, one module per ecosystem, behind one visible table (kSchemes in
// version.cc). The matcher calls Compare(Ecosystem, a, b): negative / 0 / positive, or an error
// naming the version that is not valid in that ecosystem.
//
//   ecosystem   module        semantics of                       checked against (Real* tests)
//   dpkg        dpkg.h        Debian Policy 5.6.12 / libdpkg      dpkg --compare-versions
//   apk         apk.h         apk-tools src/version.c (v3, with   upstream vectors, a real index
//                             2.x's digits after the letter)
//   rpm         rpm.h         rpmvercmp + EVR (librpm rpmver.c)   python3-rpm ver/labelCompare
//   pypi        pep440.h      PEP 440 / pypa packaging Version    python3-packaging
//   npm         semver.h      node-semver SemVer (+ npm_range.h)  node's semver package
//   semver      semver.h      SemVer 2.0.0 strictly               (node-semver vectors)
//   go          semver.h      golang.org/x/mod/semver (v-prefix)  x/mod/semver from golang-go
//   maven       maven.h       ComparableVersion (Maven 3.8.7)     maven-artifact 3.8.7 jar
//   rubygems    rubygems.h    Gem::Version                        ruby (RubyGems 3.3)
//   nuget       nuget.h       NuGet.Versioning NuGetVersion       documented cases only
//   crates.io   semver.h      Rust semver crate (SemVer 2.0.0)    semver crate (librust-semver-dev)
//
// Speed: dpkg, apk, rpm, PEP 440, SemVer/npm/Go/crates and NuGet parse and compare without
// allocating (string_views into the inputs); RubyGems allocates a small vector, Maven an item
// tree, so they are slower (doc/vuln-db.md, "Performance"). Callers comparing one version
// against many can keep parsed forms (dpkg::Parse, pep440::Parse, semver::Parse, nuget::Parse).
#pragma once

#include <span>
#include <string_view>

#include "util/result.h"

namespace distill::vuln::version {

enum class Ecosystem {
  kDpkg,
  kApk,
  kRpm,
  kPep440,
  kNpm,
  kSemver,
  kGo,
  kMaven,
  kRubyGems,
  kNuGet,
  kCrates
};

struct Scheme {
  Ecosystem ecosystem;
  std::string_view name;  // distill's name, also accepted by EcosystemByName
  std::string_view osv;   // the OSV ecosystem name(s) that map here, '|'-separated
  Status (*validate)(std::string_view v);
  Result<int> (*compare)(std::string_view a, std::string_view b);
};

// The registry, in the order of the Ecosystem enum.
std::span<const Scheme> Schemes();
const Scheme& SchemeOf(Ecosystem e);

// "dpkg", "Debian", "Debian:12", "Ubuntu:22.04", "Alpine:v3.19", "PyPI", "crates.io", ... →
// ecosystem; unknown names are an error naming them.
Result<Ecosystem> EcosystemByName(std::string_view name);

Status Validate(Ecosystem e, std::string_view version);
Result<int> Compare(Ecosystem e, std::string_view a, std::string_view b);

}  // namespace distill::vuln::version
