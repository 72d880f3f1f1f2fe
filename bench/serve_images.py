#!/usr/bin/env python3
"""bench/serve_images.py SRC_LAYOUT TAG OUT_LAYOUT N: N images in one OCI layout (ref names img-0
... img-N-1), each the image SRC_LAYOUT:TAG (its layers shared) plus one small layer of its own
holding etc/bench-id. Deterministic: the same N gives the same bytes."""
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile

src, tag, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def blob(path_root, digest):
    return os.path.join(path_root, "blobs", "sha256", digest.split(":", 1)[1])


def put(data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(blob(out, digest), "wb") as f:
        f.write(data)
    return digest


index = json.load(open(os.path.join(src, "index.json")))
desc = next(m for m in index["manifests"]
            if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag)
manifest = json.load(open(blob(src, desc["digest"])))
config = json.load(open(blob(src, manifest["config"]["digest"])))
shutil.rmtree(out, ignore_errors=True)
os.makedirs(os.path.join(out, "blobs", "sha256"))
with open(os.path.join(out, "oci-layout"), "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
for layer in manifest["layers"]:
    shutil.copyfile(blob(src, layer["digest"]), blob(out, layer["digest"]))
entries = []
for i in range(n):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        data = f"{i}\n".encode()
        info = tarfile.TarInfo("etc/bench-id")
        info.size, info.mtime, info.mode = len(data), 0, 0o644
        t.addfile(info, io.BytesIO(data))
    tar = raw.getvalue()
    gz = gzip.compress(tar, mtime=0)
    layer_digest = put(gz)
    c = json.loads(json.dumps(config))
    c["rootfs"]["diff_ids"].append("sha256:" + hashlib.sha256(tar).hexdigest())
    c.setdefault("history", []).append({"created_by": f"bench layer {i}"})
    cbytes = json.dumps(c, separators=(",", ":")).encode()
    m = json.loads(json.dumps(manifest))
    m["config"] = {"mediaType": manifest["config"]["mediaType"], "digest": put(cbytes),
                   "size": len(cbytes)}
    m["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": layer_digest, "size": len(gz)})
    mbytes = json.dumps(m, separators=(",", ":")).encode()
    entries.append({"mediaType": m.get("mediaType", "application/vnd.oci.image.manifest.v1+json"),
                    "digest": put(mbytes), "size": len(mbytes),
                    "annotations": {"org.opencontainers.image.ref.name": f"img-{i}"}})
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": entries}, f)
for e in entries:
    print(e["digest"])
