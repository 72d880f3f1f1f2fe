#!/usr/bin/env python3
"""bench/serve_load.py URL REGISTRY_URL REPO_PREFIX DIGESTS_FILE: one Harbor scan request per
image (REPO_PREFIX-i at digest i), all sent at once, then every report polled (Accept: the 1.1
vulnerability report) every 0.1 s until each is 200 or 500. Prints one JSON line: images,
seconds from the first request to the last report, images/min, p50/p99 time to report, failures."""
import http.client
import json
import sys
import time
import urllib.parse

url, registry, prefix, digests_file = sys.argv[1:5]
u = urllib.parse.urlparse(url)
digests = [l.strip() for l in open(digests_file) if l.strip()]
REQ = "application/vnd.scanner.adapter.scan.request+json; version=1.1"
VULN = "application/vnd.security.vulnerability.report; version=1.1"


def call(method, path, headers, body=None):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


t0 = time.monotonic()
pending = {}
for i, d in enumerate(digests):
    body = json.dumps({"registry": {"url": registry, "authorization": ""},
                       "artifact": {"repository": f"{prefix}-{i}", "digest": d, "tag": "1",
                                    "mime_type": "application/vnd.oci.image.manifest.v1+json"}})
    status, data = call("POST", "/api/v1/scan", {"Content-Type": REQ}, body)
    if status != 202:
        sys.exit(f"scan {i}: HTTP {status}: {data[:200]!r}")
    pending[json.loads(data)["id"]] = i
done, failed = [], 0
while pending:
    for sid in list(pending):
        status, data = call("GET", f"/api/v1/scan/{sid}/report", {"Accept": VULN})
        if status == 302:
            continue
        done.append(time.monotonic() - t0)
        if status != 200:
            failed += 1
            if failed <= 3:
                print(f"report {pending[sid]}: HTTP {status}: {data[:300]!r}", file=sys.stderr)
        del pending[sid]
    time.sleep(0.1)
done.sort()
total = done[-1]
print(json.dumps({"images": len(digests), "seconds": round(total, 2),
                  "images_per_min": round(len(digests) / total * 60, 1),
                  "p50_s": round(done[len(done) // 2], 2),
                  "p99_s": round(done[min(len(done) - 1, int(len(done) * 0.99))], 2),
                  "failed": failed}))
