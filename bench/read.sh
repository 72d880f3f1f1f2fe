#!/bin/bash
# bench/read.sh — reading an image: `distill inspect` (opens, verifies every digest, inflates every
# layer and builds the full file index) against the decompression floor: `gzip -dc` of every layer
# blob of the same image, one after the other in one thread. Whole-process wall time, median of
# RUNS (default 5), and peak RSS (/usr/bin/time -v). Goal: distill <= 0.7x the floor on 2 cores, peak
# RSS under 64 MB whatever the image size.
set -euo pipefail
cd "$(dirname "$0")/.."
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
runs=${RUNS:-5}
source bench/lib.sh
scripts/make-test-images.sh "$images" >/dev/null
[[ -x build/distill ]] || scripts/build.sh >/dev/null
d=$PWD/build/distill


layers=$(python3 -c "
import json,sys
d=sys.argv[1]; idx=json.load(open(d+'/oci/index.json'))
m=[x for x in idx['manifests'] if x.get('annotations',{}).get('org.opencontainers.image.ref.name')=='pyflask'][0]
man=json.load(open(d+'/oci/blobs/sha256/'+m['digest'][7:]))
print(' '.join(d+'/oci/blobs/sha256/'+l['digest'][7:] for l in man['layers']))" "$images")
read -r floor floor_rss _ < <(measure sh -c "for b in $layers; do gzip -dc \"\$b\"; done")
read -r gz gz_rss _ < <(measure "$d" -q inspect "oci-archive:$images/pyflask.oci.tar")
read -r dk dk_rss _ < <(measure "$d" -q inspect "docker-archive:$images/pyflask.docker.tar")
read -r zs zs_rss _ < <(measure "$d" -q inspect "oci-dir:$images/oci-zstd")
size=$(du -m "$images/pyflask.oci.tar" | cut -f1)
printf 'image: python3+flask, Debian 12, %s MB oci-archive (gzip layers), %s runs, %s cores\n' "$size" "$runs" "$(nproc)"
printf '%-44s %8s %10s\n' "" "median s" "peak RSS"
printf '%-44s %8s %7s MB\n' "floor: gzip -dc every layer (1 thread)" "$floor" $((floor_rss / 1024))
printf '%-44s %8s %7s MB\n' "distill inspect oci-archive (gzip)" "$gz" $((gz_rss / 1024))
printf '%-44s %8s %7s MB\n' "distill inspect docker-archive (plain tar)" "$dk" $((dk_rss / 1024))
printf '%-44s %8s %7s MB\n' "distill inspect oci-dir (zstd)" "$zs" $((zs_rss / 1024))
awk -v a="$gz" -v b="$floor" 'BEGIN { printf "ratio distill/floor (gzip): %.2fx (goal <= 0.70x)\n", a / b }'
