#include "vuln/db/ecosystem.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "util/text.h"

namespace distill::vuln {

namespace {

// OSV ecosystem names (https://ossf.github.io/osv-schema/#affectedpackage-field) and purl
// types → our key. Both spellings are accepted; the key is the purl type.
constexpr std::pair<std::string_view, std::string_view> kEcosystems[] = {
    {"pypi", "pypi"},
    {"npm", "npm"},
    {"go", "golang"},
    {"golang", "golang"},
    {"maven", "maven"},
    {"crates.io", "cargo"},
    {"cargo", "cargo"},
    {"rubygems", "gem"},
    {"gem", "gem"},
    {"nuget", "nuget"},
    {"packagist", "composer"},
    {"composer", "composer"},
    {"hex", "hex"},
    {"pub", "pub"},
    {"swifturl", "swift"},
    {"hackage", "hackage"},
    {"cran", "cran"},
    {"red hat", "redhat"},
    {"rhel", "redhat"},
    {"centos", "redhat"},
    {"rocky linux", "rocky"},
    {"opensuse", "opensuse"},
    {"suse", "suse"},
};

// Debian releases (https://www.debian.org/releases/), for the tracker's codenames.
constexpr std::pair<std::string_view, std::string_view> kDebianReleases[] = {
    {"potato", "2.2"}, {"woody", "3.0"}, {"sarge", "3.1"},   {"etch", "4"},
    {"lenny", "5"},    {"squeeze", "6"}, {"wheezy", "7"},    {"jessie", "8"},
    {"stretch", "9"},  {"buster", "10"}, {"bullseye", "11"}, {"bookworm", "12"},
    {"trixie", "13"},  {"forky", "14"},  {"duke", "15"},     {"sid", "sid"},
};

// "3.18.4" → "3.18": Alpine publishes secdb per major.minor branch.
std::string MajorMinor(std::string_view version) {
  size_t dot = version.find('.');
  if (dot == std::string_view::npos) return std::string(version);
  size_t dot2 = version.find('.', dot + 1);
  return std::string(version.substr(0, dot2));
}

std::string NormalizeRelease(std::string_view distro, std::string release) {
  if (distro == "alpine") {
    if (!release.empty() && release[0] == 'v') release.erase(0, 1);
    return MajorMinor(release);
  }
  if (distro == "ubuntu") {
    if (release.size() > 4 && release.ends_with(":lts")) release.resize(release.size() - 4);
    return release;
  }
  if (distro == "debian") {
    if (auto n = DebianReleaseNumber(release); !n.empty()) return std::string(n);
    if (size_t dot = release.find('.');
        dot != std::string::npos && release[0] != '2' && release[0] != '3')
      release.resize(dot);  // "12.5" → "12" (point releases share one security suite)
    return release;
  }
  if (distro == "redhat" && release.find(':') != std::string::npos) {
    // OSV's "Red Hat:<CPE without cpe:/o:redhat:>": "enterprise_linux:9::appstream" and
    // "enterprise_linux:9::baseos" are RHEL 9's streams, one key "redhat:9" (what a RHEL or
    // CentOS image's os-release maps to). Other products (rhel_eus:8.6::baseos, openshift...)
    // keep their full CPE and are never matched against a plain RHEL image.
    constexpr std::string_view kRhel = "enterprise_linux:";
    if (release.starts_with(kRhel)) {
      std::string v = release.substr(kRhel.size());
      v.resize(std::min({v.find(':'), v.find('.'), v.size()}));  // "9::appstream", "8.2::baseos"
      if (!v.empty() && std::isdigit(static_cast<unsigned char>(v[0]))) return v;
    }
    return release;
  }
  if (distro == "almalinux" || distro == "rocky" || distro == "redhat") {
    if (size_t dot = release.find('.'); dot != std::string::npos) release.resize(dot);
    return release;
  }
  return release;
}

}  // namespace

std::string_view DebianReleaseNumber(std::string_view codename) {
  for (const auto& [name, number] : kDebianReleases)
    if (name == codename) return number;
  return {};
}

std::string NormalizeEcosystem(std::string_view ecosystem) {
  std::string lower = AsciiLower(ecosystem);
  size_t colon = lower.find(':');
  std::string head = lower.substr(0, colon);
  for (const auto& [name, key] : kEcosystems)
    if (name == head) {
      head = key;
      break;
    }
  if (colon == std::string::npos) return head;
  std::string release = NormalizeRelease(head, lower.substr(colon + 1));
  return release.empty() ? head : head + ":" + release;
}

std::string NormalizePackageName(std::string_view ecosystem, std::string_view name) {
  if (ecosystem == "pypi") {
    // PEP 503: lowercase, and every run of '-', '_', '.' becomes one '-'.
    std::string out;
    bool in_run = false;
    for (char c : name) {
      if (c == '-' || c == '_' || c == '.') {
        if (!in_run) out += '-';
        in_run = true;
      } else {
        out += AsciiLower(c);
        in_run = false;
      }
    }
    return out;
  }
  if (ecosystem == "nuget" || ecosystem == "composer") return AsciiLower(name);
  return std::string(name);
}

}  // namespace distill::vuln
