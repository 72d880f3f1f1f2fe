#!/bin/bash
# bench/audit.sh — `distill audit` (catalog + every rule + secret scan of every file up to 1 MiB +
# ELF headers of every executable, all in the single streaming pass) against `distill inspect` (the
# read alone) on the python3+flask image (~200 MB). Whole-process wall time, median of RUNS
# (default 5), and peak RSS (/usr/bin/time -v). Goal: audit <= 1.3x inspect: secret scanning must
# not dominate.
set -euo pipefail
cd "$(dirname "$0")/.."
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
runs=${RUNS:-5}
source bench/lib.sh
scripts/make-test-images.sh "$images" >/dev/null
[[ -x build/distill ]] || scripts/build.sh >/dev/null
d=$PWD/build/distill


img="oci-archive:$images/pyflask.oci.tar"
read -r in in_rss _ < <(measure "$d" -q inspect "$img")
read -r sb sb_rss _ < <(measure "$d" -q sbom "$img")
read -r au au_rss _ < <(measure "$d" -q audit -o json "$img")
size=$(du -m "$images/pyflask.oci.tar" | cut -f1)
printf 'image: python3+flask, Debian 12, %s MB oci-archive (gzip layers), %s runs, %s cores\n' "$size" "$runs" "$(nproc)"
printf '%-44s %8s %10s\n' "" "median s" "peak RSS"
printf '%-44s %8s %7s MB\n' "distill inspect" "$in" $((in_rss / 1024))
printf '%-44s %8s %7s MB\n' "distill sbom (catalog only)" "$sb" $((sb_rss / 1024))
printf '%-44s %8s %7s MB\n' "distill audit (all rules, secrets, ELF)" "$au" $((au_rss / 1024))
awk -v a="$au" -v b="$in" 'BEGIN { printf "ratio audit/inspect: %.2fx (goal <= 1.30x)\n", a / b }'
