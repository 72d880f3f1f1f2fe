#!/bin/bash
# demo.sh — the main job end to end on real images: make a real Debian 12 image (mmdebstrap +
# umoci + skopeo, cached), then inspect it, list its files in every format distill reads, and write
# its SBOM (table, SPDX 2.3, CycloneDX 1.6).
set -euo pipefail
cd "$(dirname "$0")/.."
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
scripts/make-test-images.sh "$images"
d=build/distill
out=$(mktemp -d)
# first N lines of a command's output; the command itself must succeed (no SIGPIPE from head)
show() { local n=$1; shift; echo "+ $*"; "$@" > "$out/show"; head -n "$n" "$out/show"; }
show 1000 $d inspect "docker-archive:$images/pyflask.docker.tar"
show 40 $d inspect -o json "oci-archive:$images/pyflask.oci.tar"
show 20 $d ls --layers "oci-dir:$images/oci:pyflask" usr/bin
show 1000 $d ls -o json "oci-dir:$images/oci-zstd" etc/os-release
show 15 $d sbom "docker-archive:$images/pyflask.docker.tar"
show 1000 $d sbom -o spdx-json=/tmp/distill-demo.spdx.json -o cyclonedx-json=/tmp/distill-demo.cdx.json "oci-archive:$images/pyflask.oci.tar"
show 1000 $d sbom "dir:$images/rootfs-statusd"
# a vulnerability database from the vendored advisory samples, then a scan of the image
db=$(mktemp -d)/vuln.db
show 1000 $d db import --db "$db" tests/fixtures/vuln
show 1000 $d db status --db "$db"
show 1000 $d scan --db "$db" "docker-archive:$images/pyflask.docker.tar"
