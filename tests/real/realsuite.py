# SPDX-License-Identifier: GPL-2.0-or-later
"""The harness of tests/real: start real software on 127.0.0.1 (foreground
mode, a private config and data directory, a free port), run the real
check_probewise against it, check the verdict (state, reason, basis, the
words of the status line and hints), and record every answer under
tests/data/real/ so that the unit tests replay it where the product is not
installed.

Recording: PROBEWISE_REAL_RECORD=1 (re)writes tests/data/real/<product>-<case>.txt.
A product that is not installed is skipped, except under CI=true, where it
is a failure (scripts/install-deps.sh installs every one)."""

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../.."))
CHECK = os.environ.get("PROBEWISE_CHECK", os.path.join(ROOT, "build/check_plugin/check_probewise"))
RECORD_DIR = os.path.join(ROOT, "tests/data/real")
RECORD = os.environ.get("PROBEWISE_REAL_RECORD") == "1"
# PROBEWISE_REAL_SCORE=FILE appends one JSON line per case (product, case,
# expected and given reason) to FILE: the figure of notes on generalisation.
SCORE = os.environ.get("PROBEWISE_REAL_SCORE", "")
IN_CI = os.environ.get("CI") == "true"


# ---------------------------------------------------------------------------
# Ports, processes, versions.

