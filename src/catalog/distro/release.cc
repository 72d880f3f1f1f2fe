#include "catalog/distro/release.h"

#include <cctype>
#include <regex>

#include "util/text.h"

namespace distill::catalog::distro {
namespace {

bool IsDottedNumber(std::string_view s) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s.front())) || s.back() == '.') return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  return true;
}

// The os-release ID each distribution would write, from the name its *-release file prints.
std::string IdFromReleaseName(std::string_view name) {
  std::string n = AsciiLower(name);
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"red hat enterprise linux", "rhel"}, {"centos", "centos"},       {"rocky linux", "rocky"},
      {"almalinux", "almalinux"},           {"scientific linux", "scientific"}, {"fedora", "fedora"},
      {"oracle linux", "ol"},               {"amazon linux", "amzn"},
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
void SupplementDebianVersion(const image::FileIndex& files, Distro* d) {
  if (d->id != "debian") return;
  auto text = Read(files, "etc/debian_version");
  if (!text) return;
  std::string v(Trim(*text));
  if (!IsDottedNumber(v)) return;  // "trixie/sid" on testing: nothing to add
  if (d->version_id.empty()) {
    d->version_id = v;
    if (d->version.empty()) d->version = v;
  } else if (v == d->version_id || v.starts_with(d->version_id + ".")) {
    d->version_id = v;
  }
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
    while (j < binary.size() && (std::isdigit(static_cast<unsigned char>(binary[j])) || binary[j] == '.')) ++j;
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

std::vector<std::string> Globs() {
  std::vector<std::string> out;
  for (const auto& f : kReleaseFiles) out.emplace_back(f.path);
  return out;
}

Distro IdentifyDistro(const image::FileIndex& files) {
  for (const auto& f : kReleaseFiles) {
    auto text = Read(files, f.path);
    if (!text) continue;
    auto d = f.parse(*text);
    if (!d) continue;
    SupplementDebianVersion(files, &*d);
    return *std::move(d);
  }
  return {};
}

}  // namespace distill::catalog::distro
