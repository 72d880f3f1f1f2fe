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

def elf_seeds():
    """elf/: a dynamic x86-64 executable (PT_INTERP, DT_NEEDED, DT_RUNPATH, as the audit's
    testing/elf_builder.cc lays it out), a static one, and a file with a fake secret."""
    import struct
    def elf(interp, needed, runpath):
        base, phnum = 0x400000, 1 + bool(interp) + 1
        body = bytearray(64 + 56 * phnum)
        interp_off = len(body); body += interp + b"\0"
        strtab_off = len(body); strtab = bytearray(b"\0"); offs = []
        for n in needed: offs.append(len(strtab)); strtab += n + b"\0"
        rp = len(strtab); strtab += runpath + b"\0"
        body += strtab
        while len(body) % 8: body += b"\0"
        dyn_off = len(body)
        dyn = [(1, o) for o in offs] + [(5, base + strtab_off), (10, len(strtab)), (29, rp), (0, 0)]
        for t, v in dyn: body += struct.pack("<QQ", t, v)
        struct.pack_into("<4sBBB", body, 0, b"\x7fELF", 2, 1, 1)
        struct.pack_into("<HHIQQ", body, 0x10, 2, 62, 1, 0, 64)
        struct.pack_into("<HHH", body, 0x34, 64, 56, phnum)
        ph = [(1, 0, len(body))] + ([(3, interp_off, len(interp) + 1)] if interp else []) + [(2, dyn_off, len(dyn) * 16)]
        for i, (t, off, size) in enumerate(ph):
            struct.pack_into("<IIQQQQQQ", body, 64 + 56 * i, t, 5, off, base + off, base + off, size, size, 8)
        return bytes(body)
    os.makedirs(f"{out}/elf", exist_ok=True)
    open(f"{out}/elf/dynamic", "wb").write(elf(b"/lib64/ld-linux-x86-64.so.2", [b"libc.so.6", b"libssl.so.3"], b"$ORIGIN/../lib"))
    open(f"{out}/elf/static", "wb").write(elf(b"", [], b""))
    open(f"{out}/elf/config.json", "wb").write(b'{"auths": {"r": {"auth": "dXNlcjpwYXNz"}}}\nAKIAIOSFODNN7EXAMPLE\n')

elf_seeds()

def registry_seeds():
    """registry/: WWW-Authenticate challenges, image references, registry error bodies."""
    os.makedirs(f"{out}/registry", exist_ok=True)
    seeds = [
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
        'Basic realm="a \\"quoted\\" realm", charset=UTF-8, Bearer realm=https://t.example/x',
        "127.0.0.1:5000/team/app:1.2@sha256:" + "a" * 64,
        "debian:12",
        '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}',
        "YWxpY2U6c2VjcmV0",
    ]
    for i, s in enumerate(seeds):
        open(f"{out}/registry/seed{i}", "w").write(s)


registry_seeds()
def apt_packages_seeds():
    """apt_packages/: a Packages index, a Release, deb822 and one-line sources."""
    d = f"{out}/apt_packages"
    os.makedirs(d, exist_ok=True)
    sha = "0" * 64
    open(f"{d}/Packages", "w").write(
        f"Package: app\nVersion: 1:1.0-1\nArchitecture: amd64\nDepends: lib (>= 1) | other, awk:any [amd64]\n"
        f"Provides: app-virtual (= 1)\nConflicts: old\nBreaks: older (<< 2)\nFilename: pool/a.deb\nSize: 1\nSHA256: {sha}\n"
        f"Description: x\n more\n\nPackage: lib\nVersion: 1.2~rc1\nArchitecture: all\nMulti-Arch: foreign\n"
        f"Provides: awk\nFilename: pool/l.deb\nSize: 2\nSHA256: {sha}\n")
    open(f"{d}/Release", "w").write(
        f"Origin: Debian\nSuite: stable\nCodename: bookworm\nValid-Until: Sat, 11 Jul 2026 10:16:37 UTC\n"
        f"SHA256:\n {sha} 10 main/binary-amd64/Packages.xz\n")
    open(f"{d}/sources", "w").write(
        "Types: deb\n# c\nURIs: http://m.invalid/debian\nSuites: bookworm bookworm-updates\nComponents: main\n contrib\n")
    open(f"{d}/list", "w").write("deb [signed-by=/k.gpg trusted=yes] file:///srv/r bookworm main\n")

