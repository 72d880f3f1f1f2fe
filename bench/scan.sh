#!/bin/bash
# bench/scan.sh — the vulnerability database and `distill scan` at scale (issue 5):
#   1. import every fixture source (../shared/fixtures/vuln: OSV, Alpine secdb, Wolfi, Debian
#      tracker) plus a generated scale set in the real record shapes (bench/gen_vulndata.py:
#      200,000 Debian-tracker rows, 100,000 GHSA records in OSV all.zip archives, 30,000 secdb
#      rows) into one database: rows/s per source and overall, DB size, peak RSS;
#   2. scan a 1,000-package CycloneDX SBOM (700 real bookworm .debs, 300 PyPI/npm/Go packages)
#      against it: whole-process wall time, matching time (from `distill scan -v`), peak RSS.
#   3. `db update` of every built-in source (src/vuln/importers/sources.cc) served from a local
#      HTTP server (src/testing/feed_server.py, ETag / Last-Modified) at the same URL paths: the
#      generated tracker, OSV and secdb files where the scale set has that kind (tracker, PyPI, npm,
#      Go, every Alpine branch's main), the fixtures' records for the rest; first download, then
#      all 304; and a first-run `scan` of pyflask (fresh HOME: no database, so build + scan; or
#      pull + scan when DISTILL_BENCH_DB_REPOSITORY names a pushed database) against a warm one.
#   4. `distill db push` that database to a local docker-registry, then `distill db pull` it against
#      `skopeo copy docker://… oci:…` of the same artifact, run for run (goal: pull <= 1.5x skopeo).
# Goals: import >= 200,000 rows/s; db update >= 250,000 rows/s; matching 1,000 packages < 50 ms after the DB is open; peak RSS
# < 100 MB. Median of RUNS (default 5). grype and trivy are compared when on PATH (they need their
# own databases, which cannot be downloaded here: otherwise the absolute numbers are printed).
# CPU seconds (user + sys) are printed beside wall time: on a shared machine they are the figure
# that does not depend on the other load.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
source bench/lib.sh
fixtures=${DISTILL_VULN_FIXTURES:-$PWD/../shared/fixtures/vuln}
[[ -d $fixtures ]] || fixtures=$PWD/tests/fixtures/vuln
data=${DISTILL_BENCH_DATA:-/var/cache/distill/bench-scan}
[[ -x build/distill ]] || scripts/build.sh >/dev/null
d=$PWD/build/distill
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [[ ! -f $data/rows.txt || bench/gen_vulndata.py -nt $data/rows.txt ]]; then
  echo "generating the scale set in $data (a few minutes, once)" >&2
  mkdir -p "$data"
  python3 bench/gen_vulndata.py "$fixtures" "$data"
fi

measure() {  # measure CMD... -> "median_wall_s peak_rss_kb median_cpu_s" (CPU = user + sys, all threads)
  local times=() cpus=() rss=0 tmp
  for _ in $(seq "$runs"); do
    tmp=$(mktemp)
    /usr/bin/time -f '%e %M %U %S' -o "$tmp" "$@" >/dev/null 2>"$out/stderr" || {
      local rc=$?; ((rc == 1)) || { echo "failed ($rc): $*" >&2; cat "$out/stderr" "$tmp" >&2; exit 1; }; }
    local e m u s; read -r e m u s < <(tail -1 "$tmp"); rm -f "$tmp"
    times+=("$e"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')"); ((m > rss)) && rss=$m
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $rss $(printf '%s\n' "${cpus[@]}" | median)"
}
rows_of() { sqlite3 "$1" 'select count(*) from affected' 2>/dev/null ||
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from affected').fetchone()[0])" "$1"; }

# 1. Imports, one source kind at a time (fresh DB each), then everything into one DB.
printf 'inputs: %s + generated set in %s; %s runs, %s cores\n' "$fixtures" "$data" "$runs" "$(nproc)"
printf '%-44s %7s %7s %9s %7s %10s %8s\n' "import (--fresh)" "rows" "wall s" "rows/s" "CPU s" "rows/CPU-s" "peak RSS"
import_row() {  # label, args...
  local label=$1; shift
  read -r s rss cpu < <(measure "$d" db import -q --fresh --db "$out/part.db" "$@")
  local n; n=$(rows_of "$out/part.db")
  printf '%-44s %7s %7s %9.0f %7s %10.0f %5s MB\n' "$label" "$n" "$s" "$(awk -v n="$n" -v s="$s" 'BEGIN {print n / s}')" \
    "$cpu" "$(awk -v n="$n" -v s="$cpu" 'BEGIN {print n / s}')" $((rss / 1024))
}
import_row "Debian tracker JSON ($(du -m "$data/tracker.json" | cut -f1) MB)" "$data/tracker.json"
import_row "OSV all.zip x3 ($(du -cm "$data"/osv-*.zip | tail -1 | cut -f1) MB, GHSA records)" "$data"/osv-*.zip
import_row "Alpine secdb JSON" "$data/secdb-alpine.json"
all=("$data/tracker.json" "$data"/osv-*.zip "$data/secdb-alpine.json" "$fixtures/osv" "$fixtures/alpine"
     "$fixtures/vunnel/debian/test-fixtures/input/debian.json" "$fixtures/vunnel/chainguard/test-fixtures/input/osv")
import_row "everything (fixtures + generated)" "${all[@]}"
"$d" db import -q --fresh --db "$out/vuln.db" "${all[@]}"
"$d" db import -q --db "$out/vuln.db" --ecosystem wolfi "$fixtures/wolfi"
printf 'database: %s affected rows, %s MB\n' "$(rows_of "$out/vuln.db")" "$(du -m "$out/vuln.db" | cut -f1)"

# 2. Scan the 1,000-package SBOM.
sbom=$data/sbom.cdx.json
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['components']) - 1)" "$sbom")
read -r s rss cpu < <(measure "$d" scan --db "$out/vuln.db" -o json "sbom:$sbom")
for _ in $(seq "$runs"); do
  "$d" -v scan --db "$out/vuln.db" -o json "sbom:$sbom" 2>&1 >/dev/null | sed -n 's/.*matched .* in \([0-9.]*\) ms (\([0-9.]*\) ms CPU.*/\1 \2/p'
