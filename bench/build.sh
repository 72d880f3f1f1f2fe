#!/bin/bash
# bench/build.sh — `distill build --preset python3` from a warm cache against the closest peer pair
# here: mmdebstrap --mode=chrootless --variant=custom --include=<the same packages> (its .debs given
# in advance, so neither downloads packages) + umoci (init, new, insert the rootfs: the repack step).
# Whole-process wall time (median of RUNS, default 5) and peak RSS (/usr/bin/time).
# Goals: base preset <= 1 s on 2 cores; python3 >= 10x faster than mmdebstrap + umoci; an APK
# image of 15 packages from a local repository <= 0.5 s.
# mmdebstrap still fetches the indexes from the host's apt sources on every run (it has no offline mode);
# distill uses its lock file and cache (--offline), which is what a rebuild is: the cache holds the
# verified .debs, their data.tar unpacked (CACHE/unpacked, zstd) and the compressed layers by diff_id
# (CACHE/layers), all filled by the warm-up run. Set DISTILL_BENCH_COLD_LAYERS=1 to empty the last two
# before every distill run (then every .deb is unpacked from xz and every layer compressed).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
source bench/lib.sh
[[ -x build/distill ]] || scripts/build.sh >/dev/null
d=$PWD/build/distill
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache=$work/cache
sources=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 || true)
[[ -n $sources ]] || sources=/etc/apt/sources.list


# Warm the cache and pin the packages (lock files), once.
for p in base python3; do
  "$d" build -q --preset $p --cache "$cache" --lock "$work/$p.lock" -o oci-dir:"$work/warm-$p" >/dev/null
done
pkgs=$(awk '!/^#/ && $1 != "ca-certificates" {print $1}' "$work/python3.lock" | paste -sd,)
mkdir -p "$work/debs"
find "$cache" -type f -size +1k -exec sh -c 'head -c7 "$1" | grep -q "!<arch>" && cp "$1" "$2/$(basename "$1").deb"' _ {} "$work/debs" \;

# APK: the first 15 packages of the python3 set (libc6 among them) packed as signed APKs by
# `distill apk pack --no-scan` (version 1.0-r0, no dependencies: the world names all 15), indexed
# by `distill apk index` into a local repository, and built from it. No APK peer runs here (apko
# and apk-tools are not in Debian 12), so the line stands beside the Debian builds; goal <= 0.5 s.
apk=$work/apk
mkdir -p "$apk/repo/x86_64" "$apk/x"
"$d" apk keygen --name bench -o "$apk" >/dev/null
apk_names=()
for deb in $(ls "$work/debs"/*.deb | head -15); do
  name=$(dpkg-deb -f "$deb" Package)
  dpkg-deb -x "$deb" "$apk/x/$name"
  "$d" apk pack "$apk/x/$name" --name "$name" --version 1.0-r0 --arch x86_64 --no-scan \
    -o "$apk/repo/x86_64" --sign "$apk/bench.rsa" >/dev/null
  apk_names+=("$name")
done
"$d" apk index "$apk/repo/x86_64" --sign "$apk/bench.rsa" >/dev/null
printf 'contents:\n  keyring: [./bench.rsa.pub]\n  repositories: [./repo]\n  packages: [%s]\narchs: [x86_64]\n' \
  "$(IFS=,; echo "${apk_names[*]}")" > "$apk/app.yaml"
"$d" build -q "$apk/app.yaml" --cache "$cache" --lock "$apk/distill.lock" -o oci-dir:"$work/warm-apk" >/dev/null

peer() {  # the mmdebstrap + umoci pair, one run (settle below removes its output, untimed)
  mmdebstrap -q --mode=chrootless --variant=custom --include="$pkgs" \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' --setup-hook="sync-in $work/debs /var/cache/apt/archives/" \
    bookworm "$work/rootfs" "$sources"
  umoci init --layout "$work/oci" && umoci new --image "$work/oci:py" && umoci insert --image "$work/oci:py" "$work/rootfs" /
}
export -f peer; export work pkgs sources

# Between runs, untimed: sync what the run wrote; with DISTILL_BENCH_COLD_LAYERS=1 also remove the
# unpacked packages and cached layers, so every distill run starts without them.
export settle=sync
[[ -z ${DISTILL_BENCH_COLD_LAYERS:-} ]] || settle="rm -rf '$cache/unpacked' '$cache/layers' && sync"
bash -c "$settle"
read -r bs brss bsc < <(measure $d build -q --preset base --offline --cache "$cache" --lock "$work/base.lock" -o oci-dir:"$work/b")
read -r bns bnrss bnsc < <(measure $d build -q --preset base --offline --no-sbom --cache "$cache" --lock "$work/base.lock" -o oci-dir:"$work/bn")
read -r ps prss psc < <(measure $d build -q --preset python3 --offline --cache "$cache" --lock "$work/python3.lock" -o oci-dir:"$work/p")
read -r pns pnrss pnsc < <(measure $d build -q --preset python3 --offline --no-sbom --cache "$cache" --lock "$work/python3.lock" -o oci-dir:"$work/pn")
read -r as arss asc < <(measure $d build -q "$apk/app.yaml" --cache "$cache" --lock "$apk/distill.lock" -o oci-dir:"$work/a")
runs=${PEER_RUNS:-3}
rm -rf "$work/rootfs" "$work/oci"
read -r ms mrss msc < <(settle="rm -rf '$work/rootfs' '$work/oci' && sync" measure bash -c peer)
printf '%s runs (peer %s), %s cores, load %s\n' "${RUNS:-5}" "${PEER_RUNS:-3}" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-58s %9s %9s %9s\n' "" "median s" "CPU s" "peak RSS"
printf '%-58s %9s %9s %6s MB\n' "distill build --preset base (+SBOM)" "$bs" "$bsc" $((brss / 1024))
printf '%-58s %9s %9s %6s MB\n' "distill build --preset base --no-sbom" "$bns" "$bnsc" $((bnrss / 1024))
printf '%-58s %9s %9s %6s MB\n' "distill build --preset python3 (+SBOM)" "$ps" "$psc" $((prss / 1024))
printf '%-58s %9s %9s %6s MB\n' "distill build --preset python3 --no-sbom" "$pns" "$pnsc" $((pnrss / 1024))
printf '%-58s %9s %9s %6s MB\n' "distill build, APK: 15 packages, local repo (+SBOM)" "$as" "$asc" $((arss / 1024))
printf '%-58s %9s %9s %6s MB\n' "mmdebstrap --variant=custom + umoci insert (python3 set)" "$ms" "$msc" $((mrss / 1024))
awk -v a="$ms" -v b="$ps" -v c="$bs" -v ac="$msc" -v bc="$psc" 'BEGIN {
  printf "python3: %.1fx faster than mmdebstrap+umoci in wall time, %.1fx in CPU (goal >= 10x); base: %.2f s (goal <= 1 s)\n", a / b, ac / bc, c }'
echo "APK build of 15 packages: $as s (goal <= 0.5 s)"
