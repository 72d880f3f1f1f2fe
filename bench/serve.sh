#!/bin/bash
# bench/serve.sh — `distill serve` scanning a registry (issue #25): N images (default 200: the
# test image minbase, ~90 Debian packages, as a shared base plus one small layer of its own each,
# made by bench/serve_images.py) pushed by `distill push` to a local docker-registry; a private
# PostgreSQL 15 cluster (socket only); one `distill serve` process with 1, then 2 scanning threads
# on this machine's cores; every image sent as a Harbor scan request at once and polled until its
# report is ready (bench/serve_load.py). Prints images/min, p50/p99 time to report and the server's
# peak RSS, with the anchors of the research note beside them.
# Goals: >= 1,000 images/min; peak RSS < 100 MB per worker. Not run by CI (a benchmark, not a test).
# Env: N (images), DISTILL_TEST_IMAGES (the minbase OCI layout), DISTILL_BENCH_DB (a vulnerability
# database; default: the repository's OSV and Debian tracker fixtures imported).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
n=${N:-200}
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
[[ -x build/distill ]] || scripts/build.sh >/dev/null
d=$PWD/build/distill
pgbin=/usr/lib/postgresql/15/bin
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
waitport() { for _ in $(seq 200); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

# PostgreSQL: a private cluster, socket only.
mkdir -p "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg/data" -w -l "$work/pg/log" \
  -o "-c listen_addresses='' -k $work/pg -p 55439" start >/dev/null
psql() { runuser -u postgres -- /usr/bin/psql -h "$work/pg" -p 55439 -U postgres -qAt "$@"; }

# The registry, plain HTTP, anonymous.
rport=$(free_port)
start_registry "$work/registry" "$rport"
pids+=("$registry_pid")

echo "making and pushing $n images..." >&2
python3 bench/serve_images.py "$images/oci" minbase "$work/layout" "$n" > "$work/digests"
for i in $(seq 0 $((n - 1))); do
  "$d" -q --insecure-registry "127.0.0.1:$rport" push "oci-dir:$work/layout:img-$i" \
    "127.0.0.1:$rport/bench/img-$i:1" >/dev/null
done

db=${DISTILL_BENCH_DB:-}
if [[ -z $db ]]; then
  db=$work/vuln.db
  "$d" db import -q --db "$db" tests/fixtures/vuln/osv \
    tests/fixtures/vuln/vunnel/debian/test-fixtures/input/debian.json >/dev/null
fi

printf '%s images, %s cores, load %s\n' "$n" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %9s %9s %9s\n' "" "images/min" "p50 s" "p99 s" "peak RSS"
for workers in 1 2; do
  psql -c "create database run$workers"
  port=$(free_port)
  "$d" -q serve --listen "127.0.0.1:$port" --postgres "host=$work/pg port=55439 user=postgres dbname=run$workers" \
    --db "$db" --workers "$workers" > "$work/serve$workers.log" 2>&1 &
  spid=$!
  pids+=($spid)
  waitport "$port"
  result=$(python3 bench/serve_load.py "http://127.0.0.1:$port" "http://127.0.0.1:$rport" bench/img "$work/digests")
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$spid/status")
  kill "$spid"; wait "$spid" || true
  python3 -c "import json,sys; r=json.loads(sys.argv[1]); print('%-34s %10s %9s %9s %6s MB%s' % (
    'distill serve, %s worker thread(s)' % sys.argv[2], r['images_per_min'], r['p50_s'], r['p99_s'],
    sys.argv[3], '' if r['failed'] == 0 else '  (%d FAILED)' % r['failed']))" "$result" "$workers" "$rss"
done
echo "anchors (research note, scale-out.md §3): Harbor + Trivy 33-139 images/min; trivy up to 4.9 GB RSS per scan"
echo "goals: >= 1,000 images/min; peak RSS < 100 MB per worker"
