#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An HTTP server that remembers the head of every request it receives, for
the tests of where credentials travel (tests/integration/test_secrets*.py).

Imported and run in the test's own process (one thread per server), so the
test reads what each server received directly. Each server answers plain
HTTP and, when given a certificate, TLS on the same port (it peeks at the
first byte: 0x16 starts a TLS handshake), so that a redirect from https://h:p
to http://h:p changes the scheme and nothing else.

Every request is recorded with the origin it was addressed to: the scheme the
server saw and the Host header (or the authority of an absolute-form request
through a proxy), so a redirect that stays on this socket but names another
host or port (the sticky modes) still counts for the origin it named.

Every record also keeps the raw bytes of the request head as they came off
the wire (`raw`), so that a header smuggled inside a value (CR or LF) shows
as what it would be to any server: a line of its own.

Routes:
  /start?to=URL[&code=302]   redirect to URL (relative or absolute)
  /goto/NAME                 302 to locations[NAME] (a Location that must not be in the check's own URL)
  /land[?status=N]           answer N (default 200); 401 carries a Bearer challenge
  /token                     an OAuth 2.0 client-credentials answer: {"access_token": TOKEN, ...}
  /echo/SHAPE[?status=N]     a hostile server: echoes every credential the request carried (every
                             header value but the standard ones, a Basic header's decoded user:password
                             and password, each cookie value, each field of a form body) inside an
                             answer of SHAPE (see ECHO)
  /answer?status=N[&reason=R][&location=L][&www=W][&body=B][&type=T]
                             exactly that answer: a test's hostile reason phrase, challenge,
                             Location or body (each may hold '|', ESC, BEL ...)
  anything else              200 "ok"
Only the standard library is used.
"""

import base64
import html
import http.server
import json
import socket
import socketserver
import ssl
import threading
import urllib.parse


class Record(dict):
    """One request: origin, method, target, headers [(name, value)], head (as parsed), raw (the
    head's bytes as received, latin-1 text), body."""

    def sent(self, secret):
        return secret in self["head"] or secret in self["body"]

    def raw_lines(self):
        """The lines of the raw head, split on LF alone (a bare CR stays inside its line)."""
        return self["raw"].split("\n")


class TeeReader:
    """Reads through to the socket file and keeps a copy of every byte read."""

    def __init__(self, inner):
        self.inner = inner
        self.seen = bytearray()

    def readline(self, *args):
        line = self.inner.readline(*args)
        self.seen += line
        return line

    def read(self, *args):
        return self.inner.read(*args)

    def __getattr__(self, name):
        return getattr(self.inner, name)


# Headers a client sends on its own: never echoed.
STANDARD = {"host", "user-agent", "accept", "accept-encoding", "content-length", "content-type", "connection",
            "expect"}


def echoed_values(headers, body=""):
    """What a careless server repeats: each credential the request carried (its headers, the
    fields of a form body), in every usual form."""
    out = [value for _, value in urllib.parse.parse_qsl(body)]
    for name, value in headers:
        if name.lower() in STANDARD:
            continue
        out.append(value)
        scheme, _, rest = value.partition(" ")
        if rest:
            out.append(rest)
        if scheme.lower() == "basic" and rest:
            try:
                decoded = base64.b64decode(rest).decode("latin-1")
                out += [decoded, decoded.partition(":")[2]]
            except ValueError:
                pass
        if name.lower() == "cookie":
            out += [pair.partition("=")[2] for pair in value.split(";")]
    return [v for v in out if v]


# The shapes of an answer that repeats a credential V: (status, reason, headers, body, content type).
ECHO = {
    "json": lambda v: (401, None, [], json.dumps({"error": "invalid_token",
                                                 "error_description": "The access token %s is not valid" % v}),
                       "application/json"),
    "nested": lambda v: (403, None, [], json.dumps({"errors": [{"code": "FORBIDDEN", "meta": {
        "credential": v, "detail": "key %s has no access to this project" % v}}]}), "application/json"),
    "html": lambda v: (403, None, [], "<html><head><title>Denied</title></head><body><h1>Access denied</h1>"
                       "<p>The key <b>%s</b> was rejected.</p></body></html>" % html.escape(v), "text/html"),
    "challenge": lambda v: (401, None, [("WWW-Authenticate", 'Bearer realm="api", error="invalid_token", '
                                         'error_description="token %s expired"' % v.replace('"', "'"))],
                            "expired\n", "text/plain"),
    "reason": lambda v: (401, "Token %s Rejected" % v, [], "rejected\n", "text/plain"),
    "text": lambda v: (401, None, [], "Invalid API key: %s\n" % v, "text/plain"),
    "header": lambda v: (401, None, [("X-Debug-Credential", v)], "denied\n", "text/plain"),
    "xml": lambda v: (403, None, [], "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Key %s "
                      "is not allowed</Message></Error>" % html.escape(v), "application/xml"),
    "location": lambda v: (302, None, [("Location", "/land?from=" + v.replace(" ", "+"))], "moved\n",
                           "text/plain"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "probewise-recordserver/1"

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def log_message(self, fmt, *args):
        pass

    def _origin(self, url):
        if url.scheme and url.netloc:  # absolute-form: a proxied request
            return "%s://%s" % (url.scheme, url.netloc.rsplit("@", 1)[-1])
        scheme = "https" if getattr(self.connection, "version", None) else "http"
        return "%s://%s" % (scheme, self.headers.get("Host", ""))

    def setup(self):
        super().setup()
        self.rfile = TeeReader(self.rfile)

    def parse_request(self):
        self.raw_head = bytes(self.rfile.seen).decode("latin-1")
        self.rfile.seen.clear()
        return super().parse_request()

    def _dispatch(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("latin-1") if length > 0 else ""
        head = self.requestline + "\n" + "".join("%s: %s\n" % kv for kv in self.headers.items())
        raw = self.raw_head + bytes(self.rfile.seen).decode("latin-1")
        self.rfile.seen.clear()
        self.server.records.append(Record(
            server=self.server.name, origin=self._origin(url), method=self.command, path=url.path,
            target=self.path, headers=list(self.headers.items()), head=head, raw=raw, body=body))
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/start":
            code = int(query.get("code", "302"))
            return self.reply(code, "moved\n", [("Location", query.get("to", "/land"))])
        if url.path.startswith("/goto/"):
            return self.reply(302, "moved\n", [("Location", self.server.locations[url.path[6:]])])
        if url.path == "/land":
            status = int(query.get("status", "200"))
            headers = [("WWW-Authenticate", 'Bearer realm="api"')] if status == 401 else []
            return self.reply(status, "landed %d\n" % status, headers)
        if url.path.startswith("/echo/"):
            value = " ".join(echoed_values(self.headers.items(), body)) or "nothing"
            status, reason, headers, body, ctype = ECHO[url.path[6:]](value)
            return self.reply(int(query.get("status", status)), body, headers, content_type=ctype, reason=reason)
        if url.path == "/answer":
            headers = [(name, query[key]) for key, name in (("location", "Location"), ("www", "WWW-Authenticate"))
                       if key in query]
            return self.reply(int(query.get("status", "200")), query.get("body", ""), headers,
                              content_type=query.get("type", "text/plain"), reason=query.get("reason"))
        if url.path == "/token":
            answer = self.server.token_answer or {"access_token": self.server.token, "token_type": "Bearer",
                                                  "expires_in": 3600}
            return self.reply(200, json.dumps(answer), content_type="application/json")
        self.reply(200, "ok\n")

    def reply(self, status, body, headers=(), content_type="text/plain", reason=None):
        data = body.encode()
        self.send_response(status, reason)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class RecordServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """Serves in a thread of its own from start() to stop(); `records` lists what arrived."""
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, name, host="127.0.0.1", port=0, tls=None, token="token-not-set"):
        self.name = name
        self.records = []
        self.locations = {}
        self.token = token
        self.token_answer = None  # the whole /token answer, when a test sets it
        self.tls = None
        if tls:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(*tls)
        super().__init__((host, port), Handler)
        self.port = self.server_address[1]
        self.thread = None

    def finish_request(self, request, client_address):
        request.settimeout(30)
        conn = request
        if self.tls is not None:
            try:
                first = request.recv(1, socket.MSG_PEEK)
            except OSError:
                return
            if first == b"\x16":
                try:
                    conn = self.tls.wrap_socket(request, server_side=True)
                except (OSError, ssl.SSLError):
                    return
        try:
            self.RequestHandlerClass(conn, client_address, self)
        finally:
            if conn is not request:
                conn.close()

    def handle_error(self, request, client_address):
        pass

    def start(self):
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()

    def take(self):
        """The records so far, emptying the list."""
        out, self.records[:] = list(self.records), []
        return out
