#!/usr/bin/env python3
"""A Docker registry token server for the tests (python3 stdlib + openssl).

    token-server.py CONFIG.json

CONFIG names: listen ("127.0.0.1:PORT", loopback only), key and cert (the
RSA key that signs and its self-signed certificate, which is also the
registry's rootcertbundle), issuer, service, user, password_file,
anonymous ("pull": anonymous clients may pull; "none"), ttl (seconds) and
field ("token" or "access_token": where the answer puts the token).

GET /token?service=S&scope=repository:NAME:ACTIONS[&scope=...]: Basic
credentials that match get every action they ask for; wrong ones get a
401; no credentials get what "anonymous" allows.  The answer is an RS256
JWT whose x5c header holds the certificate, signed by `openssl dgst`.
Each request is logged on stdout, one line, without credentials.
"""
import base64
import binascii
import hmac
import http.server
import json
import os
import secrets
import ssl
import subprocess
import sys
import time
import urllib.parse


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, conf):
        self.conf = conf
        with open(conf["password_file"]) as f:
            self.password = f.read().strip()
        with open(conf["cert"]) as f:
            der = ssl.PEM_cert_to_DER_cert(f.read())
        self.x5c = base64.b64encode(der).decode()
        host, port = conf["listen"].rsplit(":", 1)
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            sys.exit("token-server: refusing to listen on " + host)
        super().__init__((host, int(port)), Handler)

    def sign(self, claims):
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self.x5c]}
        data = (b64url(json.dumps(header).encode()) + "." +
                b64url(json.dumps(claims).encode()))
        sig = subprocess.run(
            ["openssl", "dgst", "-sha256", "-sign", self.conf["key"]],
            input=data.encode(), capture_output=True, check=True).stdout
        return data + "." + b64url(sig)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def answer(self, code, body, extra=None):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def user(self):
        """The user, "" for anonymous, None for wrong credentials."""
        auth = self.headers.get("Authorization")
        if auth is None:
            return ""
        scheme, _, value = auth.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = (base64.b64decode(value.strip())
                                 .decode().partition(":"))
        except (binascii.Error, UnicodeDecodeError):
            return None
        conf = self.server.conf
        if (hmac.compare_digest(user, conf["user"]) and
                hmac.compare_digest(password, self.server.password)):
            return user
        return None

    def do_GET(self):
        conf = self.server.conf
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        scopes = [s for q in query.get("scope", []) for s in q.split()]
        user = self.user()
        if url.path != "/token":
            self.answer(404, {"errors": [{"code": "NOT_FOUND"}]})
            return
        if query.get("service", [""])[0] != conf["service"]:
            print("token 400 service=%r" % query.get("service"), flush=True)
            self.answer(400, {"errors": [{"code": "UNSUPPORTED",
                                          "message": "unknown service"}]})
            return
        if user is None:
            print("token 401 scope=%s" % " ".join(scopes), flush=True)
            self.answer(401, {"errors": [{"code": "UNAUTHORIZED",
                                          "message": "bad credentials"}]},
                        {"WWW-Authenticate": 'Basic realm="token"'})
            return
        access = []
        for s in scopes:
            typ, _, rest = s.partition(":")
            name, _, actions = rest.rpartition(":")
            want = [a for a in actions.split(",") if a]
            if user == "":
                allowed = ["pull"] if conf.get("anonymous") == "pull" else []
                want = [a for a in want if a in allowed]
            if typ and name and want:
                access.append({"type": typ, "name": name, "actions": want})
        now = int(time.time())
        ttl = int(conf.get("ttl", 300))
        claims = {"iss": conf["issuer"], "sub": user, "aud": conf["service"],
                  "exp": now + ttl, "nbf": now - 5, "iat": now,
                  "jti": secrets.token_hex(8), "access": access}
        token = self.server.sign(claims)
        print("token 200 account=%s scope=%s granted=%s" %
              (user or "-", " ".join(scopes) or "-",
               " ".join("%s:%s:%s" % (a["type"], a["name"],
                                      ",".join(a["actions"]))
                        for a in access) or "-"), flush=True)
        self.answer(200, {conf.get("field", "token"): token,
                          "expires_in": ttl,
                          "issued_at": time.strftime(
                              "%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))})


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: token-server.py CONFIG.json")
    with open(sys.argv[1]) as f:
        conf = json.load(f)
    os.umask(0o077)
    srv = Server(conf)
    print("token server on %s" % conf["listen"], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
