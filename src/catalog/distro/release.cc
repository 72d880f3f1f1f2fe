#include "catalog/distro/release.h"

#include <cctype>
#include <charconv>
#include <regex>
#include <tuple>

#include "util/text.h"

namespace distill::catalog::distro {
namespace {

bool IsDottedNumber(std::string_view text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front())) || text.back() == '.')
    return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  return true;
}

// The os-release ID each distribution would write, from the name its *-release file prints.
std::string IdFromReleaseName(std::string_view name) {
  std::string n = AsciiLower(name);
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"red hat enterprise linux", "rhel"},
      {"centos", "centos"},
      {"rocky linux", "rocky"},
      {"almalinux", "almalinux"},
      {"scientific linux", "scientific"},
      {"fedora", "fedora"},
      {"oracle linux", "ol"},
      {"amazon linux", "amzn"},
  };
  for (const auto& [prefix, id] : kNames)
    if (n.starts_with(prefix)) return std::string(id);
  size_t sp = n.find(' ');
  return sp == std::string::npos ? n : n.substr(0, sp);
}

std::optional<std::string> Read(const image::FileIndex& files, std::string_view path) {
  if (!files.Find(path)) return std::nullopt;
  auto r = files.Contents(path);
  if (!r.ok()) return std::nullopt;
  return std::move(r).value();
}

// Debian's os-release carries only the major release; etc/debian_version has the point release
// ("12.12"), and is the only release source in Google distroless images.
void SupplementDebianVersion(const image::FileIndex& files, Distro* distro) {
  if (distro->id != "debian") return;
  auto text = Read(files, "etc/debian_version");
  if (!text) return;
  std::string v(Trim(*text));
  if (!IsDottedNumber(v)) return;  // "trixie/sid" on testing: nothing to add
  if (distro->version_id.empty()) {
    distro->version_id = v;
    if (distro->version.empty()) distro->version = v;
  } else if (v == distro->version_id || v.starts_with(distro->version_id + ".")) {
    distro->version_id = v;
  }
}

constexpr std::string_view kApkRepositories = "etc/apk/repositories";

// "3.16.2" -> "3.16".
std::string_view MajorMinor(std::string_view version) {
  size_t dot = version.find('.');
  return dot == std::string_view::npos ? version : version.substr(0, version.find('.', dot + 1));
}

// Alpine images whose repositories name another branch than os-release: apko writes the
// os-release of the alpine-base it was given while installing packages from the repositories
// it was told (trivy's alpine-distroless: os-release 3.16, packages from edge).
void SupplementApkBranch(const image::FileIndex& files, Distro* distro) {
  if (distro->id != "alpine") return;
  auto text = Read(files, kApkRepositories);
  if (!text) return;
  std::string branch = ParseApkRepositories(*text);
  if (!branch.empty() && branch != MajorMinor(distro->version_id))
    distro->apk_branch = std::move(branch);
}

std::optional<Distro> ParseAlpineRelease(std::string_view text) {
  std::string v(Trim(text));
  if (!IsDottedNumber(v)) return std::nullopt;
  Distro d;
  d.id = "alpine";
  d.version_id = v;
  return d;
}

// An image with etc/debian_version and no os-release (old Debian, some hand-made images).
std::optional<Distro> ParseDebianVersion(std::string_view text) {
  std::string v(Trim(text));
  if (!IsDottedNumber(v)) return std::nullopt;
  Distro d;
  d.id = "debian";
  d.version_id = v;
  d.version = v;
  return d;
}

std::optional<Distro> ParseBusybox(std::string_view binary) {
  // The banner "BusyBox v1.36.1 (2023-...)" sits in .rodata.
  for (size_t at = binary.find("BusyBox v"); at != std::string_view::npos;
       at = binary.find("BusyBox v", at + 1)) {
    size_t i = at + 9, j = i;
    while (j < binary.size() &&
           (std::isdigit(static_cast<unsigned char>(binary[j])) || binary[j] == '.'))
      ++j;
    std::string_view v = binary.substr(i, j - i);
    while (!v.empty() && v.back() == '.') v.remove_suffix(1);
    if (!IsDottedNumber(v)) continue;
    Distro d;
    d.id = "busybox";
    d.version_id = std::string(v);
    d.pretty_name = "BusyBox v" + d.version_id;
    d.id_like = "busybox";
    return d;
  }
  return std::nullopt;
}

