#!/usr/bin/env python3
"""Writes small valid seed inputs for the fuzz targets: fuzz/make_seeds.py OUTDIR.
layer/: plain, gzip layer tars with whiteouts, links, devices; archive/: a docker-archive and an
OCI layout tar of a one-layer image."""
import gzip, hashlib, io, json, os, sys, tarfile

out = sys.argv[1]

def tar_bytes(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, data in members:
            ti = tarfile.TarInfo(name)
            ti.mtime = 1700000000
            if kind == "dir": ti.type = tarfile.DIRTYPE; ti.mode = 0o755
            elif kind == "sym": ti.type = tarfile.SYMTYPE; ti.linkname = data
            elif kind == "hard": ti.type = tarfile.LNKTYPE; ti.linkname = data
            elif kind == "chr": ti.type = tarfile.CHRTYPE; ti.devmajor, ti.devminor = 1, 3
            else: ti.size = len(data)
            t.addfile(ti, io.BytesIO(data) if kind == "file" else None)
    return buf.getvalue()

layer = tar_bytes([("etc", "dir", b""), ("etc/os-release", "file", b"ID=debian\n"), ("bin", "sym", "usr/bin"),
                   ("etc/h", "hard", "etc/os-release"), ("dev/null", "chr", b""), ("etc/.wh.motd", "file", b""),
                   ("var/.wh..wh..opq", "file", b"")])
os.makedirs(f"{out}/layer", exist_ok=True)
open(f"{out}/layer/plain.tar", "wb").write(layer)
open(f"{out}/layer/layer.tar.gz", "wb").write(gzip.compress(layer, mtime=0))

def sha(b): return "sha256:" + hashlib.sha256(b).hexdigest()
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "65532"},
                  "rootfs": {"type": "layers", "diff_ids": [sha(layer)]}, "history": [{"created_by": "x"}]}).encode()
os.makedirs(f"{out}/archive", exist_ok=True)
docker = tar_bytes([("manifest.json", "file", json.dumps([{"Config": hashlib.sha256(cfg).hexdigest() + ".json",
                    "RepoTags": ["t:latest"], "Layers": ["l/layer.tar"]}]).encode()),
                    (hashlib.sha256(cfg).hexdigest() + ".json", "file", cfg), ("l/layer.tar", "file", layer)])
open(f"{out}/archive/docker.tar", "wb").write(docker)
gz = gzip.compress(layer, mtime=0)
man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(cfg), "size": len(cfg)},
                  "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha(gz), "size": len(gz)}]}).encode()
idx = json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "digest": sha(man), "size": len(man), "annotations": {"org.opencontainers.image.ref.name": "t"}}]}).encode()
oci = tar_bytes([("oci-layout", "file", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", "file", idx)] +
                [("blobs/sha256/" + sha(b)[7:], "file", b) for b in (cfg, gz, man)])
open(f"{out}/archive/oci.tar", "wb").write(oci)


def lang_seeds():
    """lang_fuzz: a Go build info blob in an ELF-less buffer, a zip with a pom.properties, lock files."""
    os.makedirs(f"{out}/lang", exist_ok=True)
    mod = b"path\tex.com/a\nmod\tex.com/a\t(devel)\t\ndep\tex.com/b\tv1.0.0\th1:x=\n=>\t../b\t\t\nbuild\tGOARCH=amd64\n"
    framed = b"S" * 16 + mod + b"E" * 16
    hdr = b"\xff Go buildinf:\x08\x02" + b"\0" * 16
    open(f"{out}/lang/go.bin", "wb").write(b"\0" * 16 + hdr + bytes([8]) + b"go1.19.8" + bytes([len(framed)]) + framed)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Version: 1.0\n")
        z.writestr("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1.0\n")
    open(f"{out}/lang/a.jar", "wb").write(buf.getvalue())
    open(f"{out}/lang/package-lock.json", "w").write('{"lockfileVersion":3,"packages":{"":{"name":"r"},"node_modules/x":{"version":"1"}}}')
    open(f"{out}/lang/METADATA", "w").write("Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.2\nRequires-Dist: click\n")


import zipfile  # noqa: E402
lang_seeds()
