#!/usr/bin/env python3
"""Test helper: a directory served over HTTP on 127.0.0.1 the way the advisory feeds serve
theirs: each file with an ETag (its sha256) and a Last-Modified; If-None-Match and
If-Modified-Since answered with 304. Every request is appended to LOG ("GET /path 200"), so a
test can tell whether distill touched the network at all. Bad answers, by path prefix:

  /_status/NNN/...   that status, with an HTML error page as the body
  /_html/...         200 and an HTML page (a captive portal, a CDN's error page)
  /_cut/PATH         PATH's first half, then the connection drops (Content-Length says all)
  /_slow/PATH        PATH, 64 KiB every 0.2 s

usage: feed_server.py DIR PORT LOG
"""
import email.utils
import hashlib
import http.server
import os
import sys
import time
import urllib.parse

ROOT, PORT, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        with open(LOG, "a") as log:
            log.write(f"{self.command} {self.path} {status}\n")
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return body

    def do_GET(self):
        path = urllib.parse.unquote(self.path.split("?")[0])
        if path.startswith("/_status/"):
            code = int(path.split("/")[2])
            page = b"<html><body><h1>%d</h1></body></html>" % code
            self.wfile.write(self.answer(code, page, [("Content-Type", "text/html")]))
            return
        if path.startswith("/_html/"):
            page = b"<!DOCTYPE html><html><body>Sign in to continue</body></html>"
            self.wfile.write(self.answer(200, page, [("Content-Type", "text/html")]))
            return
        mode = ""
        for prefix in ("/_cut/", "/_slow/"):
            if path.startswith(prefix):
                mode, path = prefix, "/" + path[len(prefix):]
        file = os.path.join(ROOT, path.lstrip("/"))
        if not os.path.isfile(file):
            self.wfile.write(self.answer(404, b"not found"))
            return
        data = open(file, "rb").read()
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        modified = email.utils.formatdate(int(os.path.getmtime(file)), usegmt=True)
        meta = [("ETag", etag), ("Last-Modified", modified)]
        if self.headers.get("If-None-Match") == etag:
            self.answer(304, headers=meta)
            return
        self.answer(200, data, meta)
        if mode == "/_cut/":
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "/_slow/":
            for i in range(0, len(data), 65536):
                self.wfile.write(data[i:i + 65536])
                self.wfile.flush()
                time.sleep(0.2)
            return
        self.wfile.write(data)


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
