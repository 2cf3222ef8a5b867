#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Integration tests for check_probewise: the real binary against real
HTTP(S) servers on 127.0.0.1 (tests/servers/testserver.py).

    PROBEWISE_CHECK=/path/to/check_probewise python3 tests/integration/test_check.py -v

PROBEWISE_CHECK defaults to ../../build/check_plugin/check_probewise
relative to this file. Pointed at monitoring-plugins' check_curl
(PROBEWISE_CHECK=/usr/lib/nagios/plugins/check_curl) the check_curl-compatible
tests run and the probewise-only ones are skipped: that is how the expected
outputs below were validated (Debian 12's check_curl 2.3.3, libcurl 7.88).
Where check_curl 2.3.3 has a bug or lacks an option, the test says so and is
skipped for check_curl only.

Only the Python standard library and the openssl CLI are used. Nothing here
connects anywhere but 127.0.0.1 (and a DNS lookup of a name under .invalid).
"""

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS_DIR = os.path.normpath(os.path.join(HERE, "..", "servers"))
CHECK = os.environ.get("PROBEWISE_CHECK") or os.path.normpath(
    os.path.join(HERE, "..", "..", "build", "check_plugin", "check_probewise"))
IS_CHECK_CURL = os.path.basename(CHECK) == "check_curl"

HARD_TIMEOUT = 60     # no single run of the check may take longer than this
MARGIN = 5            # "finished within the timeout": the -t value plus this
STATES = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}

probewise_only = unittest.skipIf(IS_CHECK_CURL, "probewise-only feature")


def not_on_check_curl(why):
    return unittest.skipIf(IS_CHECK_CURL, "check_curl 2.3.3: " + why)


# --- the servers -------------------------------------------------------------

class Env:
    """Module-wide fixtures: the temporary directory, certificates, servers."""
    tmp = None
    certs = None
    servers = {}       # name -> (Popen, port)
    refused_port = None
    refused_sock = None
    run_env = None


def _start_server(name, tls=None, client_ca=None):
    port_file = os.path.join(Env.tmp, name + ".port")
    log = open(os.path.join(Env.tmp, name + ".log"), "wb")
    cmd = [sys.executable, os.path.join(SERVERS_DIR, "testserver.py"), "--port-file", port_file,
           "--exit-with-parent"]
    if tls:
        cmd += ["--tls", os.path.join(Env.certs, tls + ".pem"), os.path.join(Env.certs, tls + ".key")]
    if client_ca:
        cmd += ["--client-ca", os.path.join(Env.certs, client_ca + ".pem")]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    log.close()
    Env.servers[name] = (proc, None)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("test server %s exited with %s: %s"
                               % (name, proc.returncode, _server_log(name)))
        if os.path.exists(port_file):
            with open(port_file) as f:
                Env.servers[name] = (proc, int(f.read().strip()))
            return
        time.sleep(0.05)
    raise RuntimeError("test server %s did not start: %s" % (name, _server_log(name)))


def _server_log(name):
    try:
        with open(os.path.join(Env.tmp, name + ".log"), errors="replace") as f:
            return f.read()[-2000:]
    except OSError:
        return ""


def _stop_servers():
    for name, (proc, _) in list(Env.servers.items()):
        if proc.poll() is None:
            proc.terminate()
    for name, (proc, _) in list(Env.servers.items()):
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    Env.servers.clear()
    if Env.refused_sock is not None:
        Env.refused_sock.close()
        Env.refused_sock = None


def _remove_tmp():
    if Env.tmp and os.path.isdir(Env.tmp):
        shutil.rmtree(Env.tmp, ignore_errors=True)


def setUpModule():
    # Module cleanups run even when setUpModule fails half way, so no server
    # outlives the tests.
    Env.tmp = tempfile.mkdtemp(prefix="probewise-it-")
    unittest.addModuleCleanup(_remove_tmp)
    unittest.addModuleCleanup(_stop_servers)

    if not (os.path.isfile(CHECK) and os.access(CHECK, os.X_OK)):
        raise RuntimeError("the check binary %s does not exist (build it, or set PROBEWISE_CHECK)"
                           % CHECK)

    Env.certs = os.path.join(Env.tmp, "certs")
    subprocess.run(["sh", os.path.join(SERVERS_DIR, "make_certs.sh"), Env.certs],
                   check=True, timeout=120, stdin=subprocess.DEVNULL)

    _start_server("http")
    _start_server("https", tls="selfsigned")      # valid, self-signed, CN "probewise test"
    _start_server("https_ca", tls="server")       # signed by the test CA, CN localhost
    _start_server("https_near", tls="nearexpiry")  # expires in about 2 days
    _start_server("https_expired", tls="expired")  # expired in 2020
    _start_server("https_mtls", tls="server", client_ca="ca")  # wants a client certificate

    # A port that refuses connections: bound, never listening, held open so
    # that nobody else can take it while the tests run.
    Env.refused_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    Env.refused_sock.bind(("127.0.0.1", 0))
    Env.refused_port = Env.refused_sock.getsockname()[1]

    # The check runs with a private HOME and state directories, and without
    # proxies from the environment.
    home = os.path.join(Env.tmp, "home")
    os.makedirs(home)
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env.update(HOME=home, XDG_STATE_HOME=os.path.join(home, "state"),
               XDG_CACHE_HOME=os.path.join(home, "cache"), NO_PROXY="*", no_proxy="*",
               LC_ALL="C")
    Env.run_env = env


def tearDownModule():
    _stop_servers()


def port(name="http"):
    return Env.servers[name][1]


def raw_response_size(path, name="http"):
    """Header plus body bytes of one plain-HTTP answer, read off the wire."""
    with socket.create_connection(("127.0.0.1", port(name)), timeout=10) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                   % path).encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    return len(head) + 4, len(body)


# --- running the check -------------------------------------------------------

class Result:
    def __init__(self, args, proc, elapsed):
        self.args = args
        self.rc = proc.returncode
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")
        self.elapsed = elapsed
        self.lines = self.out.splitlines()
        self.first = self.lines[0] if self.lines else ""

    def __str__(self):
        return ("\n  command: %s\n  exit: %s after %.2fs\n  stdout: %s\n  stderr: %s"
                % (" ".join([CHECK] + self.args), self.rc, self.elapsed,
                   self.out[:3000], self.err[:3000]))


OK_LINE = re.compile(
    r"^HTTP OK: HTTP/1\.1 200 OK - (?P<bytes>\d+) bytes in (?P<secs>\d+\.\d{3}) second "
    r"response time \|time=(?P<time>\d+\.\d{6})s;;;0\.000000;(?P<max>\d+\.\d{6}) "
    r"size=(?P<size>\d+)B;;;0;?$")


class CheckTestCase(unittest.TestCase):
    maxDiff = None

    def run_check(self, args, timeout=HARD_TIMEOUT, env=None):
        run_env = dict(Env.run_env)
        # Every run starts with an empty state directory of its own, so that
        # change detection (on by default in probewise) never carries one
        # test's result into another's output. Tests of change detection
        # pass the state directory themselves.
        fresh_state = tempfile.mkdtemp(prefix="state-", dir=Env.tmp)
        run_env.update(XDG_STATE_HOME=fresh_state, PROBEWISE_STATE_DIR=fresh_state)
        run_env.update(env or {})
        start = time.monotonic()
        try:
            proc = subprocess.run([CHECK] + args, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=timeout, env=run_env)
        except subprocess.TimeoutExpired:
            self.fail("%s %s did not finish within %ss" % (CHECK, " ".join(args), timeout))
        result = Result(args, proc, time.monotonic() - start)
        # Whatever happens, a plugin exits 0-3 and is never killed by a signal.
        self.assertIn(result.rc, STATES, "exit code must be 0-3%s" % result)
        return result

    def check(self, args, rc, first=None, contains=(), first_re=None, within=None, env=None):
        """Runs the check and asserts the exit code and the first line."""
        result = self.run_check(args, env=env)
        self.assertEqual(result.rc, rc, "exit code%s" % result)
        if first is not None:
            self.assertTrue(result.first.startswith(first),
                            "first line should start with %r%s" % (first, result))
        if first_re is not None:
            self.assertRegex(result.first, first_re, str(result))
        for text in contains:
            self.assertIn(text, result.first, "first line%s" % result)
        if within is not None:
            self.assertLess(result.elapsed, within + MARGIN, "took too long%s" % result)
        return result

    @staticmethod
    def http(path="/", name="http"):
        return ["-I", "127.0.0.1", "-p", str(port(name)), "-u", path]

    @staticmethod
    def https(path="/", name="https"):
        return ["-I", "127.0.0.1", "-p", str(port(name)), "-S", "-u", path]

    @staticmethod
    def perfdata(line):
        """label -> raw value string of the perfdata part of a line."""
        if "|" not in line:
            return {}
        values = {}
        for item in line.split("|", 1)[1].split():
            label, _, rest = item.partition("=")
            values[label.strip("'")] = rest
        return values


# --- check_curl-compatible behaviour -----------------------------------------

class OutputShapeTest(CheckTestCase):

    def test_ok_line_shape_and_size(self):
        # size and "N bytes" are the header bytes plus body bytes of the answer.
        result = self.check(self.http("/"), 0)
        m = OK_LINE.match(result.first)
        self.assertIsNotNone(m, "first line shape%s" % result)
        head, body = raw_response_size("/")
        self.assertEqual(int(m.group("size")), head + body, str(result))
        self.assertEqual(int(m.group("bytes")), head + body, str(result))
        self.assertEqual(m.group("max"), "10.000000", "default timeout is 10 s" + str(result))
        self.assertAlmostEqual(float(m.group("secs")), float(m.group("time")), delta=0.0011)

    def test_file_root(self):
        result = self.check(self.http("/file/root"), 0, first_re=OK_LINE)
        self.assertEqual(int(OK_LINE.match(result.first).group("size")),
                         sum(raw_response_size("/file/root")))

    def test_perfdata_max_is_the_timeout(self):
        result = self.check(self.http("/") + ["-t", "5"], 0, first_re=OK_LINE)
        self.assertEqual(OK_LINE.match(result.first).group("max"), "5.000000")

    def test_perfdata_carries_thresholds(self):
        result = self.check(self.http("/") + ["-w", "5", "-c", "9"], 0)
        self.assertRegex(self.perfdata(result.first).get("time", ""),
                         r"^\d+\.\d{6}s;5\.000000;9\.000000;0\.000000;10\.000000$", str(result))


class StatusCodeTest(CheckTestCase):
    # Default verdicts as check_curl: 2xx and 3xx (with -f ok) OK, 4xx WARNING, 5xx CRITICAL.
    CASES = [
        (200, 0, "HTTP OK: HTTP/1.1 200 OK - "),
        (201, 0, "HTTP OK: HTTP/1.1 201 Created - "),
        (204, 0, "HTTP OK: HTTP/1.1 204 No Content - "),
        (301, 0, "HTTP OK: HTTP/1.1 301 Moved Permanently - "),
        (302, 0, "HTTP OK: HTTP/1.1 302 Found - "),
        (400, 1, "HTTP WARNING: HTTP/1.1 400 Bad Request - "),
        (401, 1, "HTTP WARNING: HTTP/1.1 401 Unauthorized - "),
        (403, 1, "HTTP WARNING: HTTP/1.1 403 Forbidden - "),
        (404, 1, "HTTP WARNING: HTTP/1.1 404 Not Found - "),
        (429, 1, "HTTP WARNING: HTTP/1.1 429 Too Many Requests - "),
        (500, 2, "HTTP CRITICAL: HTTP/1.1 500 Internal Server Error - "),
        (502, 2, "HTTP CRITICAL: HTTP/1.1 502 Bad Gateway - "),
        (503, 2, "HTTP CRITICAL: HTTP/1.1 503 Service Unavailable - "),
    ]

    def test_status_codes(self):
        for status, rc, first in self.CASES:
            with self.subTest(status=status):
                result = self.check(self.http("/statuscode/%d" % status), rc, first=first)
                self.assertIn(" bytes in ", result.first)
                self.assertIn("|time=", result.first)

    def test_expect(self):
        p = port()
        cases = [
            # -e mismatch: check_curl's exact line, no perfdata.
            (["-e", "200"], "/statuscode/201", 2, None,
             "HTTP CRITICAL - Invalid HTTP response received from host on port %d: "
             "HTTP/1.1 201 Created" % p),
            (["-e", "201"], "/statuscode/201", 0, 'Status line output matched "201"', None),
            (["-e", "200,201"], "/statuscode/201", 0, "Status line output matched", None),
            (["-e", "HTTP/1.1 404"], "/statuscode/404", 0, "Status line output matched", None),
            (["-e", "404"], "/statuscode/500", 2, None,
             "HTTP CRITICAL - Invalid HTTP response received from host on port %d: "
             "HTTP/1.1 500 Internal Server Error" % p),
        ]
        for extra, path, rc, contains, exact in cases:
            with self.subTest(args=extra, path=path):
                result = self.check(self.http(path) + extra, rc)
                if contains:
                    self.assertIn(contains, result.first, str(result))
                if exact:
                    self.assertEqual(result.first, exact, str(result))


class ContentTest(CheckTestCase):

    def test_content_checks(self):
        p = port()
        long = "abcdefghijklmnopqrstuvwxyz0123456789"
        size = sum(raw_response_size("/"))
        cases = [
            # (extra args, path, rc, text in the first line)
            (["-s", "test server"], "/", 0, None),
            (["-s", "nothere"], "/", 2,
             "string 'nothere' not found on 'http://127.0.0.1:%d/'" % p),
            (["-s", long], "/", 2,
             "string 'abcdefghijklmnopqrstuvwxyz...' not found on 'http://127.0.0.1:%d/'" % p),
            (["-d", "foo"], "/header_check", 0, None),
            (["-d", "nothere"], "/", 2,
             "header 'nothere' not found on 'http://127.0.0.1:%d/'" % p),
            (["-r", "roo+t"], "/", 0, None),
            (["-r", "xyz+"], "/", 2, "pattern not found"),
            (["-R", "ROOT"], "/", 0, None),
            (["-r", "ROOT"], "/", 2, "pattern not found"),
            (["-r", "root", "--invert-regex"], "/", 2, "pattern found"),
            (["-r", "xyz", "--invert-regex"], "/", 0, None),
            (["-m", "10:100000"], "/", 0, None),
            (["-m", "10:100"], "/", 1, "page size %d too large" % size),
            (["-m", "1000:2000"], "/", 1, "page size %d too small" % size),
            (["-M", "60"], "/lastmod?age=3600", 2, "Last modified"),
            (["-M", "10m"], "/lastmod?age=3600", 2, "Last modified"),
            (["-M", "1h"], "/lastmod?age=10", 0, None),
            (["-M", "1d"], "/lastmod?age=7200", 0, None),
        ]
        for extra, path, rc, text in cases:
            with self.subTest(args=extra, path=path):
                result = self.check(self.http(path) + extra, rc)
                if rc == 0:
                    self.assertTrue(result.first.startswith("HTTP OK: HTTP/1.1 200 OK - "),
                                    str(result))
                else:
                    self.assertTrue(result.first.startswith(
                        "HTTP %s: HTTP/1.1 200 OK - " % STATES[rc]), str(result))
                if text:
                    self.assertIn(text, result.first, str(result))

    def test_chunked_body_is_decoded(self):
        self.check(self.http("/chunked") + ["-s", "chunkedencodingtest"], 0,
                   first="HTTP OK: HTTP/1.1 200 OK - ")

    def test_no_body(self):
        for flag in ("--no-body", "-N"):
            with self.subTest(flag=flag):
                result = self.check(self.http("/big?bytes=100000") + [flag], 0,
                                    first="HTTP OK: HTTP/1.1 200 OK - ")
                size = int(re.search(r"size=(\d+)B", result.first).group(1))
                self.assertLess(size, 1000, "the body must not be read%s" % result)

    def test_big_body_is_counted(self):
        result = self.check(self.http("/big?bytes=100000"), 0, first="HTTP OK: HTTP/1.1 200 OK - ")
        size = int(re.search(r"size=(\d+)B", result.first).group(1))
        self.assertEqual(size, sum(raw_response_size("/big?bytes=100000")), str(result))


class MethodTest(CheckTestCase):

    def test_methods(self):
        cases = [
            (["-j", "HEAD"], 0, "HTTP OK: HTTP/1.1 200 HEAD - "),
            (["-j", "GET"], 0, "HTTP OK: HTTP/1.1 200 GET - "),
            (["-j", "POST"], 0, "HTTP OK: HTTP/1.1 200 POST - "),
            (["-j", "PUT"], 0, "HTTP OK: HTTP/1.1 200 PUT - "),
            (["-j", "OPTIONS"], 0, "HTTP OK: HTTP/1.1 200 OPTIONS - "),
            (["-j", "DELETE"], 1, "HTTP WARNING: HTTP/1.1 405 Method Not Allowed - "),
            (["-j", "foo"], 2, "HTTP CRITICAL: HTTP/1.1 501 Not Implemented - "),
            (["-P", "a=b"], 0, "HTTP OK: HTTP/1.1 200 POST - "),
        ]
        for extra, rc, first in cases:
            with self.subTest(args=extra):
                self.check(self.http("/method") + extra, rc, first=first)

    def test_post_data(self):
        cases = [
            (["-P", "a=b&c=d"], "POST:a=b&c=d"),
            (["-j", "POST", "-P", "x=1"], "POST:x=1"),
            (["-j", "PUT", "-P", "a=b"], "PUT:a=b"),
        ]
        for extra, expected in cases:
            with self.subTest(args=extra):
                self.check(self.http("/postdata") + extra + ["-s", expected], 0,
                           first="HTTP OK: HTTP/1.1 200 OK - ")

    def test_content_type(self):
        self.check(self.http("/headers") + ["-P", "x=1", "-T", "application/json",
                                            "-s", "Content-Type: application/json"], 0,
                   first="HTTP OK: HTTP/1.1 200 OK - ")


class RequestHeaderTest(CheckTestCase):

    def test_request_headers(self):
        cases = [
            (["-k", "X-Probe: yes"], "X-Probe: yes", 0),
            (["-k", "X-One: 1", "-k", "X-Two: 2"], "X-Two: 2", 0),
            (["-k", "X-One: 1", "-k", "X-Two: 2"], "X-One: 1", 0),
            ([], "X-Probe: yes", 2),  # the negative control
            (["-A", "probewise-agent/1.0"], "User-Agent: probewise-agent/1.0", 0),
        ]
        for extra, expected, rc in cases:
            with self.subTest(args=extra, expected=expected):
                self.check(self.http("/headers") + extra + ["-s", expected], rc)

    def test_virtual_host(self):
        # -H sets the Host header; -I says where to connect. A port in -H goes
        # into the header as given; without one, the connection's port does.
        p = port()
        cases = [
            (["-H", "localhost:8080", "-I", "127.0.0.1", "-p", str(p)], "localhost:8080"),
            (["-H", "localhost", "-I", "127.0.0.1", "-p", str(p)], "localhost:%d" % p),
            (["-H", "127.0.0.1", "-p", str(p)], "127.0.0.1:%d" % p),
            (["-H", "localhost:%d" % p], "localhost:%d" % p),
        ]
        for args, host in cases:
            with self.subTest(args=args):
                self.check(args + ["-u", "/virtual_port", "-r", "^%s$" % re.escape(host)], 0,
                           first="HTTP OK: HTTP/1.1 200 OK - ")


class AuthTest(CheckTestCase):
    USER, PASSWORD = "probe", "S3cr3tPassw0rd"

    def test_basic_auth_is_sent(self):
        token = base64.b64encode(("%s:%s" % (self.USER, self.PASSWORD)).encode()).decode()
        self.check(self.http("/headers") + ["-a", "%s:%s" % (self.USER, self.PASSWORD),
                                            "-s", "Authorization: Basic " + token], 0,
                   first="HTTP OK: HTTP/1.1 200 OK - ")

    def test_password_never_printed(self):
        token = base64.b64encode(("%s:%s" % (self.USER, self.PASSWORD)).encode()).decode()
        for verbosity in ("-v", "-vv", "-vvv"):
            with self.subTest(verbosity=verbosity):
                result = self.check(self.http("/") + ["-a", "%s:%s" % (self.USER, self.PASSWORD),
                                                      verbosity], 0)
                everything = result.out + result.err
                self.assertNotIn(self.PASSWORD, everything, str(result))
                if not IS_CHECK_CURL:  # check_curl -v prints libcurl's trace, header and all
                    self.assertNotIn(token, everything, str(result))


class RedirectTest(CheckTestCase):

    def test_onredirect_modes(self):
        redirected_size = sum(raw_response_size("/redirect2"))
        cases = [
            ("ok", 0, "HTTP OK: HTTP/1.1 301 Moved Permanently - "),
            ("warning", 1, "HTTP WARNING: HTTP/1.1 301 Moved Permanently - "),
            ("critical", 2, "HTTP CRITICAL: HTTP/1.1 301 Moved Permanently - "),
            ("follow", 0, "HTTP OK: HTTP/1.1 200 OK - "),
            ("sticky", 0, "HTTP OK: HTTP/1.1 200 OK - "),
            ("stickyport", 0, "HTTP OK: HTTP/1.1 200 OK - "),
            ("curl", 0, "HTTP OK: HTTP/1.1 200 OK - "),
        ]
        for mode, rc, first in cases:
            with self.subTest(mode=mode):
                extra = ["-s", "redirected"] if rc == 0 and mode != "ok" else []
                result = self.check(self.http("/redirect") + ["-f", mode] + extra, rc, first=first)
                if mode in ("follow", "sticky", "stickyport"):
                    # size is that of the final answer
                    self.assertIn("size=%dB" % redirected_size, result.first, str(result))

    def test_relative_location(self):
        for mode in ("stickyport", "curl"):
            with self.subTest(mode=mode):
                self.check(self.http("/redirect_rel") + ["-f", mode, "-s", "redirected"], 0,
                           first="HTTP OK: HTTP/1.1 200 OK - ")

    @not_on_check_curl("follows a relative Location to port 80")
    def test_relative_location_follow(self):
        for mode in ("follow", "sticky"):
            with self.subTest(mode=mode):
                self.check(self.http("/redirect_rel") + ["-f", mode, "-s", "redirected"], 0,
                           first="HTTP OK: HTTP/1.1 200 OK - ")

    def test_sticky_stays_on_the_address(self):
        # The Location names 169.254.169.254; sticky modes must keep 127.0.0.1.
        for mode in ("sticky", "stickyport"):
            with self.subTest(mode=mode):
                self.check(self.http("/redir_external") + ["-f", mode, "-s", "redirected", "-t", "5"],
                           0, first="HTTP OK: HTTP/1.1 200 OK - ", within=5)

    def test_redirect_loop(self):
        p = port()
        for mode in ("follow", "sticky", "stickyport"):
            with self.subTest(mode=mode):
                result = self.check(self.http("/loop") + ["-f", mode], 2, within=10)
                self.assertEqual(result.first, "HTTP CRITICAL - redirection creates an infinite "
                                 "loop - http://127.0.0.1:%d/loop" % p, str(result))
        with self.subTest(mode="curl"):
            self.check(self.http("/loop") + ["-f", "curl"], 2, first="HTTP CRITICAL", within=10)

    def test_max_redirs(self):
        p = port()
        for mode in ("follow", "sticky", "stickyport", "curl"):
            with self.subTest(mode=mode, hops=3):
                self.check(self.http("/redirect_chain/3") + ["-f", mode, "--max-redirs", "3"], 0,
                           first="HTTP OK: HTTP/1.1 200 OK - ")
            with self.subTest(mode=mode, hops=5):
                if mode == "curl":
                    self.check(self.http("/redirect_chain/5") + ["-f", mode, "--max-redirs", "3"],
                               2, first="HTTP CRITICAL")
                else:
                    result = self.check(self.http("/redirect_chain/5")
                                        + ["-f", mode, "--max-redirs", "3"], 1)
                    self.assertEqual(result.first, "HTTP WARNING - maximum redirection depth 3 "
                                     "exceeded - http://127.0.0.1:%d/redirect_chain/1" % p,
                                     str(result))

    def test_redirect_to_timeout(self):
        for mode in ("stickyport", "curl"):
            with self.subTest(mode=mode):
                self.check(self.http("/redir_timeout") + ["-f", mode, "-t", "2"], 2,
                           first="HTTP CRITICAL", within=2)


class TimeoutTest(CheckTestCase):

    def test_timeouts(self):
        cases = [
            ("/timeout", "2"),
            ("/slow?ms=4000", "1"),
            ("/demo/slow", "1"),
        ]
        for path, timeout in cases:
            with self.subTest(path=path, timeout=timeout):
                self.check(self.http(path) + ["-t", timeout], 2, first="HTTP CRITICAL",
                           within=int(timeout))

    @not_on_check_curl("has no --timeout-result")
    def test_timeout_result(self):
        for value, rc in (("warning", 1), ("critical", 2), ("unknown", 3), ("ok", 0)):
            with self.subTest(value=value):
                self.check(self.http("/timeout") + ["-t", "2", "--timeout-result=" + value], rc,
                           within=2)

    def test_response_time_thresholds(self):
        cases = [
            (["-w", "0.5", "-c", "30"], 1, "HTTP WARNING: HTTP/1.1 200 OK - "),
            (["-w", "0.2", "-c", "0.5"], 2, "HTTP CRITICAL: HTTP/1.1 200 OK - "),
            (["-w", "30", "-c", "40"], 0, "HTTP OK: HTTP/1.1 200 OK - "),
        ]
        for extra, rc, first in cases:
            with self.subTest(args=extra):
                self.check(self.http("/slow?ms=1100") + extra, rc, first=first)


class TlsTest(CheckTestCase):

    def test_ssl(self):
        for extra in (["-S"], ["--ssl"], ["--ssl=1.2+"], ["-S", "--sni"]):
            with self.subTest(args=extra):
                self.check(["-I", "127.0.0.1", "-p", str(port("https")), "-u", "/"] + extra, 0,
                           first_re=OK_LINE)

    def test_certificate_only(self):
        cases = [
            ("https", ["-C", "30,14"], 0,
             r"^OK - Certificate 'probewise test' will expire on .+\.$"),
            ("https", ["-C", "30"], 0,
             r"^OK - Certificate 'probewise test' will expire on .+\.$"),
            ("https_near", ["-C", "30,14"], 2,
             r"^CRITICAL - Certificate 'probewise near expiry' expires in \d+ day\(s\) \(.+\)\.$"),
            ("https_near", ["-C", "30"], 1,
             r"^WARNING - Certificate 'probewise near expiry' expires in \d+ day\(s\) \(.+\)\.$"),
            ("https_expired", ["-C", "30,14"], 2,
             r"^CRITICAL - Certificate 'probewise expired' expired on .+\.$"),
            ("https_expired", ["-C", "30"], 2,
             r"^CRITICAL - Certificate 'probewise expired' expired on .+\.$"),
        ]
        for name, extra, rc, line in cases:
            with self.subTest(server=name, args=extra):
                result = self.check(self.https("/", name) + extra, rc, first_re=line)
                self.assertFalse(any(l.startswith("HTTP ") for l in result.lines),
                                 "cert-only mode makes no HTTP verdict%s" % result)

    def test_continue_after_certificate(self):
        cases = [
            ("https_near", 1, "WARNING", "Certificate 'probewise near expiry' expires in "),
            ("https_expired", 2, "CRITICAL", "Certificate 'probewise expired' expired on "),
        ]
        for name, cert_rc, cert_state, cert_text in cases:
            with self.subTest(server=name):
                result = self.run_check(self.https("/", name)
                                        + ["-C", "30", "--continue-after-certificate"])
                if IS_CHECK_CURL:
                    # check_curl 2.3.3: the certificate line, then the HTTP
                    # line, and the exit code of the HTTP check alone.
                    self.assertTrue(any(l.startswith(cert_state + " - " + cert_text)
                                        for l in result.lines), str(result))
                    self.assertTrue(any(l.startswith("HTTP OK: HTTP/1.1 200 OK - ")
                                        for l in result.lines), str(result))
                else:
                    # Both results are reported, and the certificate's state
                    # is not lost behind the HTTP verdict.
                    self.assertIn(cert_text, result.out, str(result))
                    self.assertIn("HTTP/1.1 200 OK", result.out, str(result))
                    self.assertEqual(result.rc, cert_rc, str(result))

    def test_verify_cert(self):
        ca = os.path.join(Env.certs, "ca.pem")
        cases = [
            (["-H", "localhost", "-I", "127.0.0.1", "-p", str(port("https_ca")), "-S", "-D",
              "--ca-cert", ca], 0, "HTTP OK: HTTP/1.1 200 OK - "),
            (["-I", "127.0.0.1", "-p", str(port("https_ca")), "-S", "-D", "--ca-cert", ca], 0,
             "HTTP OK: HTTP/1.1 200 OK - "),
            (["-H", "localhost", "-I", "127.0.0.1", "-p", str(port("https")), "-S", "-D",
              "--ca-cert", ca], 2, "HTTP CRITICAL"),
            (["-H", "localhost", "-I", "127.0.0.1", "-p", str(port("https_ca")), "-S", "-D"], 2,
             "HTTP CRITICAL"),
            (["-H", "localhost", "-I", "127.0.0.1", "-p", str(port("https_expired")), "-S", "-D",
              "--ca-cert", ca], 2, "HTTP CRITICAL"),
            # without -D an untrusted certificate is fine, as in check_curl
            (["-I", "127.0.0.1", "-p", str(port("https")), "-S"], 0, "HTTP OK"),
        ]
        for args, rc, first in cases:
            with self.subTest(args=args):
                self.check(args + ["-t", "5"], rc, first=first, within=5)

    def test_options_that_imply_tls(self):
        # -J/-K (and --ca-cert) turn TLS on in check_http and check_curl: no -S
        # needed, and port 443 is the default then.
        cert, key, ca = (os.path.join(Env.certs, n) for n in ("client.pem", "client.key", "ca.pem"))
        mtls = ["-I", "127.0.0.1", "-p", str(port("https_mtls")), "-u", "/"]
        cases = [
            (mtls + ["-J", cert, "-K", key], 0, "HTTP OK: HTTP/1.1 200 OK - "),
            (mtls + ["-S", "-J", cert, "-K", key], 0, "HTTP OK: HTTP/1.1 200 OK - "),
            # the server does want the certificate: without it, no handshake
            (mtls + ["-S"], 2, "HTTP CRITICAL - "),
            (["-H", "localhost", "-I", "127.0.0.1", "-p", str(port("https_ca")), "--ca-cert", ca], 0,
             "HTTP OK: HTTP/1.1 200 OK - "),
        ]
        if not IS_CHECK_CURL:  # -D implies TLS in current check_curl, not in 2.3.3
            cases.append((["-H", "localhost", "-I", "127.0.0.1", "-p", str(port("https_ca")), "-D",
                           "--ca-cert", ca], 0, "HTTP OK: HTTP/1.1 200 OK - "))
        for args, rc, first in cases:
            with self.subTest(args=args):
                self.check(args + ["-t", "5"], rc, first=first, within=5)

    def test_tls_error_text(self):
        # libcurl's message carries OpenSSL's text for its error codes (the
        # check loads OpenSSL's error strings only when it needs them).
        cases = [
            (["-I", "127.0.0.1", "-p", str(port("http")), "-S"], "SSL routines::wrong version number"),
            (self.https("/") + ["-J", "/nonexistent.pem", "-K", "/nonexistent.key"],
             "system library::No such file or directory"),
        ]
        for args, text in cases:
            with self.subTest(args=args):
                result = self.check(args, 2, first="HTTP CRITICAL", contains=[text])
                self.assertNotRegex(result.out, r"lib\(\d+\)|reason\(\d+\)", str(result))

    def test_extended_perfdata(self):
        cases = [
            (self.http("/"), ["time_connect", "time_headers", "time_firstbyte", "time_transfer"]),
            (self.https("/"), ["time_connect", "time_ssl", "time_headers", "time_firstbyte",
                               "time_transfer"]),
        ]
        for args, labels in cases:
            with self.subTest(args=args):
                result = self.check(args + ["-E"], 0, first="HTTP OK: HTTP/1.1 200 OK - ")
                perf = self.perfdata(result.first)
                for label in ["time", "size"] + labels:
                    self.assertIn(label, perf, str(result))
                for label in labels:
                    self.assertRegex(perf[label], r"^\d+\.\d+s;", str(result))


@probewise_only
class IncumbentWordsTest(CheckTestCase):
    """check_http's words under that name or with --compat=check_http, and
    current upstream check_curl's --output-format values (SPEC 1.1)."""

    def as_check_http(self):
        link = os.path.join(Env.tmp, "check_http")
        if not os.path.lexists(link):
            os.symlink(CHECK, link)
        return link

    def run_named(self, program, args):
        run_env = dict(Env.run_env)
        run_env.update(PROBEWISE_STATE_DIR=tempfile.mkdtemp(prefix="state-", dir=Env.tmp))
        proc = subprocess.run([program] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=HARD_TIMEOUT, env=run_env)
        return Result(args, proc, 0)

    def test_expect_matched(self):
        args = self.http("/statuscode/201") + ["-e", "200,201,202"]
        check_http = re.compile(r'^HTTP OK: Status line output matched "200,201,202" - \d+ bytes in '
                                r'\d+\.\d{3} second response time \|time=')
        for result in (self.run_named(self.as_check_http(), args),
                       self.run_check(args + ["--compat=check_http"])):
            self.assertEqual(result.rc, 0, str(result))
            self.assertRegex(result.first, check_http, str(result))
        result = self.run_check(args)
        self.assertEqual(result.rc, 0, str(result))
        self.assertTrue(result.first.startswith(
            'HTTP OK: HTTP/1.1 201 Created - Status line output matched "200,201,202" - '), str(result))
        # --compat wins over the name
        result = self.run_named(self.as_check_http(), args + ["--compat", "check_curl"])
        self.assertTrue(result.first.startswith("HTTP OK: HTTP/1.1 201 Created - "), str(result))

    def test_connection_refused(self):
        args = ["-H", "127.0.0.1", "-p", str(Env.refused_port), "-t", "5"]
        result = self.run_named(self.as_check_http(), args)
        self.assertEqual(result.rc, 2, str(result))
        self.assertEqual(result.lines[:2], [
            "connect to address 127.0.0.1 and port %d: Connection refused" % Env.refused_port,
            "HTTP CRITICAL - Unable to open TCP socket"], str(result))
        self.assertIn("Reason: net.refused", result.out, str(result))

    def test_bad_compat(self):
        result = self.check(self.http("/") + ["--compat=check_tcp"], 3, first="HTTP UNKNOWN - ")
        self.assertIn("--compat", result.first, str(result))
        self.assertEqual(len(result.lines), 1, str(result))

    def test_multi_line(self):
        result = self.check(self.http("/statuscode/503") + ["--output-format=multi-line"], 2,
                            first="[CRITICAL] - HTTP/1.1 503 Service Unavailable - ")
        self.assertIn("\t\\_[CRITICAL] - Testing http://127.0.0.1:%d/statuscode/503" % port("http"),
                      result.out, str(result))
        self.assertIn("\t\t\\_[CRITICAL] - Reason: http.server_error", result.out, str(result))
        self.assertRegex(result.lines[-1], r"\|time=\d+\.\d{6}s;;;0\.000000;10\.000000 size=\d+B;;;0$",
                         str(result))
        self.assertEqual(result.out.count("|"), 1, str(result))

    def test_mp_test_json(self):
        for path, state in (("/statuscode/503", "CRITICAL"), ("/", "OK")):
            with self.subTest(path=path):
                # exit 0 whatever the state, as upstream: the state is in the JSON
                result = self.check(self.http(path) + ["--output-format=MP-TEST-JSON"], 0)
                doc = json.loads(result.out)
                self.assertEqual(doc["state"], state, str(result))
                self.assertEqual(doc["checks"][0]["state"], state, str(result))
                labels = [pd["label"] for sc in doc["checks"][0]["checks"] for pd in sc.get("perfdata", [])]
                self.assertEqual(labels[:2], ["time", "size"], str(result))

    def test_bad_output_format(self):
        result = self.check(self.http("/") + ["--output-format=xml"], 3, first="HTTP UNKNOWN - ")
        self.assertIn("mp-test-json", result.first, str(result))


class HostileServerTest(CheckTestCase):

    def test_hostile_servers(self):
        cases = [
            ("/garbage", "10", {2}),
            ("/reset", "10", {2}),
            ("/endless", "3", {2}),
            # curl accepts ~200 KB of headers; rejecting them is fine too.
            ("/hugeheaders", "10", {0, 2}),
            ("/manyheaders", "10", {0, 2}),
            ("/drip", "3", {2}),
            ("/shortbody", "10", {2}),
            ("/gzipbomb", "10", {0}),
            ("/badstatus", "10", {2}),
        ]
        for path, timeout, rcs in cases:
            for args in (self.http(path), self.https(path)):
                with self.subTest(path=path, args=args):
                    result = self.run_check(args + ["-t", timeout])
                    self.assertIn(result.rc, rcs, str(result))
                    self.assertLess(result.elapsed, int(timeout) + MARGIN, str(result))
                    self.assertRegex(result.first, r"^HTTP (OK|CRITICAL)", str(result))

    def test_connection_refused(self):
        p = Env.refused_port
        result = self.check(["-I", "127.0.0.1", "-p", str(p), "-t", "5"], 2,
                            first="HTTP CRITICAL", within=5)
        self.assertIn(str(p), result.first, str(result))

    def test_unresolvable_name(self):
        self.check(["-H", "probewise-test.invalid", "-p", "80", "-t", "5"], 2,
                   first="HTTP CRITICAL", within=5)


class ArgumentTest(CheckTestCase):
    # (args, keywords of which the UNKNOWN line must name one, skip on check_curl)
    CASES = [
        (["-I", "127.0.0.1", "--bogus-option"], ["bogus-option"], False),
        (["-I", "127.0.0.1", "-w", "5:1"], ["5:1", "warning", "-w", "range", "threshold"], False),
        (["-I", "127.0.0.1", "-c", "10:5"], ["10:5", "critical", "-c", "range", "threshold"], False),
        (["-I", "127.0.0.1", "-c", "@@"], ["@@", "critical", "-c", "range", "threshold"], True),
        (["-I", "127.0.0.1", "-w", "abc"], ["abc", "warning", "-w", "range", "threshold"], True),
        (["-I", "127.0.0.1", "-f", "bogus"], ["bogus", "onredirect", "-f"], False),
        (["-I", "127.0.0.1", "-p", "abc"], ["abc", "port"], False),
        (["-I", "127.0.0.1", "-p", "99999"], ["99999", "port"], True),
        (["-I", "127.0.0.1", "-u", "http://[::1"], ["url", "[::1"], True),
        (["-I", "127.0.0.1", "-C", "abc"], ["abc", "certificate", "-c"], False),
        (["-u", "/"], ["host", "-h", "-i", "address"], False),
        ([], ["host", "-h", "-i", "address"], False),
    ]

    def test_bad_arguments(self):
        for args, keywords, skip_check_curl in self.CASES:
            if skip_check_curl and IS_CHECK_CURL:
                continue
            if "-I" in args:
                # should the check run anyway, it meets a refusing port
                args = ["-p", str(Env.refused_port)] + args
            with self.subTest(args=args):
                result = self.check(args, 3)
                if IS_CHECK_CURL:
                    continue  # check_curl prints its usage text instead
                self.assertRegex(result.first, r"^(HTTP )?UNKNOWN", str(result))
                self.assertTrue(any(k.lower() in result.first.lower() for k in keywords),
                                "the line should name the problem (%s)%s" % (keywords, result))

    def test_help(self):
        for flag in ("--help", "-h"):
            with self.subTest(flag=flag):
                result = self.check([flag], 3)
                self.assertIn("Usage", result.out, str(result))
                for option in ("--onredirect", "--continue-after-certificate", "--max-redirs"):
                    self.assertIn(option, result.out, str(result))

    def test_version(self):
        for flag in ("-V", "--version"):
            with self.subTest(flag=flag):
                result = self.check([flag], 3)
                self.assertRegex(result.out, r"libcurl/\d+\.\d+\.\d+", str(result))


# --- probewise-only features -------------------------------------------------

@probewise_only
class QuietStderrTest(CheckTestCase):
    # A plugin's output is stdout; monitoring systems drop or mangle stderr.

    def test_nothing_on_stderr(self):
        cases = [
            self.http("/"),
            self.http("/statuscode/500"),
            self.http("/timeout") + ["-t", "1"],
            ["-I", "127.0.0.1", "-p", str(Env.refused_port)],
            self.http("/") + ["-w", "5:1"],
            self.http("/") + ["--bogus-option"],
            self.https("/", "https_expired") + ["-C", "30"],
        ]
        for args in cases:
            with self.subTest(args=args):
                result = self.run_check(args)
                self.assertEqual(result.err, "", str(result))

@probewise_only
class ExpectStatusTest(CheckTestCase):

    def test_expect_status(self):
        cases = [
            ("200-299,401", 200, 0), ("200-299,401", 204, 0), ("200-299,401", 401, 0),
            ("200-299,401", 403, 2), ("200-299,401", 500, 2), ("200-299,401", 301, 2),
            ("2xx,304", 200, 0), ("2xx,304", 299, 0), ("2xx,304", 304, 0),
            ("2xx,304", 302, 2), ("2xx,304", 404, 2), ("2xx,304", 503, 2),
            ("200,204", 201, 2), ("404", 404, 0),
        ]
        for spec, status, rc in cases:
            with self.subTest(expect=spec, status=status):
                self.check(self.http("/statuscode/%d" % status) + ["--expect-status=" + spec], rc,
                           first="HTTP %s" % STATES[rc])

    def test_status_state(self):
        spec = "--status-state=401=critical,403=ok,4xx=critical,503=warning"
        cases = [(200, 0), (401, 2), (403, 0), (404, 2), (429, 2), (503, 1), (500, 2)]
        for status, rc in cases:
            with self.subTest(status=status):
                self.check(self.http("/statuscode/%d" % status) + [spec], rc,
                           first="HTTP %s" % STATES[rc])

    def test_expect_status_with_status_state(self):
        self.check(self.http("/statuscode/401") + ["--expect-status=2xx",
                                                   "--status-state=401=warning"], 1)

    def test_bad_lists(self):
        for arg in ("--expect-status=abc", "--expect-status=299-200", "--expect-status=2yy",
                    "--status-state=401=bogus", "--status-state=401",
                    "--output-format=xml"):
            with self.subTest(arg=arg):
                result = self.check(self.http("/") + [arg], 3)
                self.assertRegex(result.first, r"^(HTTP )?UNKNOWN", str(result))


@probewise_only
class JsonOutputTest(CheckTestCase):
    MEMBERS = ("state", "exit_code", "reason", "reasons", "summary", "hints", "evidence",
               "http", "timings_ms", "change", "token", "tls", "health")

    def json_check(self, args, rc, reason, env=None):
        result = self.check(args + ["--output-format=json"], rc, env=env)
        try:
            doc = json.loads(result.out)
        except ValueError as e:
            self.fail("stdout is not one JSON object (%s)%s" % (e, result))
        self.assertIsInstance(doc, dict, str(result))
        for member in self.MEMBERS:
            self.assertIn(member, doc, str(result))
        self.assertEqual(doc["exit_code"], rc, str(result))
        self.assertEqual(doc["state"], STATES[rc], str(result))
        self.assertEqual(doc["reason"], reason, str(result))
        self.assertIsInstance(doc["reasons"], list, str(result))
        self.assertIn(reason, doc["reasons"], str(result))
        self.assertIsInstance(doc["summary"], str, str(result))
        self.assertIsInstance(doc["hints"], list, str(result))
        self.assertIsInstance(doc["evidence"], list, str(result))
        return doc, result

    def test_reason_codes(self):
        p = port()
        ca = os.path.join(Env.certs, "ca.pem")
        cases = [
            # (name, args, rc, reason, http status or None when no HTTP answer)
            ("ok", self.http("/"), 0, "ok", 200),
            ("404", self.http("/statuscode/404"), 1, "http.client_error", 404),
            ("500", self.http("/statuscode/500"), 2, "http.server_error", 500),
            ("redirect", self.http("/redirect") + ["-f", "warning"], 1, "http.redirect", 301),
            ("-e", self.http("/statuscode/201") + ["-e", "200"], 2, "http.unexpected_status", 201),
            ("expect-status", self.http("/statuscode/201") + ["--expect-status=200,204"], 2,
             "http.unexpected_status", 201),
            ("string", self.http("/") + ["-s", "nothere"], 2, "content.mismatch", 200),
            ("regex", self.http("/") + ["-r", "nothere"], 2, "content.mismatch", 200),
            ("header", self.http("/") + ["-d", "nothere"], 2, "content.mismatch", 200),
            ("size", self.http("/") + ["-m", "1000:2000"], 1, "content.mismatch", 200),
            ("age", self.http("/lastmod?age=3600") + ["-M", "60"], 2, "content.mismatch", 200),
            ("refused", ["-I", "127.0.0.1", "-p", str(Env.refused_port)], 2, "net.refused", None),
            ("timeout", self.http("/timeout") + ["-t", "2"], 2, "net.timeout", None),
            ("dns", ["-H", "probewise-test.invalid", "-p", str(p), "-t", "5"], 2, "net.dns", None),
            ("untrusted", ["-H", "localhost", "-I", "127.0.0.1", "-p", str(port("https")), "-S",
                           "-D", "--ca-cert", ca], 2, "tls.untrusted", None),
            ("slow", self.http("/slow?ms=1100") + ["-w", "0.5", "-c", "30"], 1, "slow", 200),
        ]
        for name, args, rc, reason, status in cases:
            with self.subTest(name=name):
                doc, result = self.json_check(args, rc, reason)
                if status is None:
                    self.assertIsNone(doc["http"], str(result))
                else:
                    self.assertIsInstance(doc["http"], dict, str(result))
                    self.assertEqual(doc["http"]["status"], status, str(result))
                    self.assertEqual(doc["http"]["version"], "HTTP/1.1", str(result))
                    self.assertIn("127.0.0.1:%d/" % p, doc["http"]["effective_url"], str(result))

    def test_ok_document(self):
        doc, result = self.json_check(self.http("/"), 0, "ok")
        self.assertEqual(doc["reasons"], ["ok"], str(result))
        self.assertTrue(doc["http"]["effective_url"].endswith("127.0.0.1:%d/" % port()),
                        str(result))
        timings = doc["timings_ms"]
        self.assertIsInstance(timings, dict, str(result))
        for key in ("dns", "connect", "tls", "ttfb", "total"):
            self.assertIsInstance(timings.get(key), (int, float), "timings_ms.%s%s" % (key, result))
            self.assertGreaterEqual(timings[key], 0, str(result))
        self.assertGreaterEqual(timings["total"], timings["connect"], str(result))
        # plain HTTP, no token, no health document, no state: nothing to say
        for member in ("tls", "token", "health", "change"):
            self.assertIsNone(doc[member], "%s should be null%s" % (member, result))

    def test_followed_redirect_effective_url(self):
        doc, result = self.json_check(self.http("/redirect") + ["-f", "follow"], 0, "ok")
        self.assertTrue(doc["http"]["effective_url"].endswith("/redirect2"), str(result))

    def test_certificates(self):
        cases = [
            ("https_near", ["-C", "30,14"], 2, "tls.expiring", lambda d: 0 <= d <= 2),
            ("https_near", ["-C", "30"], 1, "tls.expiring", lambda d: 0 <= d <= 2),
            ("https_expired", ["-C", "30,14"], 2, "tls.expired", lambda d: d < 0),
            ("https", ["-C", "30,14"], 0, "ok", lambda d: 300 <= d <= 400),
        ]
        for name, extra, rc, reason, days_ok in cases:
            with self.subTest(server=name, args=extra):
                doc, result = self.json_check(self.https("/", name) + extra, rc, reason)
                self.assertIsInstance(doc["tls"], dict, str(result))
                self.assertTrue(doc["tls"].get("not_after"), str(result))
                self.assertTrue(days_ok(doc["tls"]["days_left"]), str(result))

    def test_health(self):
        doc, result = self.json_check(self.http("/demo/healthy") + ["--health"], 0, "ok")
        self.assertIsInstance(doc["health"], dict, str(result))
        self.assertEqual(doc["health"].get("status"), "pass", str(result))

    def test_waf_block(self):
        doc, result = self.json_check(self.http("/demo/forbidden"), 1, "forbidden.waf")
        self.assertIn("cloudflare", json.dumps(doc["evidence"]).lower(), str(result))

    def test_expired_token(self):
        secret = "pw-test-token-0123456789abcdef"
        doc, result = self.json_check(self.http("/demo/unauthorized")
                                      + ["--bearer-token-env=PW_TEST_TOKEN"], 1,
                                      "auth.expired_credentials", env={"PW_TEST_TOKEN": secret})
        self.assertNotIn(secret, result.out + result.err, str(result))

    def test_slow_demo(self):
        self.json_check(self.http("/demo/slow") + ["-w", "1", "-c", "20"], 1, "slow")

    def test_no_state(self):
        result = self.check(self.http("/") + ["--output-format=json", "--no-state"], 0)
        self.assertIsNone(json.loads(result.out)["change"], str(result))

    def test_change_is_reported(self):
        state_dir = tempfile.mkdtemp(dir=Env.tmp)
        common = ["--output-format=json", "--state-dir=" + state_dir, "--state-key=it-change"]
        self.check(self.http("/") + common, 0)
        result = self.check(self.http("/statuscode/401") + common, 1)
        doc = json.loads(result.out)
        self.assertIsInstance(doc["change"], dict, str(result))
        self.assertEqual(doc["change"].get("previous_status"), 200, str(result))
        self.assertEqual(doc["change"].get("previous_reason"), "ok", str(result))
        # and the Nagios output says so too
        result = self.check(self.http("/statuscode/404") + common[1:], 1)
        self.assertIn("changed from 401", result.out, str(result))


@probewise_only
class ChangeDetectionTest(CheckTestCase):

    def test_change_with_default_state_dir(self):
        # No option at all: the default state directory (here under
        # XDG_STATE_HOME / PROBEWISE_STATE_DIR) remembers the last result.
        state_dir = tempfile.mkdtemp(dir=Env.tmp)
        env = {"XDG_STATE_HOME": state_dir, "PROBEWISE_STATE_DIR": state_dir}
        args = self.http("/sequence/default-state?codes=200,401")
        self.check(args, 0, first="HTTP OK: HTTP/1.1 200 OK - ", env=env)
        result = self.check(args, 1, first="HTTP WARNING: HTTP/1.1 401 Unauthorized - ", env=env)
        self.assertIn("changed from 200", result.out, str(result))

    def test_a_steady_result_is_not_rewritten(self):
        # The same answer again touches the state file (its time is the last
        # check) instead of writing a new one: no file made and freed per run.
        state_dir = tempfile.mkdtemp(dir=Env.tmp)
        args = self.http("/sequence/steady-state?codes=200,200,401") + ["--state-dir=" + state_dir]
        self.check(args, 0)
        [name] = os.listdir(state_dir)
        first = os.stat(os.path.join(state_dir, name))
        os.utime(os.path.join(state_dir, name), (first.st_atime, first.st_mtime - 30))
        self.check(args, 0)
        self.assertEqual(os.listdir(state_dir), [name])
        again = os.stat(os.path.join(state_dir, name))
        self.assertEqual(again.st_ino, first.st_ino, "rewritten although nothing changed")
        self.assertGreaterEqual(again.st_mtime, first.st_mtime, "the check was not recorded")
        result = self.check(args, 1)
        self.assertIn("changed from 200", result.out, str(result))
        self.assertNotEqual(os.stat(os.path.join(state_dir, name)).st_ino, first.st_ino, "a change is written")

    def test_no_change_claimed_for_the_same_status(self):
        # Only the verdict changed (content mismatch -> OK), not the status:
        # "changed from 200 OK ... to 200 OK" would say nothing.
        state_dir = tempfile.mkdtemp(dir=Env.tmp)
        env = {"XDG_STATE_HOME": state_dir, "PROBEWISE_STATE_DIR": state_dir}
        self.check(self.http("/") + ["-s", "nothere"], 2, env=env)
        result = self.check(self.http("/"), 0, first="HTTP OK: HTTP/1.1 200 OK - ", env=env)
        self.assertNotRegex(result.first, r"changed from 200 OK\b.* to 200 OK\b", str(result))


if __name__ == "__main__":
    unittest.main()
