#!/bin/bash
# demo.sh — the main job end to end on real images: make a real Debian 12 image (mmdebstrap +
# umoci + skopeo, cached), then inspect it, list its files in every format distill reads, and write
# its SBOM (table, SPDX 2.3, CycloneDX 1.6).
set -euo pipefail
cd "$(dirname "$0")/.."
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
scripts/make-test-images.sh "$images"
d=build/distill
set -x
$d inspect "docker-archive:$images/pyflask.docker.tar"
$d inspect -o json "oci-archive:$images/pyflask.oci.tar" | head -n 40
$d ls --layers "oci-dir:$images/oci:pyflask" usr/bin | head -n 20
$d ls -o json "oci-dir:$images/oci-zstd" etc/os-release
$d sbom "docker-archive:$images/pyflask.docker.tar" | head -n 15
$d sbom -o spdx-json=/tmp/distill-demo.spdx.json -o cyclonedx-json=/tmp/distill-demo.cdx.json "oci-archive:$images/pyflask.oci.tar"
$d sbom "dir:$images/rootfs-statusd"
# a vulnerability database from the vendored advisory samples, then a scan of the image
db=$(mktemp -d)/vuln.db
$d db import --db "$db" tests/fixtures/vuln
$d db status --db "$db"
$d scan --db "$db" "docker-archive:$images/pyflask.docker.tar"
