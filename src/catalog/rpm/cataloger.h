// The rpm database cataloger: rpmdb in any of its three backends (var/lib/rpm and the newer
// usr/lib/sysimage/rpm), and CBL-Mariner/Azure Linux distroless images' plain-text
// var/lib/rpmmanifest/container-manifest-2 (those images ship no rpmdb).
#pragma once

#include "catalog/cataloger.h"
#include "catalog/rpm/header.h"

namespace distill::catalog::rpm {

inline constexpr std::string_view kCatalogerName = "rpm-db-cataloger";

std::vector<std::string> Globs();
Found Catalog(const image::FileIndex& files, const Distro& distro);

// container-manifest-2: tab-separated name, version-release, install time, build time, vendor,
// epoch ("(none)"), size, arch, epoch again, source rpm.
Result<std::vector<HeaderInfo>> ParseContainerManifest(std::string_view text);

// pkg:rpm/<ns>/<name>@<version>-<release>?arch=&distro=&epoch=&upstream=<source rpm>; the
// namespace is the distro id ("rhel" -> "redhat"), none without a distro.
std::string PackageUrl(const HeaderInfo& header, const Distro* distro);
Package NewPackage(HeaderInfo h, const Distro& distro, const image::Location& where);

}  // namespace distill::catalog::rpm