done > "$out/match"
match_ms=$(cut -d' ' -f1 "$out/match" | median); match_cpu=$(cut -d' ' -f2 "$out/match" | median)
found=$("$d" scan --db "$out/vuln.db" -o json "sbom:$sbom" | python3 -c "import json,sys; print(json.load(sys.stdin)['total']['all'])" || true)
printf '%-44s %7s %7s %8s\n' "scan sbom:FILE ($n packages, $found findings)" "wall s" "CPU s" "peak RSS"
printf '%-44s %7s %7s %5s MB\n' "distill scan (whole process)" "$s" "$cpu" $((rss / 1024))
printf 'matching %s packages after the DB is open: %s ms wall, %s ms CPU (goal < 50 ms); peak RSS goal < 100 MB\n' \
  "$n" "$match_ms" "$match_cpu"
for peer in grype trivy; do
  command -v "$peer" >/dev/null || { echo "$peer: not installed (no offline copy): no comparison"; continue; }
  case $peer in
    grype) read -r ps prss pcpu < <(measure grype "sbom:$sbom" -o json) ;;
    trivy) read -r ps prss pcpu < <(measure trivy sbom --offline-scan --skip-db-update -f json "$sbom") ;;
  esac
  printf '%-44s %7s %7s %5s MB\n' "$peer (whole process, own DB)" "$ps" "$pcpu" $((prss / 1024))
done