apt_packages_seeds()

def go117_elf(version, mod):
    """A sectionless ELF64 with build info as Go 1.13-1.17 linked it (golang/testing/build_info.h's
    PointerFormatElf): text segment = the strings; data segment = the 32-byte header pointing at
    the runtime.buildVersion and runtime.modinfo string variables {address, length} after it."""
    import struct
    base, text_off = 0x400000, 64 + 2 * 56
    text = version + mod
    data_off = (text_off + len(text) + 15) // 16 * 16
    data = b"\xff Go buildinf:\x08\x00" + struct.pack("<QQ", base + data_off + 32, base + data_off + 48)
    data += struct.pack("<QQQQ", base + text_off, len(version), base + text_off + len(version), len(mod))
    body = bytearray(text_off) + text
    body += b"\0" * (data_off - len(body)) + data
    struct.pack_into("<4sBBB", body, 0, b"\x7fELF", 2, 1, 1)
    struct.pack_into("<HHI", body, 0x10, 2, 62, 1)  # ET_EXEC, x86-64, EV_CURRENT
    struct.pack_into("<Q", body, 0x20, 64)
    struct.pack_into("<HHH", body, 0x34, 64, 56, 2)
    for i, (flags, off, size) in enumerate([(5, text_off, len(text)), (6, data_off, len(data))]):
        struct.pack_into("<IIQQQQQQ", body, 64 + 56 * i, 1, flags, off, base + off, base + off, size, size, 16)
    return bytes(body)

def lang_seeds():
    """lang_fuzz: a Go build info blob in an ELF-less buffer, a Go 1.17-layout ELF, a zip with a pom.properties, lock files."""
    os.makedirs(f"{out}/lang", exist_ok=True)
    mod = b"path\tex.com/a\nmod\tex.com/a\t(devel)\t\ndep\tex.com/b\tv1.0.0\th1:x=\n=>\t../b\t\t\nbuild\tGOARCH=amd64\n"
    framed = b"S" * 16 + mod + b"E" * 16
    hdr = b"\xff Go buildinf:\x08\x02" + b"\0" * 16
    open(f"{out}/lang/go.bin", "wb").write(b"\0" * 16 + hdr + bytes([8]) + b"go1.19.8" + bytes([len(framed)]) + framed)
    open(f"{out}/lang/go117.elf", "wb").write(go117_elf(b"go1.17.13", framed))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Version: 1.0\n")
        z.writestr("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1.0\n")
    open(f"{out}/lang/a.jar", "wb").write(buf.getvalue())
    open(f"{out}/lang/package-lock.json", "w").write('{"lockfileVersion":3,"packages":{"":{"name":"r"},"node_modules/x":{"version":"1"}}}')
    open(f"{out}/lang/METADATA", "w").write("Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.2\nRequires-Dist: click\n")


import zipfile  # noqa: E402
lang_seeds()
def deb_seeds():
    """deb/: a .deb (ar + control.tar.gz + data.tar.gz) with a file, a symlink and a hardlink."""
    d = f"{out}/deb"
    os.makedirs(d, exist_ok=True)
    def ar_member(name, data):
        hdr = f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode()
        return hdr + data + (b"\n" if len(data) % 2 else b"")
    control = tar_bytes([("./control", "file", b"Package: hello\nVersion: 1.0\nArchitecture: amd64\n"),
                         ("./md5sums", "file", b"00  usr/bin/hello\n")])
    data = tar_bytes([("./", "dir", b""), ("./usr/bin", "dir", b""), ("./usr/bin/hello", "file", b"ELF"),
                      ("./bin/hi", "sym", "/usr/bin/hello"), ("./usr/bin/hello2", "hard", "./usr/bin/hello"),
                      ("./usr/share/doc/hello/copyright", "file", b"(c)")])
    deb = b"!<arch>\n" + ar_member("debian-binary", b"2.0\n") + \
        ar_member("control.tar.gz", gzip.compress(control, mtime=0)) + ar_member("data.tar.gz", gzip.compress(data, mtime=0))
    open(f"{d}/hello.deb", "wb").write(deb)

