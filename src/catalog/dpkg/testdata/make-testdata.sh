#!/usr/bin/env bash
# Regenerates the status files in this directory (see PROVENANCE.md). Needs dpkg, dpkg-deb,
# python3 and the test images of scripts/make-test-images.sh (rootfs-minbase).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# removed/: what dpkg itself writes after `dpkg --remove` of a package with a conffile.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status"
for pkg in keepme removeme; do
  d=$tmp/build/$pkg
  mkdir -p "$d/DEBIAN" "$d/etc" "$d/usr/share/doc/$pkg"
  printf 'Package: %s\nVersion: 1.0-1\nArchitecture: all\nMaintainer: Distill Tests <tests@example.org>\nDescription: test package %s\n' \
    "$pkg" "$pkg" > "$d/DEBIAN/control"
  echo "setting=1" > "$d/etc/$pkg.conf"
  echo "/etc/$pkg.conf" > "$d/DEBIAN/conffiles"
  echo test > "$d/usr/share/doc/$pkg/README"
  dpkg-deb --root-owner-group -Zgzip --build "$d" "$tmp/${pkg}_1.0-1_all.deb" > /dev/null
done
opts=(--root="$root" --force-not-root --force-script-chrootless --log=/dev/null)
dpkg "${opts[@]}" --install "$tmp/keepme_1.0-1_all.deb" "$tmp/removeme_1.0-1_all.deb" > /dev/null
dpkg "${opts[@]}" --remove removeme > /dev/null
mkdir -p "$here/removed/var/lib/dpkg"
cp "$root/var/lib/dpkg/status" "$here/removed/var/lib/dpkg/status"

# minbase-edited/: five real paragraphs of rootfs-minbase's status, four of them edited.
mkdir -p "$here/minbase-edited/var/lib/dpkg"
python3 - "$images/rootfs-minbase/var/lib/dpkg/status" "$here/minbase-edited/var/lib/dpkg/status" <<'PY'
import sys
paras = {p.split('\n')[0][len('Package: '):]: p for p in open(sys.argv[1]).read().split('\n\n') if p.strip()}
def without(p, field):
    return '\n'.join(l for l in p.split('\n') if not l.startswith(field + ':'))
out = [
    paras['base-files'],                                   # as dpkg wrote it
    without(paras['bsdutils'], 'Status'),                  # no Status: dpkg reads "unknown ok not-installed"
    paras['debianutils'].replace('Status: install ok installed', 'Status: deinstall ok config-files'),
    without(paras['init-system-helpers'], 'Version'),      # dpkg-query: "missing 'Version' field"
    paras['libcap-ng0'].replace('\nVersion: ', '\nVersion: 1 beta ', 1),  # embedded space
]
open(sys.argv[2], 'w').write('\n\n'.join(out) + '\n')
PY
