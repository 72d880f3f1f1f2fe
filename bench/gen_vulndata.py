#!/usr/bin/env python3
"""Generates the scale set for bench/scan.sh: vulnerability data in the real sources' shapes
(the fixture records of ../shared/fixtures/vuln/ are the templates) and a 1,000-package SBOM.

  gen_vulndata.py FIXTURES OUTDIR

Writes into OUTDIR:
  tracker.json        Debian security tracker JSON: real bookworm source packages (from the
                      machine's apt Packages index) x CVEs x 4 releases (resolved / fixed_version
                      "0" / open / no-dsa / undetermined, urgencies as the tracker writes them)
  osv-PyPI.zip, osv-npm.zip, osv-Go.zip
                      OSV all.zip archives of GHSA records: each a real GHSA fixture record with a
                      new id, CVE alias, package and version ranges (the details text is kept, so
                      records have their real 3-8 KB size)
  secdb-alpine.json   an Alpine secdb (packages x secfixes), JSON as secdb.alpinelinux.org serves
  sbom.cdx.json       CycloneDX 1.6: 700 bookworm .debs with real names, versions and sources
                      (purl upstream qualifier), 300 PyPI/npm/Go packages named in the OSV set
  rows.txt            the number of affected rows the importers will write for the generated set

Deterministic (fixed random seed), so runs are comparable.
"""
import glob
import json
import os
import random
import subprocess
import sys
import zipfile

FIX, OUT = sys.argv[1], sys.argv[2]
rng = random.Random(5)
os.makedirs(OUT, exist_ok=True)

TRACKER_PACKAGES = 10000   # source packages
TRACKER_CVES = 5           # CVEs per source package
RELEASES = ["bullseye", "bookworm", "trixie", "sid"]
OSV_RECORDS = {"PyPI": 45000, "npm": 40000, "Go": 15000}
SECDB_PACKAGES, SECDB_FIXES = 3000, 10


def apt_packages():
    """(binary, version, source, source_version) of bookworm main amd64, from the apt lists."""
    lists = sorted(glob.glob("/var/lib/apt/lists/*_dists_bookworm_main_binary-amd64_Packages*"))
    if not lists:
        sys.exit("gen_vulndata.py: no bookworm Packages index in /var/lib/apt/lists (apt-get update)")
    text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", lists[0]], check=True,
                          capture_output=True, text=True).stdout
    out = []
    for stanza in text.split("\n\n"):
        f = {}
        for line in stanza.splitlines():
            if line and not line[0].isspace() and ":" in line:
                k, v = line.split(":", 1)
                f[k] = v.strip()
        if "Package" not in f:
            continue
        src, srcver = f.get("Source", f["Package"]), f["Version"]
        if " (" in src:
            src, srcver = src[:-1].split(" (")
        out.append((f["Package"], f["Version"], src, srcver))
    return out


def bump(version):
    """A version just above `version` (a Debian security update) or just below it."""
    if rng.random() < 0.5:
        return version + "+deb12u1"
    return version.rsplit("-", 1)[0] + "~rc1-1" if "-" in version else version + "~rc1"


def tracker(pkgs):
    by_source = {}
    for _, _, src, srcver in pkgs:
        by_source.setdefault(src, srcver)
    sources = sorted(by_source)[:TRACKER_PACKAGES]
    doc, cve, rows = {}, 100000, 0
    urgencies = ["low", "medium", "high", "unimportant", "not yet assigned", "high**", "low**"]
    for src in sources:
        entries = {}
        for _ in range(TRACKER_CVES):
            cve += 1
            releases = {}
            for rel in RELEASES:
                r = rng.random()
                if r < 0.6:
                    rel_doc = {"status": "resolved", "repositories": {rel: by_source[src]},
                               "fixed_version": bump(by_source[src]), "urgency": rng.choice(urgencies)}
                elif r < 0.7:
                    rel_doc = {"status": "resolved", "repositories": {rel: by_source[src]},
                               "fixed_version": "0", "urgency": "unimportant"}
                elif r < 0.85:
                    rel_doc = {"status": "open", "repositories": {rel: by_source[src]},
                               "urgency": rng.choice(urgencies), "nodsa": "Minor issue",
                               "nodsa_reason": ""}
                else:
                    rel_doc = {"status": "undetermined", "repositories": {rel: by_source[src]},
                               "urgency": "not yet assigned"}
                releases[rel] = rel_doc
                rows += 1
            entries["CVE-2024-%d" % cve] = {
                "scope": "remote", "debianbug": 1000000 + cve,
                "description": "Buffer overflow in %s before %s allows remote attackers to cause a "
                               "denial of service (crash) or possibly execute arbitrary code via a "
                               "crafted file." % (src, by_source[src]),
                "releases": releases}
        doc[src] = entries
    with open(os.path.join(OUT, "tracker.json"), "w") as f:
        json.dump(doc, f, indent=2)
    return rows, sources, by_source