def free_port():
    """A port that was free a moment ago (bind port 0, read it back)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc=None, timeout=60.0, what="server"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("%s exited with %s before listening on %d" % (what, proc.returncode, port))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("%s did not listen on port %d within %.0f s" % (what, port, timeout))


def wait_for_http(url, timeout=60.0, ok=lambda status: True, proc=None, headers=None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited with %s before answering %s" % (proc.returncode, url))
        try:
            req = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(req, timeout=2) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError as e:
            last = e
            time.sleep(0.2)
            continue
        if ok(status):
            return status
        time.sleep(0.2)
    raise RuntimeError("%s did not answer within %.0f s (%s)" % (url, timeout, last))


def deb_version(package):
    p = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else ""


class Process:
    """A product's foreground process in its own process group, stopped with
    its children; its output goes to a log file in the work directory."""

    def __init__(self, args, work, name, env=None, cwd=None):
        self.log_path = os.path.join(work, name + ".log")
        self.log = open(self.log_path, "wb")
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=full_env,
                                     cwd=cwd or work, start_new_session=True)

    def poll(self):
        return self.proc.poll()

    @property
    def returncode(self):
        return self.proc.returncode

    def output(self):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()[-3000:]

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


# ---------------------------------------------------------------------------
# Test credentials. Nothing here is a secret: the products are configured
# with them at test time, and the recordings keep them so that the replay
# knows what was sent.

JWT_KEY = b"probewise-real-suite-shared-key-0123456789"


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(claims, key=JWT_KEY, alg="HS256"):
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signing = (header + "." + payload).encode()
    sig = b64url(hmac.new(key, signing, hashlib.sha256).digest())
    return header + "." + payload + "." + sig


def fresh_jwt(**extra):
    now = int(time.time())
    claims = {"sub": "monitor", "iat": now - 60, "exp": now + 3600}
    claims.update(extra)
    return jwt(claims)


def expired_jwt(**extra):
    now = int(time.time())
    claims = {"sub": "monitor", "iat": now - 7200, "exp": now - 3600}
    claims.update(extra)
    return jwt(claims)


class Sent:
    """What the check sends, as check options and as recording keys."""

    def __init__(self, basic=None, headers=(), proxy_basic=None):
        self.basic = basic
        self.headers = list(headers)
        self.proxy_basic = proxy_basic

    def args(self):
        out = []
        if self.basic:
            out += ["-a", self.basic]
        for h in self.headers:
            out += ["-k", h]
        if self.proxy_basic:
            out += ["-b", self.proxy_basic]
        return out

    def keys(self):
        out = []
        if self.basic:
            out.append(("sent_basic", self.basic))
        out += [("sent_header", h) for h in self.headers]
        if self.proxy_basic:
            out.append(("sent_proxy_basic", self.proxy_basic))
        return out


NOTHING = Sent()


def basic(user="monitor", password="secret"):
    return Sent(basic=user + ":" + password)


def bearer(token):
    return Sent(headers=["Authorization: Bearer " + token])


def header(line):
    return Sent(headers=[line])


# ---------------------------------------------------------------------------
# Running the check and reading its output.

STATES = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}
STATUS_LINE = re.compile(r"^HTTP (OK|WARNING|CRITICAL|UNKNOWN)[:\s-]", re.M)


class Result:
    def __init__(self, args, proc):
        self.args = args
        self.rc = proc.returncode
        # Bytes, so that the answer's line endings reach the recording as sent.
        out = proc.stdout.decode("utf-8", "replace")
        self.out = out
        self.state = STATES.get(self.rc, "rc=%d" % self.rc)
        # -vv: trace, "**** HEADER ****", the header block, "**** CONTENT ****",
        # the body, then the plugin output proper.
        self.header_block, self.body = "", ""
        head = out.find("**** HEADER ****\n")
        content = out.find("\n**** CONTENT ****\n")
        rest_at = 0
        if head >= 0 and content > head:
            self.header_block = out[head + len("**** HEADER ****\n"):content]
            body_at = content + len("\n**** CONTENT ****\n")
            starts = [m.start() for m in STATUS_LINE.finditer(out, body_at)]
            rest_at = starts[-1] if starts else len(out)
            self.body = out[body_at:max(body_at, rest_at - 1)]
        else:
            starts = [m.start() for m in STATUS_LINE.finditer(out)]
            rest_at = starts[-1] if starts else 0
        rest = out[rest_at:]
        self.line = rest.split("\n", 1)[0].rstrip("\r") if rest else ""
        self.status_line = self.line.split(" |")[0]
        self.reason = self._member(rest, r"^Reason: (\S+)") or ("ok" if self.rc == 0 else "")
        self.basis = self._member(rest, r"^Basis: (\S+)")
        self.hints = self._list(rest, "Hints:")
        self.evidence = self._list(rest, "Evidence:")

    @staticmethod
    def _member(text, pattern):
        m = re.search(pattern, text, re.M)
        return m.group(1) if m else ""

    @staticmethod
    def _list(text, title):
        lines = text.splitlines()
        if title not in lines:
            return []
        out = []
        for line in lines[lines.index(title) + 1:]:
            if not line.startswith("- "):
                break
            out.append(line[2:])
        return out

    def status(self):
        first = self.header_block.split("\n", 1)[0].split()
        return int(first[1]) if len(first) > 1 and first[1].isdigit() else 0

    def __str__(self):
        return "\n  check_probewise %s\n  exit %d\n%s" % (" ".join(self.args), self.rc,
                                                        self.out[self.out.find("HTTP "):][:3000])


def run_check(args, timeout=30):
    p = subprocess.run([CHECK] + args, capture_output=True, timeout=timeout)
    return Result(args, p)


# ---------------------------------------------------------------------------
# Products and cases.

class Product:
    """A real product on 127.0.0.1. Subclasses write their configuration in
    `self.work` and start the foreground process in start()."""

    name = ""          # file-name prefix of the recordings: "apache", "nginx"
    title = ""         # "Apache httpd"
    package = ""       # the Debian or npm package whose version is recorded
    binaries = ()      # what must be installed

    def __init__(self):
        self.work = None
        self.procs = []
        self.port = None

    def missing(self):
        for b in self.binaries:
            if not (shutil.which(b) or os.path.exists(b)):
                return b
        return None

    def version(self):
        return deb_version(self.package)

    def spawn(self, args, name=None, **kw):
        p = Process(args, self.work, name or self.name, **kw)
        self.procs.append(p)
        return p

    def setup(self):
        self.work = tempfile.mkdtemp(prefix="probewise-real-%s-" % self.name)
        os.chmod(self.work, 0o755)
        self.port = free_port()
        self.start()

    def start(self):
        raise NotImplementedError

    def teardown(self):
        for p in reversed(self.procs):
            p.stop()
        if self.work:
            shutil.rmtree(self.work, ignore_errors=True)

    def write(self, name, text, mode=0o644):
        path = os.path.join(self.work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def logs(self):
        return "\n".join("--- %s:\n%s" % (p.log_path, p.output()) for p in self.procs)


class RealTest(unittest.TestCase):
    """One product per class: started once, stopped after the class."""

    product = None  # a Product instance

    @classmethod
    def setUpClass(cls):
        missing = cls.product.missing()
        if missing:
            if IN_CI:
                raise RuntimeError("%s is not installed (scripts/install-deps.sh installs it)" % missing)
            raise unittest.SkipTest("%s is not installed" % missing)
        try:
            cls.product.setup()
        except Exception:
            logs = cls.product.logs() if cls.product.work else ""
            cls.product.teardown()
            raise RuntimeError("%s did not start:\n%s" % (cls.product.title, logs))

    @classmethod
    def tearDownClass(cls):
        cls.product.teardown()

    def port(self):
        return self.product.port

    def expect(self, case, path, *, config, state, reason, basis=None, sent=NOTHING, options=(), line=(),
               not_line=(), hint=None, evidence=(), port=None, host="127.0.0.1"):
        """Runs the check against the product and checks the verdict; records
        the answer. `config` says how the product was set up to answer so."""
        args = ["-H", host, "-p", str(port or self.port()), "-u", path, "--no-state", "-vv"]
        args += sent.args() + list(options)
        started = int(time.time())
        r = run_check(args)
        if RECORD and r.header_block:
            self.record(case, r, config=config, sent=sent, options=options, now=started, state=state,
                        reason=reason, basis=basis, line=line)
        if SCORE:
            with open(SCORE, "a") as f:
                f.write(json.dumps({"product": self.product.name, "case": case, "expected": reason,
                                    "given": r.reason, "expected_state": state, "given_state": r.state}) + "\n")
        self.check_result(r, state=state, reason=reason, basis=basis, line=line, not_line=not_line, hint=hint,
                          evidence=evidence)
        return r

    def check_result(self, r, *, state, reason, basis, line, not_line, hint, evidence):
        self.assertEqual(r.state, state, str(r))
        self.assertEqual(r.reason, reason, str(r))
        if basis is not None and r.rc != 0:
            self.assertEqual(r.basis, basis, str(r))
        for words in ([line] if isinstance(line, str) else line):
            self.assertIn(words, r.status_line, str(r))
        for words in ([not_line] if isinstance(not_line, str) else not_line):
            self.assertNotIn(words, r.status_line, str(r))
        if hint is not None:
            self.assertTrue(r.hints and hint in r.hints[0], "first hint: %r\n%s" % (hint, r))
        for words in evidence:
            self.assertTrue(any(words in e for e in r.evidence), "evidence %r\n%s" % (words, r))
        # Evidence lines are unique (one line per body) and read as English.
        self.assertEqual(len(r.evidence), len(set(r.evidence)), str(r))
        self.assertLessEqual(sum(1 for e in r.evidence if e.startswith("body: ")), 1, str(r))
        for e in r.evidence:
            self.assertNotRegex(e, r"\ba \w+ credentials\b", str(r))

    def record(self, case, r, *, config, sent, options, now, state, reason, basis, line):
        p = self.product
        os.makedirs(RECORD_DIR, exist_ok=True)
        lines = ["# origin: %s %s, %s (recorded live by tests/real)" % (p.title, p.version(), config),
                 "origin: %s %s, %s" % (p.title, p.version(), config),
                 "recorded: live",
                 "product: " + p.title,
                 "version: %s %s" % (p.package, p.version()),
                 "now: %d" % now,
                 "status: %d" % r.status()]
        lines += ["%s: %s" % kv for kv in sent.keys()]
        if options:
            lines.append("options: " + " ".join("'%s'" % o if " " in o else o for o in options))
        lines += ["expect_state: " + state, "expect_reason: " + reason]
        if basis:
            lines.append("expect_basis: " + basis)
        for words in ([line] if isinstance(line, str) else line):
            lines.append("expect_line: " + words)
        block = r.header_block
        if not block.endswith("\r\n\r\n") and not block.endswith("\n\n"):
            block = block.rstrip("\r\n") + "\r\n\r\n"
        path = os.path.join(RECORD_DIR, "%s-%s.txt" % (p.name, case))
        with open(path, "w", newline="") as f:
            f.write("\n".join(lines) + "\n----\n" + block + r.body)
