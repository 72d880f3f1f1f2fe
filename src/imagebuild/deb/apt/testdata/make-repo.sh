#!/bin/bash
# make-repo.sh — regenerates repo/ and keyring.gpg: a tiny signed apt repository for the hermetic
# tests (index_test.cc, fetch_test.cc). A throwaway ed25519 key signs it; only its public half is
# kept (keyring.gpg). Run from this directory; needs gpg, xz, gzip.
set -euo pipefail
export SOURCE_DATE_EPOCH=1700000000
rm -rf repo keyring.gpg && mkdir -p repo/pool/main repo/dists/distilltest/main/binary-amd64
home=$(mktemp -d) && trap 'rm -rf "$home"' EXIT
gpg --homedir "$home" --batch --quiet --passphrase '' --quick-gen-key 'distill test repository <test@distill.invalid>' ed25519 sign never
gpg --homedir "$home" --export > keyring.gpg
printf 'hello deb bytes\n' > repo/pool/main/hello_1.0_amd64.deb
printf 'libc deb bytes, a little longer\n' > repo/pool/main/libc6_2.36-9_amd64.deb
deb() { sha256sum "repo/pool/main/$1" | cut -d' ' -f1; }
size() { stat -c %s "repo/pool/main/$1"; }
cat > repo/dists/distilltest/main/binary-amd64/Packages <<P
Package: hello
Version: 1.0
Architecture: amd64
Depends: libc6 (>= 2.36)
Filename: pool/main/hello_1.0_amd64.deb
Size: $(size hello_1.0_amd64.deb)
SHA256: $(deb hello_1.0_amd64.deb)
Description: greets
 at length.

Package: libc6
Version: 2.36-9
Architecture: amd64
Multi-Arch: same
Priority: required
Filename: pool/main/libc6_2.36-9_amd64.deb
Size: $(size libc6_2.36-9_amd64.deb)
SHA256: $(deb libc6_2.36-9_amd64.deb)
Description: the C library
P
cd repo/dists/distilltest
xz -k -9 main/binary-amd64/Packages && gzip -n -k -9 main/binary-amd64/Packages
{
  printf 'Origin: distill\nLabel: distill\nSuite: stable\nCodename: distilltest\nDate: Tue, 14 Nov 2023 22:13:20 UTC\n'
  printf 'Acquire-By-Hash: no\nNo-Support-for-Architecture-all: Packages\nArchitectures: amd64\nComponents: main\nSHA256:\n'
  for f in main/binary-amd64/Packages main/binary-amd64/Packages.gz main/binary-amd64/Packages.xz; do
    printf ' %s %8d %s\n' "$(sha256sum $f | cut -d' ' -f1)" "$(stat -c %s $f)" "$f"
  done
} > Release
gpg --homedir "$home" --batch --quiet --clearsign -o InRelease Release
rm Release main/binary-amd64/Packages  # as Debian: the plain file is listed but not served
