#!/bin/bash
# make-test-apk-repo.sh [OUTDIR] [DISTILL] — a runnable, signed APK repository made offline from
# Debian 12's real binaries, cached in OUTDIR (default /var/cache/distill/test-apk-repo):
#   keys/distill-test.rsa(.pub)       the signing key (made once by `distill apk keygen`)
#   x86_64/busybox-1.35.0-r0.apk      /bin/busybox of Debian's busybox-static (static), bin/sh -> busybox
#   x86_64/musl-1.2.3-r0.apk          Debian's musl: lib/x86_64-linux-musl/libc.so, the loader
#                                     lib/ld-musl-x86_64.so.1 and Alpine's name for it,
#                                     lib/libc.musl-x86_64.so.1 (provides so:libc.musl-x86_64.so.1)
#   x86_64/APKINDEX.tar.gz            signed by keys/distill-test.rsa (RSA256)
# Packed by `distill apk pack` with SOURCE_DATE_EPOCH=1700000000: the same .debs give the same bytes.
# The .debs come from the host's apt sources (`apt-get download`) into a temporary directory and
# are never kept. Only x86_64 (the Debian architecture of the host) is made.
set -euo pipefail
out=${1:-/var/cache/distill/test-apk-repo}
distill=${2:-${DISTILL:-distill}}
arch=$(uname -m)
[[ $arch == x86_64 ]] || { echo "make-test-apk-repo.sh: only x86_64 hosts (this is $arch)" >&2; exit 2; }
[[ -f $out/.complete ]] && { echo "$out"; exit 0; }
mkdir -p "$out/keys" "$out/$arch"
export SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[[ -f $out/keys/distill-test.rsa ]] || "$distill" apk keygen --name distill-test -o "$out/keys" >/dev/null
key=$out/keys/distill-test.rsa

(cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download busybox-static musl >/dev/null)
upstream() { dpkg-deb -f "$1" Version | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//'; }

bb=$(ls "$tmp"/busybox-static_*.deb)
dpkg-deb -x "$bb" "$tmp/bb-deb"
mkdir -p "$tmp/busybox/bin"
cp -p "$tmp/bb-deb/bin/busybox" "$tmp/busybox/bin/busybox"
ln -s busybox "$tmp/busybox/bin/sh"
"$distill" apk pack "$tmp/busybox" --name busybox --version "$(upstream "$bb")-r0" --arch "$arch" \
  --description "Size optimized toolbox of many common UNIX utilities (Debian's busybox-static)" \
  --license GPL-2.0-only --url https://busybox.net/ --provides /bin/sh -o "$out/$arch" --sign "$key" >/dev/null

musl=$(ls "$tmp"/musl_*.deb)
dpkg-deb -x "$musl" "$tmp/musl-deb"
mkdir -p "$tmp/musl/lib/x86_64-linux-musl" "$tmp/musl/etc"
cp -p "$tmp/musl-deb/lib/x86_64-linux-musl/libc.so" "$tmp/musl/lib/x86_64-linux-musl/libc.so"
cp -p "$tmp/musl-deb/etc/ld-musl-x86_64.path" "$tmp/musl/etc/ld-musl-x86_64.path"
ln -s x86_64-linux-musl/libc.so "$tmp/musl/lib/ld-musl-x86_64.so.1"
ln -s ld-musl-x86_64.so.1 "$tmp/musl/lib/libc.musl-x86_64.so.1"
"$distill" apk pack "$tmp/musl" --name musl --version "$(upstream "$musl")-r0" --arch "$arch" \
  --description "the musl C library (libc) implementation (Debian's musl)" --license MIT \
  --url https://musl.libc.org/ --provides so:libc.musl-x86_64.so.1=1 -o "$out/$arch" --sign "$key" >/dev/null

"$distill" apk index "$out/$arch" --sign "$key" --description "distill test repository" >/dev/null
touch "$out/.complete"
echo "$out"
