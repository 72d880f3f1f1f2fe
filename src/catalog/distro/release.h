// Which distribution an image says it is, from the files distributions write:
// os-release (https://www.freedesktop.org/software/systemd/man/os-release.html) first, then
// etc/system-release-cpe, etc/redhat-release and friends, etc/alpine-release, and the BusyBox
// banner last. etc/debian_version supplies the point release Debian's os-release leaves out, and
// the whole release for Google distroless (PRETTY_NAME="Distroless", no VERSION_ID).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/package.h"
#include "image/file_index.h"

namespace distill::catalog::distro {

// KEY=value lines, values optionally quoted ("..." or '...') with backslash escapes in "...".
// Returns nullopt when no recognised key is present.
std::optional<Distro> ParseOsRelease(std::string_view text);
// "Red Hat Enterprise Linux release 8.10 (Ootpa)", "CentOS release 5.7 (Final)".
std::optional<Distro> ParseRedhatRelease(std::string_view text);
// "cpe:/o:centos:linux:6:GA" (etc/system-release-cpe).
std::optional<Distro> ParseSystemReleaseCpe(std::string_view text);
// etc/apk/repositories: the Alpine branch the packages come from, as trivy reads it. Of the
// lines ".../alpine/v3.18/main" ("3.18") and ".../alpine/edge/community" ("edge"): "edge" if
// any, else the highest; "" when none names one. Comments and tagged lines ("@testing https://
// .../edge/testing": only packages pinned to the tag come from them) do not count.
std::string ParseApkRepositories(std::string_view text);

// The files IdentifyDistro reads (for the image reader's content plan).
std::vector<std::string> Globs();
// The first release file that names a distribution, supplemented as above; empty if none.
// For Alpine, Distro::apk_branch from etc/apk/repositories when it names another branch.
Distro IdentifyDistro(const image::FileIndex& files);

}  // namespace distill::catalog::distro