deb_seeds()


def apk_seeds():
    """apk/: real APK v2 files from tests/fixtures/apk (an unsigned package, a signed one with a
    symlink, an RSA256-signed index, the index whose .SIGN is stored last) and an installed db."""
    os.makedirs(f"{out}/apk", exist_ok=True)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/fixtures/apk")
    for rel in ("apko-misc/hello-0.1.0-r0.apk", "wolfi/aarch64/wolfi-base-1-r1.apk",
                "apko-misc/rsa256-signed/APKINDEX.tar.gz", "apko-misc/odd/APKINDEX-sign-last.tar.gz"):
        open(f"{out}/apk/{os.path.basename(os.path.dirname(rel))}-{os.path.basename(rel)}", "wb").write(
            open(os.path.join(here, rel), "rb").read())
    open(f"{out}/apk/installed", "w").write(
        "C:Q1DNWZeWkviN7MJedLpYM8yBvmnGM=\nP:hello\nV:0.1.0-r0\nA:x86_64\nL:Apache-2.0\nD:busybox\n"
        "F:usr/bin\nR:hello\na:0:0:755\nZ:Q1nbbwdPygqQMTe5HHyGbrIdTnIFo=\n\n")

apk_seeds()


def scan_input_seeds():
    """scan_input/: first byte picks the parser: 0 SBOM input, 1 ignore file, 2 OpenVEX, 3 OSV zip."""
    import zipfile
    os.makedirs(f"{out}/scan_input", exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    sbom = open(os.path.join(here, "../tests/fixtures/scan/debian11.distill.json"), "rb").read()
    open(f"{out}/scan_input/distill.json", "wb").write(b"\0" + sbom)
    spdx = {"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-p", "name": "flask", "versionInfo": "2.1.2",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:pypi/flask@2.1.2"}]}]}
    open(f"{out}/scan_input/spdx.json", "wb").write(b"\0" + json.dumps(spdx).encode())
    ignore = b"ignore:\n  - id: CVE-2023-30861\n    package: flask\n    expires: 2030-01-01\n    reason: not reachable\n"
    open(f"{out}/scan_input/ignore.yaml", "wb").write(b"\1" + ignore)
    vex = {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a", "timestamp": "2024-01-01T00:00:00Z",
           "version": 1, "statements": [{"vulnerability": {"name": "CVE-2023-30861"}, "products": [{"@id": "pkg:pypi/flask@2.1.2"}],
                                         "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
    open(f"{out}/scan_input/vex.json", "wb").write(b"\2" + json.dumps(vex).encode())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("GHSA-m2qf-hxjv-5gpq.json", json.dumps({"id": "GHSA-m2qf-hxjv-5gpq", "modified": "2023-05-01T00:00:00Z"}))
        z.writestr("stored.json", "{}", compress_type=zipfile.ZIP_STORED)
    open(f"{out}/scan_input/osv.zip", "wb").write(b"\3" + buf.getvalue())

scan_input_seeds()

def pydeclared_seeds():
    """pydeclared_fuzz: a requirements.txt, a Pipfile.lock, a poetry.lock and a uv.lock."""
    os.makedirs(f"{out}/pydeclared", exist_ok=True)
    open(f"{out}/pydeclared/requirements.txt", "w").write(
        "flask == 4.0.0 # pinned\n-r other.txt\nargh==0.26.2 \\\n  --hash=sha256:a9b3\ncelery[redis] == 4.4.7 ; python_version < '3.8'\n")
    open(f"{out}/pydeclared/Pipfile.lock", "w").write(json.dumps(
        {"_meta": {"pipfile-spec": 6}, "default": {"flask": {"version": "==3.0.0"}}, "develop": {"pytest": {"version": "==7.4.3"}}}))
    open(f"{out}/pydeclared/poetry.lock", "w").write(
        '[[package]]\nname = "idna"\nversion = "3.6"\n\n[package.dependencies]\nx = ">=1"\n\n[metadata]\nlock-version = "2.0"\n')
    open(f"{out}/pydeclared/uv.lock", "w").write(
        'version = 1\n\n[[package]]\nname = "anyio"\nversion = "4.4.0"\nsource = { registry = "https://pypi.org/simple" }\n')

pydeclared_seeds()

def classifier_seeds():
    """classifier_fuzz: version strings in the shapes the classifiers look for."""
    os.makedirs(f"{out}/classifier", exist_ok=True)
    seeds = {"nul-version": b"x\0" + b"1.2.3\0" + b"\0\0go1.22.4\0",
             "mysqld": b"e_time\0-cluster-gpl\0" + b"5.7.33-ndb-7.6.17\0x86_64\0",
             "java": b"%s\0openjdk\0java\0" + b"0.0\0" + b"11.0.17+8-LTS\0-J-ms8m\0",
             "firefox": b"[App]\nVendor=Mozilla\nName=Firefox\nVersion=151.0\n",
             "envoy": b"ResourceErrors\0" + b"1.36.4\0. envoy_reloadable_features",
             "grafana": b"HEAD\0\0\0\0" + b"12.0.0\0\0$a"}
    for name, data in seeds.items():
        open(f"{out}/classifier/{name}", "wb").write(data)

classifier_seeds()


def cvss_seeds():
    """cvss/: CVSS v2, v3.1 and v4.0 vectors (base, threat, environmental, supplemental)."""
    os.makedirs(f"{out}/cvss", exist_ok=True)
    seeds = {
        "v2": "AV:N/AC:L/Au:N/C:P/I:P/A:P",
        "v31": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
        "v40": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "v40-bte": "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:M/IR:L/AR:H"
                   "/MAV:N/MSI:S/MSA:X/S:P/AU:Y/R:I/V:C/RE:H/U:Amber",
    }
    for name, v in seeds.items():
        open(f"{out}/cvss/{name}", "w").write(v)

cvss_seeds()

def manifest_seeds():
    """manifest/: "INDEX\n--\nMANIFEST\n--\nCONFIG" as manifest_fuzz reads it (digests unchecked)."""
    os.makedirs(f"{out}/manifest", exist_ok=True)
    d = "sha256:" + "a" * 64
    index = {"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d, "size": 2,
         "platform": {"os": "linux", "architecture": "amd64"}, "annotations": {"org.opencontainers.image.ref.name": "t"}}]}
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": d, "size": 2},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": 2}]}
    config = {"os": "linux", "architecture": "amd64", "created": "2024-01-01T00:00:00Z", "config": {"User": "1"},
              "rootfs": {"type": "layers", "diff_ids": [d]}, "history": [{"created_by": "x", "empty_layer": False}]}
    open(f"{out}/manifest/ok", "w").write("\n--\n".join(json.dumps(x) for x in (index, manifest, config)))
    manifest["mediaType"] = 5
    config["os"] = ["linux"]
    open(f"{out}/manifest/wrong_types", "w").write("\n--\n".join(json.dumps(x) for x in (index, manifest, config)))

