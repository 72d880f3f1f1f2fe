# bench/vuln_feeds.sh — sourced (after bench/lib.sh) by bench/scan.sh and bench/db-identical.sh: every built-in source
# of `distill db update` (src/vuln/importers/sources.cc) served from a local HTTP server
# (src/testing/feed_server.py, ETag / Last-Modified) at its real URL path. The generated scale set
# (bench/gen_vulndata.py) stands in where it has that kind of feed (the tracker, PyPI, npm and Go,
# every Alpine branch's main), the fixtures' records for the rest.

# make_feeds DIR DATA FIXTURES: the feed tree.
make_feeds() {
  python3 - "$1" "$2" "$3" <<'PY'
import glob, os, shutil, sys, zipfile
feeds, data, fix = sys.argv[1:]
def put(path, src):
    dst = os.path.join(feeds, path)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)
def osv_zip(path, files):
    dst = os.path.join(feeds, path)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, os.path.basename(f))
put("tracker/data/json", f"{data}/tracker.json")
for eco in ("PyPI", "npm", "Go"):
    put(f"{eco}/all.zip", f"{data}/osv-{eco}.zip")
for branch in ("v3.20", "v3.21", "v3.22", "v3.23", "edge"):
    put(f"{branch}/main.json", f"{data}/secdb-alpine.json")
    put(f"{branch}/community.json", f"{fix}/alpine/secdb-2020/v3.11/community.yaml")
put("os/security.json", f"{fix}/vunnel/chainguard/test-fixtures/input/secdb/security.json")
put("chainguard/security.json", f"{fix}/vunnel/chainguard/test-fixtures/input/secdb/security.json")
ghsa = sorted(glob.glob(f"{fix}/osv/*.json"))
cg = sorted(glob.glob(f"{fix}/vunnel/chainguard/test-fixtures/input/osv/*.json"))
for eco in ("Ubuntu", "AlmaLinux", "Rocky Linux", "Red Hat", "Maven", "crates.io", "NuGet", "RubyGems", "Hex", "Pub"):
    osv_zip(f"{eco}/all.zip", ghsa + cg)
PY
}

# start_feed_server DIR PORT LOG: serves DIR; sets feed_server_pid, returns once it answers.
start_feed_server() {
  python3 src/testing/feed_server.py "$1" "$2" "$3" &
  feed_server_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$2/" && return 0; sleep 0.05; done
  echo "feed server on port $2 did not start" >&2
  return 1
}

# write_sources_config DISTILL HOME PORT: HOME/.config/distill/vuln-sources.yaml naming every
# built-in source (DISTILL's list) at http://127.0.0.1:PORT/<its URL path>, with its format.
write_sources_config() {
  local d=$1 home=$2 port=$3 tmp
  mkdir -p "$home/.config/distill"
  tmp=$(mktemp)
  {
    echo "include-defaults: false"; echo "sources:"
    env -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u DISTILL_DB_REPOSITORY HOME="$home.none" \
      "$d" db sources -o json | python3 -c '
import json, sys, urllib.parse
port = sys.argv[1]
for s in json.load(sys.stdin)["sources"]:
    path, kind, eco = urllib.parse.urlsplit(s["url"]).path, s["format"], s["ecosystem"]
    print(f"  - url: http://127.0.0.1:{port}{path}")
    print(f"    format: {kind}")
    if kind == "secdb" and ":" not in eco:
        print(f"    ecosystem: {eco}")' "$port"
  } >"$tmp"
  mv "$tmp" "$home/.config/distill/vuln-sources.yaml"
}
