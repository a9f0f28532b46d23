#!/usr/bin/env python3
"""A recording Docker Engine API on a unix socket, for the tests.

docker-api.py SOCKET RECORD: answers /_ping (with its API-Version header,
for the CLI's version negotiation), /version and POST /containers/create,
whose JSON body it writes to RECORD; anything else is a 404.  It stands in
for the daemon only so that the real docker CLI can be run against it: it
proves what the CLI sends, nothing about a container."""
import json
import os
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

API = "1.41"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def address_string(self):
        return "unix"

    def reply(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Api-Version", API)
        self.send_header("Ostype", "linux")
        self.send_header("Docker-Experimental", "false")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def path_only(self):
        p = self.path.split("?", 1)[0]
        parts = p.split("/")
        if len(parts) > 1 and parts[1].startswith("v1."):
            p = "/" + "/".join(parts[2:])
        return p

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        p = self.path_only()
        if p == "/_ping":
            self.reply(200, b"OK", "text/plain")
        elif p == "/version":
            self.reply(200, {"Version": "28.0.0", "ApiVersion": API,
                             "MinAPIVersion": "1.24", "Os": "linux",
                             "Arch": "amd64"})
        else:
            self.reply(404, {"message": "not found: " + p})

    def do_POST(self):
        p = self.path_only()
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if p == "/containers/create":
            with open(sys.argv[2] + ".tmp", "wb") as f:
                f.write(body)
            os.rename(sys.argv[2] + ".tmp", sys.argv[2])
            self.reply(201, {"Id": "f" * 64, "Warnings": []})
        else:
            self.reply(404, {"message": "not found: " + p})


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    if os.path.exists(sys.argv[1]):
        os.unlink(sys.argv[1])
    with Server(sys.argv[1], Handler) as s:
        s.serve_forever()
