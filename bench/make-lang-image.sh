#!/bin/bash
# make-lang-image.sh OUT.docker.tar — a docker-archive with many language packages, for
# bench/sbom.sh: a node_modules tree of >= 1,000 packages from npm (react-scripts, express,
# typescript, installed with --ignore-scripts) plus the jars of the host's /usr/share/java
# (Debian's maven and its libraries), in one layer under /app. No base OS: the language
# catalogers are what is measured.
set -euo pipefail
out=${1:?usage: make-lang-image.sh OUT.docker.tar}
[[ -s $out ]] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rootfs/app/lib"
npm install -s --no-audit --no-fund --ignore-scripts --prefix "$tmp/rootfs/app" \
  --legacy-peer-deps react-scripts@5.0.1 express@4.19.2 typescript@4.9.5 >/dev/null
for j in /usr/share/java/*.jar; do [[ -L $j ]] || cp "$j" "$tmp/rootfs/app/lib/"; done
n=$(find "$tmp/rootfs/app/node_modules" -name package.json -path '*/node_modules/*/package.json' | wc -l)
echo "node_modules package.json files: $n; jars: $(ls "$tmp/rootfs/app/lib" | wc -l)" >&2
python3 - "$tmp/rootfs" "$out" <<'PY'
import hashlib, json, os, sys, tarfile, io
root, out = sys.argv[1], sys.argv[2]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            p = os.path.join(dirpath, name)
            info = t.gettarinfo(p, os.path.relpath(p, root))
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            if info.isreg():
                with open(p, "rb") as f: t.addfile(info, f)
            elif not info.isdir() or True:
                t.addfile(info)
data = layer.getvalue()
diff = "sha256:" + hashlib.sha256(data).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                     "rootfs": {"type": "layers", "diff_ids": [diff]}}).encode()
cfg = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": cfg, "RepoTags": ["distill-bench/lang:latest"], "Layers": ["layer.tar"]}]).encode()
with tarfile.open(out + ".tmp", "w") as t:
    for name, blob in (("layer.tar", data), (cfg, config), ("manifest.json", manifest)):
        i = tarfile.TarInfo(name); i.size = len(blob); t.addfile(i, io.BytesIO(blob))
os.replace(out + ".tmp", out)
PY
