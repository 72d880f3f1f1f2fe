#!/bin/bash
# package.sh [BUILD_DIR] [OUT_DIR] — a Debian package of distill: distill_<version>_<arch>.deb in
# OUT_DIR (default: BUILD_DIR), from `cmake --install` of BUILD_DIR (default build/, built first if
# needed) under /usr. Depends comes from dpkg-shlibdeps (the libraries the binary links), plus the
# packages of the libraries distill loads with dlopen on first use (libcurl: registries and feeds;
# simdjson: advisory imports), found by their sonames with dpkg -S; ISA-L (fast gunzip, zlib is the
# fallback), gpgv + the archive keyring (`build` verifies InRelease), and libpq + libmicrohttpd
# (`serve`) are Recommends.
# Also writes OUT_DIR/apt-repo, an unsigned apt repository of the package (for packaging/distill.yaml).
# Needs dpkg-dev (install-deps.sh installs it). Prints the path of the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
out=${2:-$dir}
[[ -x $dir/distill ]] || scripts/build.sh --binary "$dir" >&2
ninja -C "$dir" distill >&2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
DESTDIR="$stage/root" cmake --install "$dir" --prefix /usr --strip >/dev/null  # no debug info, as dh_strip
gzip -9n "$stage/root/usr/share/man/man1/distill.1"  # Debian policy 12.1: manual pages compressed
version=$("$dir/distill" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)

# The package owning the library a soname resolves to on this machine.
package_of() {
  local path
  path=$(ldconfig -p | awk -v so="$1" '$1 == so {print $NF; exit}')
  [[ -n $path ]] || { echo "package.sh: $1 not found by ldconfig" >&2; exit 2; }
  dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1 ||
    dpkg -S "$path" | head -1 | cut -d: -f1
}
# The soname a dlopen'ed library was built against (a compile definition in the build files).
sonames() { grep -o "DISTILL_$1_SONAME=[^ ]*" "$dir/build.ninja" | head -1 | sed 's/.*SONAME=//; s/[\\"]//g'; }

# dpkg-shlibdeps reads debian/control of the current directory: give it a minimal one.
mkdir -p "$stage/src/debian"
printf 'Source: distill\n\nPackage: distill\nArchitecture: any\n' > "$stage/src/debian/control"
shlibs=$(cd "$stage/src" && dpkg-shlibdeps -O "$stage/root/usr/bin/distill" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
depends="$shlibs, $(package_of libcurl.so.4), $(package_of "$(sonames SIMDJSON)")"
recommends="$(package_of "$(sonames ISAL)"), gpgv, debian-archive-keyring, ca-certificates"
# `distill serve` only: PostgreSQL's client and the HTTP server, both loaded with dlopen.
recommends="$recommends, $(package_of libpq.so.5), $(package_of libmicrohttpd.so.12)"

mkdir -p "$stage/root/DEBIAN"
# md5sums, as dh_md5sums writes it: the list of the package's files that dpkg (and status.d in
# distroless images) records, so they are owned.
(cd "$stage/root" && find usr -type f -printf '%P\n' | LC_ALL=C sort | sed 's|^|usr/|' | xargs -d '\n' md5sum) \
  > "$stage/root/DEBIAN/md5sums"
size=$(du -sk "$stage/root/usr" | cut -f1)
cat > "$stage/root/DEBIAN/control" <<CONTROL
Package: distill
Version: $version
Architecture: $arch
Maintainer: distill developers <distill@localhost>
Installed-Size: $size
Depends: $depends
Recommends: $recommends
Section: admin
Priority: optional
Description: minimal, provable container images
 distill builds minimal, reproducible distroless OCI images from Debian packages, lists what is
 in any image (SBOM: SPDX, CycloneDX), matches its packages against an offline vulnerability
 database, audits whether it is really distroless and compares two images, in one native binary.
CONTROL
mkdir -p "$out"
deb="$out/distill_${version}_${arch}.deb"
# Same tree, same bytes: every mtime (and dpkg-deb's own) is the last commit's time.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
find "$stage/root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$stage/root" "$deb.tmp" >/dev/null
mv "$deb.tmp" "$deb"

# Beside it, an unsigned apt repository holding just this package (OUT_DIR/apt-repo, suite = this
# machine's codename), so a distill build spec can install distill as a package:
# `mirror: [apt, file:…/apt-repo]` + --allow-unsigned (packaging/distill.yaml).
. /etc/os-release
repo="$out/apt-repo"
rm -rf "$repo" && mkdir -p "$repo/pool/main" "$repo/dists/$VERSION_CODENAME/main/binary-$arch"
cp "$deb" "$repo/pool/main/"
(cd "$repo" && dpkg-scanpackages -m pool/main /dev/null 2>/dev/null) > "$repo/dists/$VERSION_CODENAME/main/binary-$arch/Packages"
{
  printf 'Origin: distill\nLabel: distill\nCodename: %s\nDate: %s\nArchitectures: %s\nComponents: main\nSHA256:\n' \
    "$VERSION_CODENAME" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")" "$arch"
  f="main/binary-$arch/Packages"
  printf ' %s %s %s\n' "$(sha256sum "$repo/dists/$VERSION_CODENAME/$f" | cut -d' ' -f1)" \
    "$(stat -c %s "$repo/dists/$VERSION_CODENAME/$f")" "$f"
} > "$repo/dists/$VERSION_CODENAME/Release"
echo "$deb"
