#!/usr/bin/env python3
"""Harbor's scanner client, emulated with the standard library: what Harbor's job service does
with a scanner adapter (goharbor/harbor src/pkg/scan/rest/v1/client.go and src/pkg/scan/job.go,
read for their behaviour, not copied).

  1. GET /api/v1/metadata (Accept: metadata 1.1).
  2. POST /api/v1/scan (Content-Type: scan request 1.1) with the registry credential as Harbor
     puts it: registry.authorization = "Basic " + base64(user:password) of a robot account.
  3. One thread per requested report type, as Harbor runs one goroutine per MIME type: the first
     poll after --first-poll seconds (Harbor: 2), then GET .../report with that Accept. Redirects
     are never followed. A 302 is answered by waiting Refresh-After seconds, read as Go's
     strconv.ParseInt(v, 10, 8) reads it (an error, or no header, means Harbor's default 5 s);
     any other status ends the poll: 200 is the report, anything else fails the job. Harbor polls
     a 302 for ever (its timeout is re-armed by every poll); --max-polls bounds that here.

Usage: harbor_client.py --url http://127.0.0.1:PORT --out DIR [options]; see --help. Writes
DIR/summary.json (every answer: status, Content-Type, Refresh-After values, the file holding the
body) and one file per body, for the caller to check."""
import argparse
import base64
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

METADATA_MIME = "application/vnd.scanner.adapter.metadata+json; version=1.1"
REQUEST_MIME = "application/vnd.scanner.adapter.scan.request+json; version=1.1"
VULN_MIME = "application/vnd.security.vulnerability.report; version=1.1"
SBOM_MIME = "application/vnd.security.sbom.report+json; version=1.0"
DEFAULT_REFRESH = 5  # seconds: Harbor's defaultRefreshInterval


def go_parse_int8(text):
    """strconv.ParseInt(text, 10, 8): optional sign, ASCII digits only, -128..127; else error."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or any(c not in "0123456789" for c in digits):
        raise ValueError(f"strconv.ParseInt: parsing {text!r}: invalid syntax")
    value = int(digits) * (-1 if text.startswith("-") else 1)
    if not -128 <= value <= 127:
        raise ValueError(f"strconv.ParseInt: parsing {text!r}: value out of range")
    return value


class Client:
    def __init__(self, args):
        self.base = urllib.parse.urlsplit(args.url)
        self.args = args
        self.lock = threading.Lock()
        self.answers = []
        self.count = 0

    def call(self, method, path, headers, body=None, label=""):
        """One request on a new connection; never follows a redirect (http.client does not)."""
        conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=30)
        headers = dict(headers)
        if self.args.auth:
            headers["Authorization"] = self.args.auth
        if self.args.api_key:
            headers["X-ScannerAdapter-API-Key"] = self.args.api_key
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        with self.lock:
            self.count += 1
            name = os.path.join(self.args.out, f"{self.count:03d}-{label or 'answer'}.body")
            with open(name, "wb") as f:
                f.write(data)
            answer = {"method": method, "path": path, "label": label, "status": resp.status,
                      "content_type": resp.getheader("Content-Type", ""),
                      "refresh_after": resp.getheader("Refresh-After"),
                      "location": resp.getheader("Location"), "body_file": name}
            self.answers.append(answer)
        return answer, data

    def scan_request(self):
        a = self.args
        credential = base64.b64encode(f"{a.username}:{a.password}".encode()).decode()
        caps = []
        if a.vulnerability:
            caps.append({"type": "vulnerability", "produces_mime_types": [VULN_MIME]})
        if a.sbom_media_type:
            caps.append({"type": "sbom", "produces_mime_types": [SBOM_MIME],
                         "parameters": {"sbom_media_types": a.sbom_media_type}})
        return {"registry": {"url": a.registry_url, "authorization": "Basic " + credential},
                "artifact": {"repository": a.repository, "digest": a.digest, "tag": a.tag,
                             "mime_type": "application/vnd.docker.distribution.manifest.v2+json"},
                "enabled_capabilities": caps}

    def poll(self, scan_id, mime, media_type, result):
        path = f"/api/v1/scan/{urllib.parse.quote(scan_id, safe='')}/report"
        if media_type:
            path += "?" + urllib.parse.urlencode({"sbom_media_type": media_type})
        label = "report-" + (media_type.split("/")[-1] if media_type else "vulnerability")
        result.update({"mime": mime, "sbom_media_type": media_type, "polls": 0, "waits": [],
                       "parse_errors": []})
        time.sleep(self.args.first_poll)
        while result["polls"] < self.args.max_polls:
            result["polls"] += 1
            answer, _ = self.call("GET", path, {"Accept": mime}, label=label)
            result["status"], result["body_file"] = answer["status"], answer["body_file"]
            result["content_type"] = answer["content_type"]
            if answer["status"] != 302:
                return
            wait = DEFAULT_REFRESH
            header = answer["refresh_after"]
            if header:
                try:
                    wait = go_parse_int8(header)
                except ValueError as e:
                    result["parse_errors"].append(str(e))
            result["waits"].append(wait)
            time.sleep(max(wait, 0) * self.args.time_scale)

    def run(self):
        summary = {"answers": self.answers}
        meta, body = self.call("GET", "/api/v1/metadata", {"Accept": METADATA_MIME}, label="metadata")
        summary["metadata"] = meta
        if meta["status"] != 200:
            return summary
        request = json.dumps(self.scan_request())
        scan, body = self.call("POST", "/api/v1/scan", {"Content-Type": REQUEST_MIME}, request,
                               label="scan")
        summary["scan"] = scan
        if scan["status"] != 202:
            return summary
        scan_id = json.loads(body)["id"]
        summary["id"] = scan_id
        wanted = ([(VULN_MIME, None)] if self.args.vulnerability else []) + \
                 [(SBOM_MIME, m) for m in self.args.sbom_media_type]
        results = [{} for _ in wanted]
        threads = [threading.Thread(target=self.poll, args=(scan_id, mime, media, results[i]))
                   for i, (mime, media) in enumerate(wanted)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        summary["reports"] = results
        return summary


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True, help="the adapter, http://HOST:PORT")
    p.add_argument("--out", required=True, help="directory for summary.json and the bodies")
    p.add_argument("--auth", default="", help="Authorization header for the adapter")
    p.add_argument("--api-key", default="", help="X-ScannerAdapter-API-Key for the adapter")
    p.add_argument("--registry-url", default="http://core:8080")
    p.add_argument("--username", default="robot$scanner")
    p.add_argument("--password", default="robot-secret")
    p.add_argument("--repository", default="library/app")
    p.add_argument("--digest", default="sha256:" + "ab" * 32)
    p.add_argument("--tag", default="1.0")
    p.add_argument("--no-vulnerability", dest="vulnerability", action="store_false")
    p.add_argument("--sbom-media-type", action="append", default=[],
                   help="also ask for the SBOM report in this format (repeatable)")
    p.add_argument("--first-poll", type=float, default=2.0, help="seconds before the first poll")
    p.add_argument("--time-scale", type=float, default=1.0,
                   help="multiplies every Refresh-After wait (tests)")
    p.add_argument("--max-polls", type=int, default=1000)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    summary = Client(args).run()
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
