#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A small threaded HTTP/1.1 (and HTTPS) server for the probewise integration tests.

Usage:
    python3 testserver.py --port-file FILE [--tls CERT KEY] [--bind 127.0.0.1]

It binds an ephemeral port, writes that port to FILE once it is listening
(written to a temporary name and renamed, so a reader never sees half a
number) and serves until SIGTERM or SIGINT. Only the standard library is used.

Routes live in one table (ROUTES for exact paths, PREFIX_ROUTES for paths
with a parameter in them); adding a route is adding a function and a row.
Some routes misbehave on purpose (/timeout, /endless, /garbage, /reset,
/hugeheaders, /manyheaders, /drip, /shortbody, /gzipbomb, /badstatus, /loop): everything that could last is bounded by HOLD_SECONDS and
ends early when the server is asked to stop.
"""

import argparse
import email.utils
import http.server
import os
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse

HOLD_SECONDS = 120  # upper bound for anything that deliberately never finishes
ROOT_BODY = b"probewise test server: root\n"

STOP = threading.Event()  # set on SIGTERM: ends held and streaming responses


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless a handler closes
    server_version = "probewise-testserver/1"
    timeout = HOLD_SECONDS + 10  # idle keep-alive connections do not live forever

    # --- plumbing -------------------------------------------------------

    def __getattr__(self, name):
        # BaseHTTPRequestHandler calls do_<METHOD>; accept every method word
        # (including lower-case "foo") and let the route decide.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def _read_body(self):
        """Reads the request body so that the connection can be reused."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size_line = self.rfile.readline(1024)
                if not size_line:
                    break
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(16)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self):
        url = urllib.parse.urlsplit(self.path)
        self.url_path = url.path
        self.query = dict(urllib.parse.parse_qsl(url.query))
        self.body = self._read_body()
        handler = ROUTES.get(url.path)
        arg = None
        if handler is None:
            for prefix, candidate in PREFIX_ROUTES:
                if url.path.startswith(prefix):
                    handler, arg = candidate, url.path[len(prefix):]
                    break
        if handler is None:
            self.reply(404, b"not found\n")
        elif arg is None:
            handler(self)
        else:
            handler(self, arg)
        self.wfile.flush()

    def reply(self, code, body=b"", headers=(), reason=None, content_type="text/plain"):
        """A complete response with Content-Length (so keep-alive works)."""
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code, reason)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def base_url(self):
        scheme = "https" if self.server.tls else "http"
        return "%s://127.0.0.1:%d" % (scheme, self.server.server_address[1])

    def hold(self, seconds):
        STOP.wait(min(seconds, HOLD_SECONDS))

    def drop_connection(self, reset=False):
        self.close_connection = True
        if reset:
            # SO_LINGER with a zero timeout turns close() into a TCP RST.
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            except OSError:
                pass


# --- route handlers ---------------------------------------------------------

def root(h):
    h.reply(200, ROOT_BODY)


def statuscode(h, code):
    try:
        status = int(code)
    except ValueError:
        return h.reply(400, b"bad status code\n")
    if not 100 <= status <= 999:
        return h.reply(400, b"bad status code\n")
    # 204 and 304 never carry a body; everything else says what it is.
    body = b"" if status in (204, 304) else ("status %d\n" % status).encode()
    h.reply(status, body)


def slow(h):
    h.hold(int(h.query.get("ms", "1100")) / 1000.0)
    h.reply(200, b"slow")


def never_answer(h):
    h.hold(HOLD_SECONDS)
    h.drop_connection()


def method(h):
    if h.command == "DELETE":
        return h.reply(405, b"DELETE not allowed\n", headers=[("Allow", "GET, HEAD, POST, PUT")])
    if h.command == "foo":
        return h.reply(501, b"foo not implemented\n")
    h.reply(200, ("%s\n" % h.command).encode(), reason=h.command)


def postdata(h):
    h.reply(200, ("%s:" % h.command).encode() + h.body)


def redirect_to(code, location):
    def handler(h):
        target = location(h) if callable(location) else location
        h.reply(code, ("moved to %s\n" % target).encode(), headers=[("Location", target)])
    return handler


def redirect_chain(h, arg):
    try:
        hops = int(arg)
    except ValueError:
        return h.reply(400, b"bad hop count\n")
    if hops <= 0:
        return h.reply(200, b"end of chain\n")
    redirect_to(302, h.base_url() + "/redirect_chain/%d" % (hops - 1))(h)