manifest_seeds()

def dbartifact_seeds():
    """dbartifact/: a database artifact manifest (byte 0) and an export's manifest.json (byte 1),
    as db push and db export write them (src/vuln/db/artifact.h, bundle.h)."""
    os.makedirs(f"{out}/dbartifact", exist_ok=True)
    d = "sha256:" + "a" * 64
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "artifactType": "application/vnd.distill.vuln-db",
                "config": {"mediaType": "application/vnd.oci.empty.v1+json",
                           "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2},
                "layers": [{"mediaType": "application/vnd.distill.vuln-db.v2.sqlite+zstd", "digest": d, "size": 9}],
                "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z",
                                "dev.distill.db.schema-version": "2", "dev.distill.db.built-at": "2024-01-01T00:00:00Z",
                                "dev.distill.db.sources-digest": d, "dev.distill.db.size": "4096"}}
    open(f"{out}/dbartifact/artifact", "wb").write(b"\0" + json.dumps(manifest).encode())
    export = {"mediaType": "application/vnd.distill.vuln-db.export.v1+json", "schemaVersion": 2,
              "builtAt": "2024-01-01T00:00:00Z", "sourcesDigest": d, "size": 4096, "digest": d}
    open(f"{out}/dbartifact/export", "wb").write(b"\1" + json.dumps(export).encode())

