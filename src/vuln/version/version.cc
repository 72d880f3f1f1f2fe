#include "vuln/version/version.h"

#include <array>

#include "vuln/version/apk.h"
#include "vuln/version/dpkg.h"
#include "vuln/version/maven.h"
#include "vuln/version/nuget.h"
#include "vuln/version/pep440.h"
#include "vuln/version/rpm.h"
#include "vuln/version/rubygems.h"
#include "vuln/version/semver.h"

namespace distill::vuln::version {
namespace {

// The registry: one row per ecosystem, in enum order.
constexpr std::array<Scheme, 11> kSchemes = {{
    {Ecosystem::kDpkg, "dpkg", "Debian|Ubuntu", &dpkg::Validate, &dpkg::Compare},
    {Ecosystem::kApk, "apk", "Alpine|Wolfi|Chainguard|Alpaquita|BellSoft Hardened Containers",
     &apk::Validate, &apk::CompareValid},
    {Ecosystem::kRpm, "rpm",
     "AlmaLinux|Rocky Linux|Red Hat|openSUSE|SUSE|Mageia|openEuler|Azure Linux", &rpm::Validate,
     &rpm::Compare},
    {Ecosystem::kPep440, "pypi", "PyPI", &pep440::Validate, &pep440::Compare},
    {Ecosystem::kNpm, "npm", "npm", &semver::ValidateNode, &semver::CompareNode},
    {Ecosystem::kSemver, "semver", "", &semver::ValidateStrict, &semver::CompareStrict},
    {Ecosystem::kGo, "go", "Go", &semver::ValidateGo, &semver::CompareGo},
    {Ecosystem::kMaven, "maven", "Maven", &maven::Validate, &maven::Compare},
    {Ecosystem::kRubyGems, "rubygems", "RubyGems", &rubygems::Validate, &rubygems::Compare},
    {Ecosystem::kNuGet, "nuget", "NuGet", &nuget::Validate, &nuget::Compare},
    {Ecosystem::kCrates, "crates.io", "crates.io", &semver::ValidateCargo, &semver::CompareCargo},
}};

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool InList(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    size_t bar = list.find('|');
    if (list.substr(0, bar) == name) return true;
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return false;
}

}  // namespace

std::span<const Scheme> Schemes() { return kSchemes; }

const Scheme& SchemeOf(Ecosystem e) { return kSchemes[static_cast<size_t>(e)]; }

Result<Ecosystem> EcosystemByName(std::string_view name) {
  for (const Scheme& s : kSchemes) {
    if (EqualFold(s.name, name)) return s.ecosystem;
  }
  // OSV names, optionally with a release: "Debian:12", "Alpine:v3.19", "Red
  // Hat:enterprise_linux:9".
  std::string_view base = name.substr(0, name.find(':'));
  for (const Scheme& s : kSchemes) {
    if (InList(s.osv, base)) return s.ecosystem;
  }
  return Errorf("unknown version ecosystem \"{}\"", name);
}

Status Validate(Ecosystem e, std::string_view version) { return SchemeOf(e).validate(version); }

Result<int> Compare(Ecosystem e, std::string_view a, std::string_view b) {
  auto r = SchemeOf(e).compare(a, b);
  if (!r.ok()) return r;
  return (*r > 0) - (*r < 0);
}

}  // namespace distill::vuln::version
