#!/bin/bash
# gen-link-order.sh — regenerate scripts/link-order.txt, the functions the common commands run,
# which the release link (lld --symbol-ordering-file, see CMakeLists.txt) places together at the
# start of .text. The kernel maps a binary's text in 64 KiB chunks (fault-around, large folios),
# so scattered hot code costs resident memory: on `distill sbom dir:` this grouping saves about
# 1 MB of peak RSS. The list only orders code: a stale or missing name changes no behaviour, only
# where a function lands. Run it after large changes (needs valgrind and the test images):
#   scripts/gen-link-order.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
d=$build/distill
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install -y valgrind" >&2; exit 2; }
[[ -x $d ]] || { echo "$d: build distill first (scripts/build.sh)" >&2; exit 2; }
scripts/make-test-images.sh "$images" >/dev/null
work=$(mktemp -d)
trap '[[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT

db=$work/vuln.db
"$d" db import -q --db "$db" tests/fixtures/vuln
n=0
profile() {  # one callgrind run of distill with these arguments
  n=$((n + 1))
  valgrind -q --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.$n" "$d" "$@" >/dev/null 2>"$work/log.$n" || echo "distill $*: exit $? (see $work/log.$n)" >&2
}
# Order matters: each run adds the functions not listed yet, so the densest group is the start-up
# code plus `sbom dir:` (bench/sbom.sh), writing to a file as CI does (AtomicFile, filebuf).
profile --version
profile sbom -q -o cyclonedx-json="$work/out.json" "dir:$images/rootfs-pyflask"
profile sbom --help
profile sbom -q -o spdx-json="$work/out.json" "docker-archive:$images/pyflask.docker.tar"
profile sbom -q "oci-dir:$images/oci:pyflask"
profile audit -q "dir:$images/rootfs-pyflask"
profile scan -q --db "$db" "dir:$images/rootfs-pyflask"
profile inspect "docker-archive:$images/minbase.docker.tar"

# Functions of the distill binary that ran (callgrind's compressed names: "fn=(id) name" defines
# an id, "fn=(id)" reuses it; "ob=" says which object the following functions belong to).
# Startup first, then each command's functions not listed yet (sorted within a command): a
# command's code stays together, and `sbom dir:` (bench/sbom.sh) is densest.
python3 - $(seq -f "$work/cg.%g" "$n") > scripts/link-order.txt <<'PY'
import re, sys
listed = set()
for path in sys.argv[1:]:
    seen = set()
    names, objs, ob = {}, {}, None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^(c?ob)=\((\d+)\)(?: (.*))?$", line)
        if m:
            if m.group(3): objs[m.group(2)] = m.group(3)
            if m.group(1) == "ob": ob = objs.get(m.group(2), "")
            continue
        m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line)
        if not m: continue
        if m.group(3): names[m.group(2)] = m.group(3)
        if m.group(1) == "fn" and ob and ob.endswith("/distill"):
            name = names.get(m.group(2), "").split("'")[0]
            if name and not name.startswith("0x") and " " not in name: seen.add(name)
    for name in sorted(seen - listed): print(name)
    listed |= seen
PY
echo "scripts/link-order.txt: $(wc -l < scripts/link-order.txt) functions" >&2