# 3. db update of every built-in source from a local HTTP server, and a first-run scan.
source bench/vuln_feeds.sh
feeds=$out/feeds home=$out/home
make_feeds "$feeds" "$data" "$fixtures"
port=$(free_port)
start_feed_server "$feeds" "$port" "$out/requests.log"; server=$feed_server_pid
trap 'kill $server 2>/dev/null; [[ -z ${reg_pid:-} ]] || kill "$reg_pid" 2>/dev/null; rm -rf "$out"' EXIT
envh=(env -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u DISTILL_DB_REPOSITORY HOME="$home")
write_sources_config "$d" "$home" "$port"
n_sources=$(grep -c '  - url:' "$home/.config/distill/vuln-sources.yaml")
measure_settled() {  # SETTLE CMD...: as measure, SETTLE (a shell command) run before each run, untimed
  local settle_cmd=$1 times=() cpus=() rss=0 tmp; shift
  for _ in $(seq "$runs"); do
    bash -c "$settle_cmd"
    tmp=$(mktemp)
    /usr/bin/time -f '%e %M %U %S' -o "$tmp" "$@" >/dev/null 2>"$out/stderr" || {
      local rc=$?; ((rc == 1)) || { echo "failed ($rc): $*" >&2; cat "$out/stderr" "$tmp" >&2; exit 1; }; }
    local e m u s; read -r e m u s < <(tail -1 "$tmp"); rm -f "$tmp"
    times+=("$e"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')"); ((m > rss)) && rss=$m
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $rss $(printf '%s\n' "${cpus[@]}" | median)"
}
update_row() {  # label, settle
  read -r s rss cpu < <(measure_settled "$2" "${envh[@]}" "$d" db update -q)
  local n; n=$(rows_of "$home/.cache/distill/vuln.db")
  printf '%-44s %7s %7s %9.0f %7s %10.0f %5s MB\n' "$1" "$n" "$s" "$(awk -v n="$n" -v s="$s" 'BEGIN {print n / s}')" \
    "$cpu" "$(awk -v n="$n" -v s="$cpu" 'BEGIN {print n / s}')" $((rss / 1024))
}
printf '%-44s %7s %7s %9s %7s %10s %8s\n' "db update ($n_sources built-in sources, local HTTP)" "rows" "wall s" "rows/s" "CPU s" "rows/CPU-s" "peak RSS"
update_row "first download (no cache)" "rm -rf '$home/.cache/distill/downloads'"
update_row "every feed 304 (ETag)" true
echo "goal: db update >= 250,000 affected rows/s"

image=${DISTILL_BENCH_IMAGE:-docker-archive:${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}/pyflask.docker.tar}
if [[ -n ${DISTILL_BENCH_DB_REPOSITORY:-} ]]; then
  first=(env DISTILL_DB_REPOSITORY="$DISTILL_BENCH_DB_REPOSITORY"); what="pull + scan"
else
  first=(env); what="build from the local feeds + scan"
fi
read -r fs frss fcpu < <(measure_settled "rm -rf '$home/.cache/distill'" "${envh[@]}" "${first[@]}" "$d" scan -q "$image")
"${envh[@]}" "${first[@]}" "$d" scan -q "$image" >/dev/null
read -r ws wrss wcpu < <(measure "${envh[@]}" "$d" scan -q "$image")
printf '%-44s %7s %7s %8s\n' "scan ${image##*/}" "wall s" "CPU s" "peak RSS"
printf '%-44s %7s %7s %5s MB\n' "first run ($what)" "$fs" "$fcpu" $((frss / 1024))
printf '%-44s %7s %7s %5s MB\n' "warm (database up to date)" "$ws" "$wcpu" $((wrss / 1024))
printf 'first run / warm: %s\n' "$(awk -v a="$fs" -v b="$ws" 'BEGIN {printf "%.1f", a / b}')"

# 4. The database as an OCI artifact: push once, then pull (download, verify, decompress, install
#    with fsync + rename) against skopeo copying the same artifact into an OCI layout (download and
#    verify only), alternating run for run; each run starts without the previous one's output.
if ! command -v docker-registry >/dev/null || ! command -v skopeo >/dev/null; then
  echo "db pull: docker-registry or skopeo not installed: skipped"
  exit 0
fi
port=$(free_port)
start_registry "$out/registry" "$port"
reg_pid=$registry_pid
ref=127.0.0.1:$port/distill/vuln-db:bench
push_t=$( { /usr/bin/time -f '%e %M' "$d" db push -q --db "$out/vuln.db" "$ref" >/dev/null; } 2>&1 | tail -1)
layer=$(skopeo inspect --raw --tls-verify=false "docker://$ref" | python3 -c "import json,sys; print(json.load(sys.stdin)['layers'][0]['size'])")
printf 'db push: %s MB database -> %s MB zstd layer in %s s (peak RSS %s MB)\n' "$(du -m "$out/vuln.db" | cut -f1)" \
  "$((layer / 1000000))" "${push_t% *}" "$((${push_t#* } / 1024))"
settle="rm -rf '$out/pulled' '$out/skopeo'"
{ read -r ps prss pcpu; read -r ks krss kcpu; } < <(measure_pair "$d" db pull -q --db "$out/pulled/vuln.db" "$ref" -- \
  skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$out/skopeo:db")
unset settle
printf '%-44s %7s %7s %8s\n' "pull of the database artifact (medians)" "wall s" "CPU s" "peak RSS"
printf '%-44s %7s %7s %5s MB\n' "distill db pull (+ decompress, install)" "$ps" "$pcpu" $((prss / 1024))
printf '%-44s %7s %7s %5s MB\n' "skopeo copy docker:// oci: (same artifact)" "$ks" "$kcpu" $((krss / 1024))
printf 'db pull / skopeo copy: %.2fx wall (goal <= 1.5x)\n' "$(awk -v a="$ps" -v b="$ks" 'BEGIN {print a / b}')"
# A first run of scan that pulls the database from that repository (fresh HOME, no database).
read -r fs frss fcpu < <(measure_settled "rm -rf '$home/.cache/distill'" "${envh[@]}" DISTILL_DB_REPOSITORY="$ref" "$d" scan -q "$image")
printf '%-44s %7s %7s %5s MB\n' "first-run scan of pyflask (pull + scan)" "$fs" "$fcpu" $((frss / 1024))
