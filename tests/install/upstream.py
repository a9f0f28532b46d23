#!/usr/bin/env python3
"""A small stand-in for W&B Server behind nginx: GET /healthz and /ready
answer 200 (or the status in the file named by argv[2], when given), any
POST has its body read and answers 200.  Listens on 127.0.0.1, a free
port, printed on stdout once it listens."""
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path in ("/healthz", "/ready"):
            status = 200
            if len(sys.argv) > 2:
                try:
                    with open(sys.argv[2]) as f:
                        status = int(f.read().strip() or 200)
                except OSError:
                    pass
            self.reply(status, "ok\n" if status == 200 else "not ready\n")
        else:
            self.reply(404, "not found\n")

    def do_POST(self):
        left = int(self.headers.get("Content-Length", "0"))
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)
        self.reply(200, "received\n")

    def log_message(self, fmt, *args):
        pass


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as f:
            f.write(str(srv.server_address[1]))
    srv.serve_forever()


if __name__ == "__main__":
    main()
