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
scripts/make-test-images.sh "$images" >/dev/null
[[ -x build/distill ]] || scripts/build.sh >/dev/null
d=$PWD/build/distill

# measure NAME CMD... -> prints "NAME median_s peak_rss_kb"
measure() {
  local name=$1; shift
  local times=() rss=0
  for _ in $(seq "$runs"); do
    local out tmp
    tmp=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$tmp" "$@" >/dev/null 2>&1
    out=$(tail -1 "$tmp"); rm -f "$tmp"
    times+=("${out% *}")
    (( ${out#* } > rss )) && rss=${out#* }
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name $med $rss"
}

layers=$(python3 -c "
import json,sys
d=sys.argv[1]; idx=json.load(open(d+'/oci/index.json'))
m=[x for x in idx['manifests'] if x.get('annotations',{}).get('org.opencontainers.image.ref.name')=='pyflask'][0]
man=json.load(open(d+'/oci/blobs/sha256/'+m['digest'][7:]))
print(' '.join(d+'/oci/blobs/sha256/'+l['digest'][7:] for l in man['layers']))" "$images")
read -r _ floor floor_rss < <(measure floor sh -c "for b in $layers; do gzip -dc \"\$b\"; done")
read -r _ gz gz_rss < <(measure distill "$d" -q inspect "oci-archive:$images/pyflask.oci.tar")
read -r _ dk dk_rss < <(measure distill "$d" -q inspect "docker-archive:$images/pyflask.docker.tar")
read -r _ zs zs_rss < <(measure distill "$d" -q inspect "oci-dir:$images/oci-zstd")
size=$(du -m "$images/pyflask.oci.tar" | cut -f1)
printf 'image: python3+flask, Debian 12, %s MB oci-archive (gzip layers), %s runs, %s cores\n' "$size" "$runs" "$(nproc)"
printf '%-44s %8s %10s\n' "" "median s" "peak RSS"
printf '%-44s %8s %7s MB\n' "floor: gzip -dc every layer (1 thread)" "$floor" $((floor_rss / 1024))
printf '%-44s %8s %7s MB\n' "distill inspect oci-archive (gzip)" "$gz" $((gz_rss / 1024))
printf '%-44s %8s %7s MB\n' "distill inspect docker-archive (plain tar)" "$dk" $((dk_rss / 1024))
printf '%-44s %8s %7s MB\n' "distill inspect oci-dir (zstd)" "$zs" $((zs_rss / 1024))
awk -v a="$gz" -v b="$floor" 'BEGIN { printf "ratio distill/floor (gzip): %.2fx (goal <= 0.70x)\n", a / b }'
