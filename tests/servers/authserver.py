#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An API and an OAuth 2.0 token endpoint on 127.0.0.1 for the credential tests.

Usage: python3 authserver.py --port-file FILE

Routes:
  /api                 200 for "Authorization: Bearer <a token it issued or 'static-good'>",
                       401 with an RFC 6750 challenge otherwise
  /api/basic           200 for Basic monitor:s3cret, 401 otherwise
  /api/key             200 for "X-API-Key: k-123", 403 otherwise
  /open                200 whatever is sent (authentication not enforced)
  /flip                the status set with /control?flip=NNN (default 200), needs no credentials
  /oauth/token         client_credentials grant for client "mon" / secret "s3cret":
                       {"access_token": "...", "expires_in": 3600}; /control?token=down makes it 503,
                       ?token=slow makes it sleep 5 s, ?token=ok restores it
  /control             changes the modes above; /stats tells how many tokens were issued
Stops on SIGTERM. Only the standard library.
"""

import argparse
import base64
import http.server
import json
import os
import signal
import socketserver
import sys
import threading
import time
import urllib.parse

STATE = {"flip": 200, "token": "ok", "issued": 0, "tokens": set(["static-good"])}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "probewise-authserver/1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def json_reply(self, status, obj, headers=()):
        self.reply(status, json.dumps(obj), [("Content-Type", "application/json")] + list(headers))

    def bearer(self):
        value = self.headers.get("Authorization", "")
        return value[7:] if value.startswith("Bearer ") else None

    def do_GET(self):
        self.route()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0") or "0")
        self.body = self.rfile.read(length).decode("latin-1") if length else ""
        self.route()

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        handler = {
            "/api": self.api,
            "/api/basic": self.api_basic,
            "/api/key": self.api_key,
            "/open": lambda q: self.reply(200, "open to all\n"),
            "/flip": self.flip,
            "/oauth/token": self.token,
            "/control": self.control,
            "/stats": lambda q: self.json_reply(200, {"issued": STATE["issued"]}),
        }.get(url.path)
        if handler is None:
            self.reply(404, "not found\n")
        else:
            handler(query)

    def api(self, query):
        token = self.bearer()
        with LOCK:
            good = token in STATE["tokens"]
        if good:
            self.reply(200, "welcome\n")
        elif token is None:
            self.reply(401, "", [("WWW-Authenticate", 'Bearer realm="api"')])
        else:
            self.reply(401, "", [("WWW-Authenticate", 'Bearer realm="api", error="invalid_token", '
                                  'error_description="The access token is invalid"')])

    def api_basic(self, query):
        expected = "Basic " + base64.b64encode(b"monitor:s3cret").decode()
        if self.headers.get("Authorization") == expected:
            self.reply(200, "welcome\n")
        else:
            self.reply(401, "", [("WWW-Authenticate", 'Basic realm="api"')])

    def api_key(self, query):
        if self.headers.get("X-API-Key") == "k-123":
            self.reply(200, "welcome\n")
        else:
            self.json_reply(403, {"message": "Forbidden: invalid API key"})

    def flip(self, query):
        self.reply(STATE["flip"], "flip\n")

    def control(self, query):
        with LOCK:
            if "flip" in query:
                STATE["flip"] = int(query["flip"])
            if "token" in query:
                STATE["token"] = query["token"]
            if "revoke" in query:
                STATE["tokens"] = set(["static-good"]) if query["revoke"] == "all" else STATE["tokens"]
        self.reply(200, "ok\n")

    def token(self, query):
        mode = STATE["token"]
        if mode == "down":
            self.json_reply(503, {"error": "temporarily_unavailable"})
            return
        if mode == "slow":
            time.sleep(5)
        expected = "Basic " + base64.b64encode(b"mon:s3cret").decode()
        form = dict(urllib.parse.parse_qsl(getattr(self, "body", "")))
        if self.headers.get("Authorization") != expected or form.get("grant_type") != "client_credentials":
            self.json_reply(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
            return
        with LOCK:
            STATE["issued"] += 1
            token = "tok-%d-%d" % (os.getpid(), STATE["issued"])
            STATE["tokens"].add(token)
        self.json_reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