def osv_templates():
    out = []
    for p in sorted(glob.glob(os.path.join(FIX, "osv", "GHSA-*.json"))):
        with open(p) as f:
            out.append(json.load(f))
    return out


def ghsa_id(n):
    alphabet = "23456789cfghjmpqrvwx"
    s = ""
    for _ in range(12):
        s += alphabet[n % 20]
        n //= 20
    return "GHSA-%s-%s-%s" % (s[0:4], s[4:8], s[8:12])


def osv(templates):
    names, rows, n = {}, 0, 0
    for eco, count in OSV_RECORDS.items():
        path = os.path.join(OUT, "osv-%s.zip" % eco)
        pkgs = names[eco] = []
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(count):
                n += 1
                rec = json.loads(json.dumps(templates[n % len(templates)]))
                rec["id"] = ghsa_id(n)
                rec["aliases"] = ["CVE-2023-%d" % (200000 + n)]
                if eco == "Go":
                    name = "github.com/example%d/module%d" % (i % 1500, i % 7)
                else:
                    name = "package-%d" % (i % 5000)
                if i < 5000 or (eco == "Go" and i < 1500):
                    pkgs.append(name)
                major = i % 9
                aff = {"package": {"ecosystem": eco, "name": name},
                       "ranges": [{"type": "ECOSYSTEM" if eco != "Go" else "SEMVER",
                                   "events": [{"introduced": "%d.0.0" % major},
                                              {"fixed": "%d.%d.%d" % (major, 1 + i % 5, i % 11)}]}],
                       "database_specific": {"source": "https://github.com/advisories/" + rec["id"]}}
                rec["affected"] = [aff]
                rows += 1
                z.writestr("%s.json" % rec["id"], json.dumps(rec, indent=2))
    return rows, names


def secdb():
    packages, cve, rows = [], 500000, 0
    for p in range(SECDB_PACKAGES):
        fixes = {}
        for k in range(SECDB_FIXES):
            cve += 1
            ver = "0" if k == 0 and p % 10 == 0 else "1.%d.%d-r%d" % (k, p % 13, k % 3)
            fixes.setdefault(ver, []).append("CVE-2022-%d" % cve)
            rows += 1
        packages.append({"pkg": {"name": "apkpkg%d" % p, "secfixes": fixes}})
    doc = {"apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
           "archs": ["x86_64", "aarch64"], "reponame": "main", "distroversion": "v3.19",
           "urlprefix": "https://alpine.example/alpine", "packages": packages}
    with open(os.path.join(OUT, "secdb-alpine.json"), "w") as f:
        json.dump(doc, f, indent=1)
    return rows


def sbom(pkgs, sources, by_source, names):
    tracked = set(sources)
    debs = [p for p in pkgs if p[2] in tracked]
    rng.shuffle(debs)
    comps = [{"bom-ref": "os", "type": "operating-system", "name": "debian", "version": "12.12"}]
    for b, v, s, sv in sorted(debs[:700]):
        purl = "pkg:deb/debian/%s@%s?arch=amd64&distro=debian-12" % (b, v.replace("+", "%2B").replace(":", "%3A"))
        if s != b or sv != v:
            purl += "&upstream=%s" % s + ("%40" + sv.replace("+", "%2B").replace(":", "%3A") if sv != v else "")
        comps.append({"bom-ref": purl, "type": "library", "name": b, "version": v, "purl": purl})
    langs = [("pypi", "PyPI", 120), ("npm", "npm", 120), ("golang", "Go", 60)]
    for ptype, eco, count in langs:
        for name in names[eco][:count]:
            v = "%d.%d.%d" % (rng.randrange(9), rng.randrange(4), rng.randrange(12))
            purl = "pkg:%s/%s@%s" % (ptype, name, v if ptype != "golang" else "v" + v)
            comps.append({"bom-ref": purl, "type": "library", "name": name, "version": v, "purl": purl})
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "metadata": {"component": {"type": "container", "name": "bench"}}, "components": comps}
    with open(os.path.join(OUT, "sbom.cdx.json"), "w") as f:
        json.dump(doc, f, indent=1)
    return len(comps) - 1


pkgs = apt_packages()
t_rows, sources, by_source = tracker(pkgs)
o_rows, names = osv(osv_templates())
s_rows = secdb()
n = sbom(pkgs, sources, by_source, names)
with open(os.path.join(OUT, "rows.txt"), "w") as f:
    f.write("tracker %d\nosv %d\nsecdb %d\n" % (t_rows, o_rows, s_rows))
print("generated: tracker %d rows, OSV %d rows, secdb %d rows; SBOM %d packages" % (t_rows, o_rows, s_rows, n),
      file=sys.stderr)
