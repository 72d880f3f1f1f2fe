// dpkg records to catalog::Package, with the purl syft and trivy write:
// pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12.12&upstream=openssl
#pragma once

#include <string>

#include "catalog/dpkg/parse_status.h"

namespace distill::catalog::dpkg {

inline constexpr std::string_view kCatalogerName = "dpkg-db-cataloger";

// pkg:deb/<distro id>/<name>@<version>?arch=&distro=<id>-<version_id>&upstream=<src>[@<srcver>].
// No distro known: "" (the namespace, debian or ubuntu, would be a guess); a distro with no ID:
// no namespace and no distro qualifier.
std::string PackageUrl(const StatusEntry& entry, const Distro* distro);

Package NewPackage(StatusEntry e, const Distro& distro, const image::Location& where);

}  // namespace distill::catalog::dpkg
