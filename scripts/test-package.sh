#!/bin/bash
# test-package.sh DEB — install the Debian package made by package.sh with `apt-get install ./DEB`
# into a fresh mmdebstrap chroot (variant apt, the host's apt sources), so apt resolves its Depends
# from the archive as a user's machine would, then run `distill --version` and `distill sbom` of
# the chroot itself there, which must list distill's own package. Needs root and mmdebstrap.
set -euo pipefail
deb=$(readlink -f "${1:?usage: test-package.sh DEB}")
sources=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 || true)
[[ -n $sources ]] || sources=/etc/apt/sources.list
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mmdebstrap -q --variant=apt \
  --customize-hook="copy-in $deb /tmp" \
  --customize-hook="chroot \"\$1\" apt-get install -y -q /tmp/$(basename "$deb") >/dev/null" \
  bookworm "$root" "$sources"
chroot "$root" distill --version | grep -q '^distill ' || { echo "test-package: distill --version failed" >&2; exit 1; }
sbom=$(chroot "$root" distill sbom -o distill-json dir:/)
for pkg in distill apt libc6; do
  grep -q "\"name\": *\"$pkg\"" <<<"$sbom" || { echo "test-package: sbom in the chroot lacks $pkg" >&2; exit 1; }
done
[[ -f $root/usr/share/man/man1/distill.1.gz || -f $root/usr/share/man/man1/distill.1 ]] ||
  { echo "test-package: no manual page installed" >&2; exit 1; }
echo "test-package: $(basename "$deb") installs with apt-get and runs (--version, sbom) in a fresh chroot"
