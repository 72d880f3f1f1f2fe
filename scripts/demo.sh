#!/bin/bash
# demo.sh — the main job end to end, from the host's apt sources only: build Google-distroless
# `base` and `python3` from Debian packages (verified, reproducible, SBOMs beside them) and a small
# Debian image with a shell; then inspect, sbom, audit, scan and compare them. With the test images
# cached (scripts/make-test-images.sh: mmdebstrap + umoci + skopeo), also read those in every
# format distill reads.
set -euo pipefail
cd "$(dirname "$0")/.."
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
d=build/distill
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# first N lines of a command's output; the command itself must succeed (no SIGPIPE from head)
show() { local n=$1; shift; echo "+ $*"; "$@" > "$out/show"; head -n "$n" "$out/show"; }
# status 1 is `audit`'s "not distroless": what the demo shows for the image with a shell
audit_of() { echo "+ $d audit $*"; local rc=0; "$d" audit "$@" || rc=$?; ((rc <= 1)) || exit "$rc"; }

# build: distroless base and python3, and a Debian image with a shell and apt
show 1000 $d build --preset base -o "oci-dir:$out/base" -o "docker-archive:$out/base.docker.tar" --tag distroless/base:12
show 1000 $d build --preset python3 -o "docker-archive:$out/python3.docker.tar" --tag distroless/python3:12
show 1000 $d build doc/examples/debian-shell.yaml -o "docker-archive:$out/shell.docker.tar" --tag debian-shell:12
# what they hold
show 1000 $d inspect "oci-dir:$out/base"
show 1000 $d sbom "oci-dir:$out/base"
show 20 $d sbom "docker-archive:$out/python3.docker.tar"
show 1000 $d sbom -o spdx-json="$out/python3.spdx.json" -o cyclonedx-json="$out/python3.cdx.json" "docker-archive:$out/python3.docker.tar"
show 20 $d ls --layers "docker-archive:$out/python3.docker.tar" usr/bin
# is it distroless? (the shell image is not, and audit says why)
audit_of "oci-dir:$out/base"
audit_of "docker-archive:$out/shell.docker.tar"
show 1000 $d compare "docker-archive:$out/shell.docker.tar" "docker-archive:$out/base.docker.tar" --html "$out/compare.html"
# a vulnerability database from the vendored advisory samples, then scans
db=$out/vuln.db
show 1000 $d db import --db "$db" tests/fixtures/vuln
show 1000 $d db status --db "$db"
show 1000 $d scan --db "$db" "docker-archive:$out/shell.docker.tar"
show 1000 $d scan --db "$db" "oci-dir:$out/base"

if [[ ! -f $images/pyflask.docker.tar ]]; then
  echo "(images by other tools: run scripts/make-test-images.sh $images to read them too)"
  exit 0
fi
# images made by mmdebstrap + umoci + skopeo, in every format distill reads
show 1000 $d inspect "docker-archive:$images/pyflask.docker.tar"
show 40 $d inspect -o json "oci-archive:$images/pyflask.oci.tar"
show 20 $d ls --layers "oci-dir:$images/oci:pyflask" usr/bin
show 1000 $d ls -o json "oci-dir:$images/oci-zstd" etc/os-release
show 15 $d sbom "docker-archive:$images/pyflask.docker.tar"
show 1000 $d sbom "dir:$images/rootfs-statusd"
show 1000 $d scan --db "$db" "docker-archive:$images/pyflask.docker.tar"
audit_of "docker-archive:$images/pyflask.docker.tar"
show 1000 $d compare "docker-archive:$images/minbase.docker.tar" "docker-archive:$out/base.docker.tar"