struct ReleaseFile {
  std::string_view path;
  std::optional<Distro> (*parse)(std::string_view);
};

// Checked in this order; the first that names a distribution wins.
const ReleaseFile kReleaseFiles[] = {
    {"etc/os-release", &ParseOsRelease},
    {"usr/lib/os-release", &ParseOsRelease},
    {"etc/system-release-cpe", &ParseSystemReleaseCpe},
    {"etc/redhat-release", &ParseRedhatRelease},
    {"etc/system-release", &ParseRedhatRelease},
    {"etc/alpine-release", &ParseAlpineRelease},
    {"etc/debian_version", &ParseDebianVersion},
    {"bin/busybox", &ParseBusybox},
};

}  // namespace

std::optional<Distro> ParseRedhatRelease(std::string_view text) {
  static const std::regex kRelease(R"(^\s*(.+?) release ([0-9][0-9.]*)\s*(\((.*)\))?)");
  std::string line(Trim(text.substr(0, text.find('\n'))));
  std::smatch m;
  if (!std::regex_search(line, m, kRelease)) return std::nullopt;
  Distro d;
  d.id = IdFromReleaseName(m[1].str());
  d.version_id = m[2].str();
  d.version = m[4].matched ? fmt::format("{} ({})", d.version_id, m[4].str()) : d.version_id;
  d.pretty_name = line;
  d.id_like = d.id;
  return d;
}

std::optional<Distro> ParseSystemReleaseCpe(std::string_view text) {
  // cpe:/o:VENDOR:PRODUCT:VERSION[:UPDATE]
  std::string cpe(Trim(text.substr(0, text.find('\n'))));
  if (!cpe.starts_with("cpe:/o:")) return std::nullopt;
  std::vector<std::string_view> parts = Split(std::string_view(cpe).substr(7), ':');
  if (parts.size() < 3 || parts[0].empty() || parts[2].empty()) return std::nullopt;
  Distro d;
  d.id = AsciiLower(parts[0]);
  d.version_id = std::string(parts[2]);
  d.id_like = d.id;
  d.cpe_name = cpe;
  return d;
}

std::string ParseApkRepositories(std::string_view text) {
  std::string best;  // "edge", or major.minor
  int best_major = -1, best_minor = -1;
  for (std::string_view line : Split(text, '\n')) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == '@') continue;
    size_t at = line.find("/alpine/");
    if (at == std::string_view::npos) continue;
    std::string_view rest = line.substr(at + 8);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) continue;  // ".../alpine/v3.18" names no repository
    std::string_view branch = rest.substr(0, slash);
    if (branch == "edge") return "edge";
    if (branch.starts_with('v')) branch.remove_prefix(1);
    int major = 0, minor = 0;
    auto [p, ec] = std::from_chars(branch.data(), branch.data() + branch.size(), major);
    if (ec != std::errc() || p == branch.data() + branch.size() || *p != '.') continue;
    auto [q, ec2] = std::from_chars(p + 1, branch.data() + branch.size(), minor);
    if (ec2 != std::errc() || q == p + 1) continue;
    if (std::tie(major, minor) > std::tie(best_major, best_minor)) {
      best_major = major, best_minor = minor;
      best = fmt::format("{}.{}", major, minor);
    }
  }
  return best;
}

std::vector<std::string> Globs() {
  std::vector<std::string> out;
  for (const auto& f : kReleaseFiles) out.emplace_back(f.path);
  out.emplace_back(kApkRepositories);
  return out;
}

Distro IdentifyDistro(const image::FileIndex& files) {
  for (const auto& f : kReleaseFiles) {
    auto text = Read(files, f.path);
    if (!text) continue;
    auto d = f.parse(*text);
    if (!d) continue;
    SupplementDebianVersion(files, &*d);
    SupplementApkBranch(files, &*d);
    return *std::move(d);
  }
  return {};
}

}  // namespace distill::catalog::distro
