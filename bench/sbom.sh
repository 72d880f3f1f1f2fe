#!/bin/bash
# bench/sbom.sh — `distill sbom` against the peers on the same inputs, whole-process wall time
# (median of RUNS, default 5; distill and trivy-cdxgen alternate run for run) and peak RSS:
#   distill sbom dir:ROOTFS                  vs  trivy-cdxgen rootfs ROOTFS      (OS packages)
#   distill sbom docker-archive:IMAGE.tar    vs  cdxgen -t docker IMAGE.tar      (whole image)
#   distill sbom docker-archive:LANG.tar     vs  cdxgen -t docker LANG.tar       (language packages:
#                                                 >= 1,000 npm packages + jars, bench/make-lang-image.sh)
# Goals: >= 10x faster than trivy-cdxgen, >= 100x faster than cdxgen, <= 1/4 of trivy-cdxgen's RSS;
# language image: >= 50x faster than cdxgen, <= 1/4 of its RSS.
# Peers are installed by bench/get-peers.sh (npm) into $DISTILL_PEERS (default /var/cache/distill-peers).
set -euo pipefail
cd "$(dirname "$0")/.."
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
peers=${DISTILL_PEERS:-/var/cache/distill-peers}
runs=${RUNS:-5}
source bench/lib.sh
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
scripts/make-test-images.sh "$images" >/dev/null
bench/get-peers.sh "$peers" >/dev/null
[[ -x build/distill ]] || scripts/build.sh >/dev/null
d=$PWD/build/distill
out=$(mktemp -d)


rootfs=$images/rootfs-pyflask
tar=$images/pyflask.docker.tar
{ read -r ds drss _; read -r ts trss _; } < <(measure_pair "$d" sbom -q -o cyclonedx-json="$out/d.json" "dir:$rootfs" \
  -- "$peers/trivy-cdxgen" rootfs --output "$out/t.json" "$rootfs")
read -r dt dtrss _ < <(measure "$d" sbom -q -o cyclonedx-json="$out/d2.json" "docker-archive:$tar")
cruns=$runs; runs=${CDXGEN_RUNS:-3}
read -r cs crss _ < <(CDXGEN_NO_BANNER=true measure "$peers/cdxgen" -t docker -o "$out/c.json" "$tar")
runs=$cruns
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['components']))" "$out/d.json")
printf 'inputs: %s (%s packages), %s (%s MB); %s runs (cdxgen %s), %s cores\n' "$rootfs" "$n" "$tar" \
  "$(du -m "$tar" | cut -f1)" "$runs" "${CDXGEN_RUNS:-3}" "$(nproc)"
printf '%-46s %9s %9s\n' "" "median s" "peak RSS"
printf '%-46s %9s %6s MB\n' "distill sbom dir:ROOTFS" "$ds" "$(mb $drss)"
printf '%-46s %9s %6s MB\n' "trivy-cdxgen rootfs ROOTFS" "$ts" "$(mb $trss)"
printf '%-46s %9s %6s MB\n' "distill sbom docker-archive:IMAGE.tar" "$dt" "$(mb $dtrss)"
printf '%-46s %9s %6s MB\n' "cdxgen -t docker IMAGE.tar" "$cs" "$(mb $crss)"
awk -v a="$ts" -v b="$ds" -v r1="$trss" -v r2="$drss" 'BEGIN {
  printf "speed vs trivy-cdxgen: %.1fx (goal >= 10x); RSS: %.2f of trivy-cdxgen (goal <= 0.25)\n", a / b, r2 / r1 }'
awk -v a="$cs" -v b="$dt" -v r1="$crss" -v r2="$dtrss" 'BEGIN {
  printf "speed vs cdxgen: %.0fx (goal >= 100x); RSS: %.2f of cdxgen\n", a / b, r2 / r1 }'

# Language ecosystems: a node_modules tree of >= 1,000 packages plus jars.
lang=$images/lang.docker.tar
bench/make-lang-image.sh "$lang"
read -r dl dlrss _ < <(measure "$d" sbom -q -o cyclonedx-json="$out/dl.json" "docker-archive:$lang")
runs=${CDXGEN_RUNS:-3}
read -r cl clrss _ < <(CDXGEN_NO_BANNER=true measure "$peers/cdxgen" -t docker -o "$out/cl.json" "$lang")
runs=$cruns
count() { python3 -c "import json,sys,collections; c=json.load(open(sys.argv[1])).get('components',[]); t=collections.Counter(x.get('purl','').split('/')[0] for x in c); print(len(c), dict(t))" "$1" 2>/dev/null || echo "?"; }
printf '\ninput: %s (%s MB)\n' "$lang" "$(du -m "$lang" | cut -f1)"
printf '%-46s %9s %6s MB  components: %s\n' "distill sbom docker-archive:LANG.tar" "$dl" "$(mb $dlrss)" "$(count "$out/dl.json")"
printf '%-46s %9s %6s MB  components: %s\n' "cdxgen -t docker LANG.tar" "$cl" "$(mb $clrss)" "$(count "$out/cl.json")"
awk -v a="$cl" -v b="$dl" -v r1="$clrss" -v r2="$dlrss" 'BEGIN {
  printf "speed vs cdxgen (languages): %.0fx (goal >= 50x); RSS: %.3f of cdxgen (goal <= 0.25)\n", a / b, r2 / r1 }'
rm -rf "$out"