SEQUENCES = {}  # name -> number of calls so far, for /sequence/NAME
SEQUENCES_LOCK = threading.Lock()


def sequence(h, name):
    """/sequence/NAME?codes=200,401: the n-th call answers codes[n % len]."""
    try:
        codes = [int(c) for c in h.query.get("codes", "200").split(",")]
    except ValueError:
        return h.reply(400, b"bad codes\n")
    with SEQUENCES_LOCK:
        n = SEQUENCES.get(name, 0)
        SEQUENCES[name] = n + 1
    status = codes[n % len(codes)]
    h.reply(status, ("call %d of %s: %d\n" % (n + 1, name, status)).encode())


def header_check(h):
    h.reply(200, b"header check\n", headers=[("foo", "bar")])


def virtual_port(h):
    h.reply(200, h.headers.get("Host", ""))


def chunked(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    if h.command == "HEAD":
        return
    for part in (b"chunked", b"encoding", b"test\n"):
        h.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        h.wfile.flush()
        time.sleep(0.05)
    h.wfile.write(b"0\r\n\r\n")


def echo_headers(h):
    lines = "".join("%s: %s\n" % (name, value) for name, value in h.headers.items())
    h.reply(200, lines)


def lastmod(h):
    age = float(h.query.get("age", "0"))
    stamp = email.utils.formatdate(time.time() - age, usegmt=True)
    h.reply(200, b"last modified %d seconds ago\n" % int(age), headers=[("Last-Modified", stamp)])


def big(h):
    size = max(0, min(int(h.query.get("bytes", "100000")), 512 * 1024 * 1024))
    h.send_response(200)
    h.send_header("Content-Type", "application/octet-stream")
    h.send_header("Content-Length", str(size))
    h.end_headers()
    if h.command == "HEAD":
        return
    block = b"x" * 65536
    while size > 0:
        n = min(size, len(block))
        h.wfile.write(block[:n])
        size -= n


def trickle(h, piece, pause):
    """Writes `piece` every `pause` seconds for as long as allowed, then hangs up."""
    deadline = time.monotonic() + HOLD_SECONDS
    try:
        while time.monotonic() < deadline and not STOP.is_set():
            h.wfile.write(piece)
            h.wfile.flush()
            time.sleep(pause)
    except OSError:
        pass
    h.drop_connection()


def endless(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    line = b"endless " * 128 + b"\n"
    trickle(h, b"%x\r\n%s\r\n" % (len(line), line), 0.01)


def garbage(h):
    h.wfile.write(b"\x00\x01\x02 this is not HTTP at all \xff\xfe\r\n\r\n\x7fELF garbage\n")
    h.wfile.flush()
    h.drop_connection()


def reset(h):
    h.drop_connection(reset=True)


def header_flood(h, count, header):
    """A 200 with `count` extra header lines, header(i) = (name, value) each."""
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    for i in range(count):
        h.send_header(*header(i))
    body = b"%d headers\n" % count
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


def huge_headers(h):
    # About 200 KB of long header lines.
    header_flood(h, 2200, lambda i: ("X-Filler-%04d" % i, "h" * 90))


def drip(h):
    """Headers at once, then the body a byte every 200 ms, for as long as allowed."""
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    trickle(h, b".", 0.2)


def many_headers(h):
    # 20,000 short header lines (about 300 KB): many, where /hugeheaders has long ones.
    header_flood(h, 20000, lambda i: ("X-%d" % i, str(i)))


def short_body(h):
    """Content-Length promises 10000 bytes; 12 come, then the connection closes."""
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Content-Length", "10000")
    h.end_headers()
    h.wfile.write(b"only twelve\n")
    h.wfile.flush()
    h.drop_connection()


GZIP_BOMB = None


def gzip_bomb(h):
    """128 MiB of zeros, gzip-compressed to about 128 KB, sent as Content-Encoding: gzip."""
    global GZIP_BOMB
    if GZIP_BOMB is None:
        import zlib
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b"\0" * (1 << 20)
        GZIP_BOMB = b"".join(c.compress(block) for _ in range(128)) + c.flush()
    h.reply(200, GZIP_BOMB, headers=[("Content-Encoding", "gzip")])


def bad_status_line(h):
    h.wfile.write(b"HTTP/1.1 two hundred OK\r\nContent-Length: 3\r\n\r\nbad")
    h.wfile.flush()
    h.drop_connection()


def demo_healthy(h):
    h.reply(200, b'{"status":"pass"}', content_type="application/health+json")


def demo_unauthorized(h):
    h.reply(401, b'{"error":"invalid_token"}\n', content_type="application/json", headers=[
        ("WWW-Authenticate",
         'Bearer realm="api", error="invalid_token", '
         'error_description="The access token expired"')])


def demo_forbidden(h):
    body = ("<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
            "<body><h1>Sorry, you have been blocked</h1>"
            "<p>You are unable to access this site.</p>"
            "<p>Cloudflare Ray ID: <strong>8c0ffee0ddba11ed</strong></p></body></html>\n")
    h.reply(403, body, content_type="text/html; charset=UTF-8", headers=[
        ("Server", "cloudflare"), ("CF-RAY", "8c0ffee0ddba11ed-FRA")])


def demo_slow(h):
    h.hold(2.5)
    h.reply(200, b"slow demo\n")


def external_location(h):
    # A link-local address that must never be contacted: only the sticky
    # redirect modes, which stay on 127.0.0.1, may be used with this route.
    scheme = "https" if h.server.tls else "http"
    return "%s://169.254.169.254:%d/redirect2" % (scheme, h.server.server_address[1])


def tls_session(h):
    """Whether this connection's TLS handshake resumed a session; the
    connection closes, so that the next request needs a handshake again."""
    reused = getattr(h.connection, "session_reused", None)
    h.close_connection = True
    h.reply(200, "resumed\n" if reused else "full handshake\n" if reused is False else "no TLS\n",
            headers=[("Connection", "close")])


ROUTES = {
    "/": root,
    "/file/root": root,
    "/slow": slow,
    "/timeout": never_answer,
    "/method": method,
    "/postdata": postdata,
    "/redirect": redirect_to(301, lambda h: h.base_url() + "/redirect2"),
    "/redirect_rel": redirect_to(302, "/redirect2"),
    "/redirect2": lambda h: h.reply(200, b"redirected"),
    "/redir_external": redirect_to(301, external_location),
    "/redir_timeout": redirect_to(302, "/timeout"),
    "/loop": redirect_to(302, lambda h: h.base_url() + "/loop"),
    "/header_check": header_check,
    "/virtual_port": virtual_port,
    "/chunked": chunked,
    "/headers": echo_headers,
    "/lastmod": lastmod,
    "/big": big,
    "/endless": endless,
    "/garbage": garbage,
    "/reset": reset,
    "/hugeheaders": huge_headers,
    "/drip": drip,
    "/manyheaders": many_headers,
    "/shortbody": short_body,
    "/gzipbomb": gzip_bomb,
    "/badstatus": bad_status_line,
    "/demo/healthy": demo_healthy,
    "/demo/unauthorized": demo_unauthorized,
    "/demo/forbidden": demo_forbidden,
    "/demo/slow": demo_slow,
    "/tls_session": tls_session,
}

PREFIX_ROUTES = [
    ("/statuscode/", statuscode),
    ("/redirect_chain/", redirect_chain),
    ("/sequence/", sequence),
]


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, tls_context=None, verbose=False):
        self.tls = tls_context
        self.verbose = verbose
        super().__init__(address, Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, in the connection's own thread, so a
        # client that connects and says nothing cannot stall accept().
        if self.tls is None:
            return super().finish_request(request, client_address)
        request.settimeout(30)
        try:
            conn = self.tls.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            conn.settimeout(None)
            self.RequestHandlerClass(conn, client_address, self)
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        # Clients that hang up mid-response are normal here.
        if self.verbose:
            super().handle_error(request, client_address)


def write_port_file(path, port):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--client-ca", metavar="CA",
                        help="with --tls: require a client certificate signed by CA")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started this one goes away")
    args = parser.parse_args()

    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)

    server = Server((args.bind, args.port), context, args.verbose)
    stop_requested = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop_requested.set())

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2})
    thread.start()
    write_port_file(args.port_file, server.server_address[1])
    parent = os.getppid()
    while not stop_requested.wait(0.5):
        if args.exit_with_parent and os.getppid() != parent:
            break  # the test runner died without stopping us
    STOP.set()
    server.shutdown()
    thread.join()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
