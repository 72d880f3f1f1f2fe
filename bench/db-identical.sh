#!/bin/bash
# bench/db-identical.sh OLD_DISTILL [NEW_DISTILL] — checks that two builds of distill write the
# same vulnerability database from the same inputs, row for row: a speed change to the importers
# must not change a single row. Each binary, with the same SOURCE_DATE_EPOCH:
#   1. `db update` of every built-in source from a local HTTP server (bench/vuln_feeds.sh: the
#      generated scale set of bench/gen_vulndata.py and the fixtures, as bench/scan.sh part 3);
#   2. `db import --fresh` of everything bench/scan.sh part 1 imports, then Wolfi's advisories;
#   3. `db import --fresh` of each fixture OSV record, zip and directory on its own.
# Every table is dumped (the schema, then each table's rows with their rowid, in rowid order, so
# row order counts too) and the dumps are compared; the first differences are printed. NEW_DISTILL
# defaults to build/distill; OLD_DISTILL is typically a build of main. Exit 0: identical.
set -euo pipefail
cd "$(dirname "$0")/.."
(($# >= 1)) || { echo "usage: $0 OLD_DISTILL [NEW_DISTILL]" >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "${2:-build/distill}")
fixtures=${DISTILL_VULN_FIXTURES:-$PWD/../shared/fixtures/vuln}
[[ -d $fixtures ]] || fixtures=/work/shared/fixtures/vuln
[[ -d $fixtures ]] || fixtures=$PWD/tests/fixtures/vuln
data=${DISTILL_BENCH_DATA:-/var/cache/distill/bench-scan}
source bench/lib.sh
source bench/vuln_feeds.sh
out=$(mktemp -d)
trap '[[ -z ${feed_server_pid:-} ]] || kill "$feed_server_pid" 2>/dev/null; rm -rf "$out"' EXIT
if [[ ! -f $data/rows.txt ]]; then
  echo "generating the scale set in $data (a few minutes, once)" >&2
  mkdir -p "$data"
  python3 bench/gen_vulndata.py "$fixtures" "$data"
fi
make_feeds "$out/feeds" "$data" "$fixtures"
port=$(free_port)
start_feed_server "$out/feeds" "$port" "$out/requests.log"

dump() {  # dump DB: the schema, then every table's rows in rowid order
  local db=$1 t
  sqlite3 -batch "$db" "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
  for t in $(sqlite3 -batch "$db" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
    echo "== $t"
    if [[ $(sqlite3 -batch "$db" "SELECT sql FROM sqlite_master WHERE name = '$t'") == *"WITHOUT ROWID"* ]]; then
      sqlite3 -batch -cmd '.mode quote' "$db" "SELECT * FROM $t ORDER BY 1"
    else
      sqlite3 -batch -cmd '.mode quote' "$db" "SELECT rowid, * FROM $t ORDER BY rowid"
    fi
  done
}

build_all() {  # build_all DISTILL DIR: every database of the comparison, into DIR
  local d=$1 dir=$2 home=$2/home f i=0
  mkdir -p "$dir"
  export SOURCE_DATE_EPOCH=1700000000
  write_sources_config "$d" "$home" "$port"
  env -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u DISTILL_DB_REPOSITORY HOME="$home" "$d" db update -q
  mv "$home/.cache/distill/vuln.db" "$dir/update.db"
  "$d" db import -q --fresh --db "$dir/everything.db" "$data/tracker.json" "$data"/osv-*.zip \
    "$data/secdb-alpine.json" "$fixtures/osv" "$fixtures/alpine" \
    "$fixtures/vunnel/debian/test-fixtures/input/debian.json" \
    "$fixtures/vunnel/chainguard/test-fixtures/input/osv" 2>/dev/null
  "$d" db import -q --db "$dir/everything.db" --ecosystem wolfi "$fixtures/wolfi" 2>/dev/null
  for f in "$fixtures"/osv/*.json "$fixtures"/vunnel/chainguard/test-fixtures/input/osv/*.json \
      "$out/feeds/Ubuntu/all.zip" "$fixtures/osv" "$fixtures/vunnel/chainguard/test-fixtures/input/osv"; do
    i=$((i + 1))
    "$d" db import -q --fresh --db "$dir/osv-$i.db" "$f" >/dev/null 2>&1 || echo "exit $?" >"$dir/osv-$i.exit"
  done
}

build_all "$old" "$out/old"
build_all "$new" "$out/new"
status=0 n=0
for db in "$out"/old/*.db; do
  name=${db##*/}
  n=$((n + 1))
  if ! cmp -s <(dump "$db") <(dump "$out/new/$name"); then
    echo "DIFFERENT: $name" >&2
    { diff <(dump "$db") <(dump "$out/new/$name") || true; } | head -20 >&2
    status=1
  fi
done
for e in "$out"/old/*.exit "$out"/new/*.exit; do
  [[ -e $e ]] || continue
  cmp -s "$out/old/${e##*/}" "$out/new/${e##*/}" 2>/dev/null || { echo "DIFFERENT exit status: ${e##*/}" >&2; status=1; }
done
rows=$(sqlite3 "$out/new/update.db" 'SELECT count(*) FROM affected')
if ((status == 0)); then
  echo "identical: $n databases ($rows affected rows in the db update one), every table, row for row"
fi
exit $status
