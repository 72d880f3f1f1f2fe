#!/bin/bash
# demo.sh — the main job end to end: build Google-distroless `base` from Debian packages through
# the host's apt sources (verified, reproducible), then inspect, sbom, audit and scan it and compare
# it with a full Debian image; also read real images made by mmdebstrap + umoci + skopeo (cached)
# in every format distill reads.
set -euo pipefail
cd "$(dirname "$0")/.."
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
scripts/make-test-images.sh "$images"
d=build/distill
out=$(mktemp -d)
# first N lines of a command's output; the command itself must succeed (no SIGPIPE from head)
show() { local n=$1; shift; echo "+ $*"; "$@" > "$out/show"; head -n "$n" "$out/show"; }
# distroless base from Debian packages (SBOMs written beside it), then what it holds and is
show 1000 $d build --preset base -o "oci-dir:$out/base" -o "docker-archive:$out/base.docker.tar" --tag distroless/base:12
show 1000 $d inspect "oci-dir:$out/base"
show 1000 $d sbom "oci-dir:$out/base"
show 1000 $d audit "oci-dir:$out/base"
show 1000 $d compare "docker-archive:$images/minbase.docker.tar" "docker-archive:$out/base.docker.tar" --html "$out/compare.html"
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
show 1000 $d scan --db "$db" "oci-dir:$out/base"
show 1000 $d audit "docker-archive:$images/pyflask.docker.tar"