dbartifact_seeds()

def codec_seeds():
    """codec/: one database column each, after a byte naming its kind (0 strings, 1 ranges,
    2 severities, 3 references; doc/vuln-db.md gives the column formats)."""
    os.makedirs(f"{out}/codec", exist_ok=True)
    cols = {
        "strings": "\x00" + '["CVE-2023-30861","GHSA-m2qf-hxjv-5gpq"]',
        "ranges": "\x01" + '[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.2.5"}]}]',
        "severities": "\x02" + '[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}]',
        "references": "\x03" + '[["ADVISORY","https://nvd.nist.gov/vuln/detail/CVE-2022-25883"],'
                      '["WEB","https://github.com/npm/node-semver/pull/564",41,"85"]]',
    }
    for name, col in cols.items():
        open(f"{out}/codec/{name}", "w").write(col)

codec_seeds()

def config_seeds():
    """config/: first byte picks the parser: 0 zstd chisel manifest, 1 jsonwall text, 2 build spec,
    3 audit policy, 4 Docker config.json, 5 vulnerability sources config, 6 apko.yaml, 7 apk installed DB."""
    import subprocess
    os.makedirs(f"{out}/config", exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    wall = open(os.path.join(here, "../tests/fixtures/sbom/chisel/manifest.jsonwall"), "rb").read()
    zst = subprocess.run(["zstd", "-q", "-c"], input=wall, stdout=subprocess.PIPE, check=True).stdout
    open(f"{out}/config/chisel.wall.zst", "wb").write(b"\0" + zst)
    open(f"{out}/config/chisel.jsonwall", "wb").write(b"\1" + wall)
    spec = (b"packages: [base-files, media-types, netbase, tzdata]\nresolve: false\nca-bundle: true\n"
            b"files:\n  - {src: ./bin/server, dst: /server, mode: \"0755\"}\naccounts: {run-as: nonroot}\n"
            b"entrypoint: [/server]\nlayers: {max: 3}\nenv: {A: b}\nlabels: {x: y}\n")
    open(f"{out}/config/spec.yaml", "wb").write(b"\2" + spec)
    policy = (b"runtime: [python3]\nallow:\n  - rule: secret-private-key\n    path: etc/ssl/private/test-*.pem\n"
              b"    package: \"\"\n    reason: test fixture\n  - hygiene-*\ndeny:\n  - rule: interpreter\n"
              b"    package: perl*\n    severity: critical\n")
    open(f"{out}/config/policy.yaml", "wb").write(b"\3" + policy)
    docker = {"auths": {"127.0.0.1:5000": {"auth": "dXNlcjpwYXNz"}, "https://index.docker.io/v1/": {"username": "u", "password": "p"}},
              "credHelpers": {"ghcr.io": "none"}, "credsStore": "none"}
    open(f"{out}/config/docker-config.json", "wb").write(b"\4" + json.dumps(docker).encode())
    sources = (b"include-defaults: false\ndb-repository: 127.0.0.1:5000/distill/vulndb:2\nsources:\n"
               b"  - https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip\n"
               b"  - url: https://packages.wolfi.dev/os/security.json\n    format: secdb\n    ecosystem: wolfi\n")
    open(f"{out}/config/vuln-sources.yaml", "wb").write(b"\5" + sources)
    apko = (b"contents:\n  repositories: ['@local ./repo', https://packages.wolfi.dev/os]\n"
            b"  keyring: [./melange.rsa.pub]\n  packages: [wolfi-base, 'hello@local']\n"
            b"accounts:\n  run-as: app\n  users: [{username: app, uid: 65532}]\n  groups: [{groupname: app, gid: 65532}]\n"
            b"paths:\n  - {path: /data, type: directory, uid: 65532, permissions: 0o755, recursive: true}\n"
            b"  - {path: /bin/x, type: symlink, source: /usr/bin/x}\n"
            b"entrypoint: {command: /bin/sh -l}\ncmd: -c 'echo hi'\nwork-dir: /data\nenvironment: {A: b}\n"
            b"archs: [x86_64, aarch64]\nannotations: {a: b}\n")
    open(f"{out}/config/apko.yaml", "wb").write(b"\6" + apko)
    installed = open(os.path.join(here, "../tests/fixtures/apk/apko-installed/wolfi-base"), "rb").read()
    open(f"{out}/config/apk-installed", "wb").write(b"\7" + installed)

config_seeds()


def engine_seeds():
    """engine/: a podman-ordered `docker save` stream (layers first, legacy links, manifest.json
    last), an engine's error bodies and its /images/load answers; the first byte picks the reader."""
    os.makedirs(f"{out}/engine", exist_ok=True)
    hexid = sha(layer)[7:]
    cfgname = hashlib.sha256(cfg).hexdigest() + ".json"
    stream = tar_bytes([(hexid + ".tar", "file", layer), ("id/layer.tar", "sym", "../" + hexid + ".tar"),
                        (cfgname, "file", cfg), ("manifest.json", "file", json.dumps([{"Config": cfgname,
                        "RepoTags": ["docker.io/t/app:latest"], "Layers": [hexid + ".tar"]}]).encode()),
                        ("repositories", "file", b'{"t/app":{"latest":"id"}}')])
    open(f"{out}/engine/podman-stream", "wb").write(b"\0" + stream)
    open(f"{out}/engine/error-body", "wb").write(b"\1" + b'{"cause":"image not known","message":"no such image","response":404}')
    open(f"{out}/engine/load-answer", "wb").write(b"\2" + b'{"stream":"Loaded image: app:1\\n"}\n{"errorDetail":{"message":"x"},"error":"x"}\n')

engine_seeds()

def apk_index_seeds():
    """apk_index/: a world line, then an APKINDEX text (provides, install_if, conflicts, tags)."""
    os.makedirs(f"{out}/apk_index", exist_ok=True)
    index = (b"C:Q1EyN5AdpAOBJWKMR89pp/C66o+OE=\nP:app\nV:1.0-r0\nA:x86_64\nS:10\nI:20\nk:1\n"
             b"D:so:libc.musl-x86_64.so.1 !old /bin/sh\np:cmd:app=1.0-r0\n\n"
             b"P:musl\nV:1.2.3-r2\np:so:libc.musl-x86_64.so.1=1\n\n"
             b"P:busybox\nV:1.35.0-r17\np:/bin/sh cmd:sh=1.35.0-r17\nk:100\n\n"
             b"P:app-doc\nV:1.0-r0\nD:app\ni:app docs !nodocs\n")
    open(f"{out}/apk_index/world-and-index", "wb").write(b"app>=1 docs@edge !old busybox~1.35\n" + index)

apk_index_seeds()

def apk_pack_seeds():
    """apk/: also an unsigned APK v2 package as `distill apk pack` writes it: control member
    (.PKGINFO, tar without end blocks), data member (a file with its pax SHA-1 record)."""
    os.makedirs(f"{out}/apk", exist_ok=True)
    data = tar_bytes([("etc", "dir", b""), ("etc/motd", "file", b"hi\n")])
    data_gz = gzip.compress(data, mtime=0)
    info = ("pkgname = motd\npkgver = 1.0-r0\narch = x86_64\nsize = 3\norigin = motd\npkgdesc = \nurl = \n"
            "commit = \ndepend = busybox\nprovides = cmd:motd=1.0-r0\ndatahash = %s\n"
            % hashlib.sha256(data_gz).hexdigest()).encode()
    control = tar_bytes([(".PKGINFO", "file", info)])
    while control.endswith(bytes(512)):
        control = control[:-512]  # a fragment: no end blocks
    open(f"{out}/apk/pack-motd.apk", "wb").write(gzip.compress(control, mtime=0) + data_gz)

apk_pack_seeds()

def apk_lock_seeds():
    """apk_lock/: apko's own apko.lock.json (tests/fixtures/apk/apko-e2e) and the same packages in
    distill.lock's format (a comment, a blank line, an unlocked datahash, an unknown size)."""
    os.makedirs(f"{out}/apk_lock", exist_ok=True)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/fixtures/apk")
    apko = open(os.path.join(here, "apko-e2e/apko.lock.json"), "rb").read()
    open(f"{out}/apk_lock/apko.lock.json", "wb").write(apko)
    open(f"{out}/apk_lock/distill.lock", "w").write(
        "# distill.lock v1 apk\n# made by hand\n\n"
        "pretend-baselayout 1.0.0-r0 x86_64 Q1m6wB0UFePGN8Drz82pC8y2uAiu8= "
        "72405aa6c68cbb910e6ff7b8122d6cda5ffe7593046a61e15266a827cc9e6708 2930 "
        "./packages/x86_64/pretend-baselayout-1.0.0-r0.apk\n"
        "replayout 1.0.0-r0 x86_64 Q11/HhSewwwOXgl0r0ffb0O0BRtYc= - 0 "
        "https://example.invalid/os/x86_64/replayout-1.0.0-r0.apk\n")

apk_lock_seeds()

def serve_scan_request_seeds():
    """serve_scan_request/: byte 0 even: a ScanRequest body as Harbor 2.11 sends it, one without
    enabled_capabilities, one Harbor 2.x sent before SBOMs; byte 0 odd: the header case,
    "Content-Type\\nAccept\\nsbom_media_type"."""
    os.makedirs(f"{out}/serve_scan_request", exist_ok=True)
    digest = "sha256:" + "ab" * 32
    base = {"registry": {"url": "http://core:8080", "authorization": "Basic cm9ib3Q6c2VjcmV0"},
            "artifact": {"repository": "library/mongo", "digest": digest, "tag": "3.14-xenial",
                         "mime_type": "application/vnd.docker.distribution.manifest.v2+json"}}
    both = dict(base, enabled_capabilities=[
        {"type": "vulnerability",
         "produces_mime_types": ["application/vnd.security.vulnerability.report; version=1.1"]},
        {"type": "sbom", "produces_mime_types": ["application/vnd.security.sbom.report+json; version=1.0"],
         "parameters": {"sbom_media_types": ["application/spdx+json", "application/vnd.cyclonedx+json"]}}])
    for name, doc in (("harbor-2.11.json", both), ("no-capabilities.json", base),
                      ("null-parameters.json", dict(base, enabled_capabilities=[
                          {"type": "sbom", "parameters": None}]))):
        open(f"{out}/serve_scan_request/{name}", "wb").write(b"\0" + json.dumps(doc).encode())
    open(f"{out}/serve_scan_request/headers", "wb").write(
        b"\1application/vnd.scanner.adapter.scan.request+json; version=1.1\n"
        b"application/vnd.security.sbom.report+json; version=1.0\napplication/spdx+json")

serve_scan_request_seeds()
