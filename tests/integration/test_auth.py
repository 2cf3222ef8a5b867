#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Credentials, denial diagnosis, OAuth 2.0, enforcement, token expiry and
change detection: the real check_probewise against tests/servers/authserver.py
on 127.0.0.1. Run by ctest; PROBEWISE_CHECK names the binary."""

import base64
import concurrent.futures
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.environ.get("PROBEWISE_CHECK", os.path.join(HERE, "../../build/check_plugin/check_probewise"))
SERVER = None
PORT = None
WORK = None


def setUpModule():
    global SERVER, PORT, WORK
    WORK = tempfile.mkdtemp(prefix="probewise-auth-")
    port_file = os.path.join(WORK, "port")
    SERVER = subprocess.Popen([sys.executable, os.path.join(HERE, "../servers/authserver.py"), "--port-file", port_file])
    for _ in range(100):
        if os.path.exists(port_file):
            break
        time.sleep(0.05)
    with open(port_file) as f:
        PORT = int(f.read())


def tearDownModule():
    SERVER.terminate()
    try:
        SERVER.wait(10)
    except subprocess.TimeoutExpired:
        SERVER.kill()
    shutil.rmtree(WORK, ignore_errors=True)


def control(**kw):
    query = "&".join("%s=%s" % kv for kv in kw.items())
    urllib.request.urlopen("http://127.0.0.1:%d/control?%s" % (PORT, query), timeout=5).read()


def issued():
    return json.load(urllib.request.urlopen("http://127.0.0.1:%d/stats" % PORT, timeout=5))["issued"]


def secret_file(content, mode=0o600):
    fd, path = tempfile.mkstemp(dir=WORK)
    os.write(fd, content.encode())
    os.close(fd)
    os.chmod(path, mode)
    return path


def b64url(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def jwt(**claims):
    return b64url({"alg": "HS256", "typ": "JWT"}) + "." + b64url(claims) + ".c2ln"


class Run:
    def __init__(self, args, env=None, timeout=30):
        full_env = dict(os.environ)
        full_env.update(env or {})
        started = time.monotonic()
        p = subprocess.run([CHECK] + args, capture_output=True, text=True, timeout=timeout, env=full_env)
        self.elapsed = time.monotonic() - started
        self.rc, self.out, self.err, self.args = p.returncode, p.stdout, p.stderr, args
        self.first = self.out.splitlines()[0] if self.out else ""

    def json(self):
        return json.loads(self.out)

    def __str__(self):
        return "\n  args: %s\n  exit: %d\n  stdout: %s" % (" ".join(self.args), self.rc, self.out)


class Base(unittest.TestCase):
    def setUp(self):
        self.state = tempfile.mkdtemp(dir=WORK)

    def check(self, path, *extra, json_out=False, state=True):
        args = ["-H", "127.0.0.1", "-p", str(PORT), "-u", path] + list(extra)
        if json_out:
            args.append("--output-format=json")
        args += ["--state-dir", self.state] if state else ["--no-state"]
        return Run(args)

    def assertVerdict(self, run, rc, reason):
        self.assertEqual(run.rc, rc, str(run))
        if run.out.startswith("{"):
            self.assertEqual(run.json()["reason"], reason, str(run))
        else:
            self.assertIn("Reason: %s " % reason if rc else "", run.out, str(run))

    def assertNoSecret(self, secret, run=None):
        if run is not None:
            self.assertNotIn(secret, run.out, str(run))
        for root, _, files in os.walk(self.state):
            for name in files:
                with open(os.path.join(root, name), errors="replace") as f:
                    self.assertNotIn(secret, f.read(), "secret in state file " + name)


class Credentials(Base):
    def test_missing_credentials(self):
        r = self.check("/api", json_out=True)
        self.assertVerdict(r, 1, "auth.missing_credentials")
        self.assertTrue(r.json()["hints"], str(r))

    def test_bearer_token_file_with_trailing_newline(self):
        r = self.check("/api", "--bearer-token-file", secret_file("static-good\n"), "-vvv")
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("Authorization: [redacted]", r.out)
        self.assertNoSecret("static-good", r)

    def test_bearer_token_env(self):
        r = Run(["-H", "127.0.0.1", "-p", str(PORT), "-u", "/api", "--bearer-token-env", "PW_T", "--no-state"],
                env={"PW_T": "static-good"})
        self.assertEqual(r.rc, 0, str(r))
        r = Run(["-H", "127.0.0.1", "-p", str(PORT), "-u", "/api", "--bearer-token-env", "PW_UNSET", "--no-state"])
        self.assertEqual(r.rc, 3, str(r))
        self.assertIn("PW_UNSET", r.first)

    def test_rejected_token_is_invalid_credentials(self):
        r = self.check("/api", "--bearer-token-file", secret_file("wrong-token"), json_out=True)
        self.assertVerdict(r, 1, "auth.invalid_credentials")
        self.assertNoSecret("wrong-token", r)

    def test_expired_jwt_is_named_in_the_status_line(self):
        token = jwt(sub="monitor", iat=int(time.time()) - 30 * 86400, exp=int(time.time()) - 2 * 86400 - 60)
        r = self.check("/api", "--bearer-token-file", secret_file(token))
        self.assertEqual(r.rc, 1, str(r))
        self.assertIn("expired credentials: ", r.first)
        self.assertIn("expired 2d", r.first)
        self.assertNoSecret(token, r)

    def test_authorization_without_scheme_is_malformed(self):
        r = self.check("/api", "--header-file", secret_file("Authorization: static-good\n"), json_out=True)
        self.assertVerdict(r, 1, "auth.malformed_credentials")
        self.assertNoSecret("static-good", r)

    def test_basic_auth_file(self):
        self.assertEqual(self.check("/api/basic", "--basic-auth-file", secret_file("monitor:s3cret\n")).rc, 0)
        r = self.check("/api/basic", "--basic-auth-file", secret_file("monitor:wrong\n"), json_out=True)
        self.assertVerdict(r, 1, "auth.invalid_credentials")
        self.assertNoSecret("wrong", r)

    def test_header_file_api_key(self):
        r = self.check("/api/key", "--header-file", secret_file("X-API-Key: k-123\n"), "-vv")
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("X-API-Key: [redacted]", r.out)
        self.assertNoSecret("k-123", r)

    def test_unreadable_credentials_file_is_unknown(self):
        r = self.check("/api", "--bearer-token-file", os.path.join(WORK, "does-not-exist"))
        self.assertEqual(r.rc, 3, str(r))
        self.assertIn("--bearer-token-file", r.first)

    def test_expected_denial_is_ok(self):
        self.assertEqual(self.check("/api", "--expect-status=200-299,401").rc, 0)
        self.assertEqual(self.check("/api", "--status-state=401=critical").rc, 2)


class Enforcement(Base):
    def test_open_endpoint_is_not_enforced(self):
        r = self.check("/open", "--bearer-token-file", secret_file("static-good"), "--check-auth-enforced",
                       json_out=True)
        self.assertVerdict(r, 2, "auth.not_enforced")

    def test_protected_endpoint_is_enforced(self):
        r = self.check("/api", "--bearer-token-file", secret_file("static-good"), "--check-auth-enforced")
        self.assertEqual(r.rc, 0, str(r))


class TokenExpiry(Base):
    def test_long_lived_token_close_to_expiry_warns(self):
        now = int(time.time())
        token = secret_file(jwt(iat=now - 80 * 86400, exp=now + 3 * 86400))
        r = self.check("/open", "--bearer-token-file", token, json_out=True)
        self.assertVerdict(r, 1, "token.expiring")
        self.assertGreater(r.json()["token"]["seconds_left"], 2 * 86400)
        self.assertEqual(self.check("/open", "--bearer-token-file", token, "--token-expiry=2,1").rc, 0)
        self.assertEqual(self.check("/open", "--bearer-token-file", token, "--token-expiry=10,5").rc, 2)
        self.assertEqual(self.check("/open", "--bearer-token-file", token, "--token-expiry=off").rc, 0)

    def test_short_lived_token_is_not_nagged_about(self):
        now = int(time.time())
        token = secret_file(jwt(iat=now - 600, exp=now + 3000))
        self.assertEqual(self.check("/open", "--bearer-token-file", token).rc, 0)


class OAuth(Base):
    def oauth(self, *extra, secret="s3cret", path="/api", **kw):
        return self.check(path, "--oauth2-token-url", "http://127.0.0.1:%d/oauth/token" % PORT,
                          "--oauth2-client-id", "mon", "--oauth2-client-secret-file", secret_file(secret + "\n"),
                          *extra, **kw)

    def tearDown(self):
        control(token="ok")

    def test_token_is_fetched_then_cached(self):
        before = issued()
        r = self.oauth("-vv")
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(issued(), before + 1)
        self.assertEqual(self.oauth().rc, 0)
        self.assertEqual(issued(), before + 1, "the second run uses the cached token")
        cache = [f for f in os.listdir(self.state) if f.startswith("oauth-")]
        self.assertEqual(len(cache), 1)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.state, cache[0])).st_mode), 0o600)
        self.assertNotIn("s3cret", r.out)
        self.assertNotIn("tok-", r.out)

    def test_revoked_cached_token_is_refetched_once(self):
        self.assertEqual(self.oauth().rc, 0)
        before = issued()
        control(revoke="all")
        r = self.oauth()
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(issued(), before + 1)

    def test_token_endpoint_down_is_auth_service_unavailable(self):
        control(token="down")
        r = self.oauth(json_out=True)
        self.assertVerdict(r, 2, "auth.service_unavailable")

    def test_token_endpoint_unreachable(self):
        r = self.check("/api", "--oauth2-token-url", "http://127.0.0.1:9/token", "--oauth2-client-id", "mon",
                       "--oauth2-client-secret-file", secret_file("s3cret"), json_out=True)
        self.assertVerdict(r, 2, "auth.service_unavailable")

    def test_slow_token_endpoint_stays_within_the_timeout(self):
        control(token="slow")
        r = self.oauth("-t", "2", json_out=True)
        self.assertVerdict(r, 2, "auth.service_unavailable")
        self.assertLess(r.elapsed, 4.5)

    def test_wrong_client_secret(self):
        r = self.oauth(secret="nope", json_out=True)
        self.assertVerdict(r, 1, "auth.invalid_credentials")
        self.assertNotIn("nope", r.out)


class ChangeDetection(Base):
    def tearDown(self):
        control(flip=200)

    def test_flip_names_the_change_and_the_same_credentials(self):
        token = secret_file("static-good")
        control(flip=200)
        self.assertEqual(self.check("/flip", "--bearer-token-file", token).rc, 0)
        control(flip=401)
        r = self.check("/flip", "--bearer-token-file", token, json_out=True)
        self.assertEqual(r.rc, 1, str(r))
        doc = r.json()
        self.assertEqual(doc["change"]["previous_status"], 200)
        self.assertEqual(doc["change"]["previous_reason"], "ok")
        self.assertIn("changed from 200 OK (for ", doc["summary"])
        self.assertTrue(any("same credentials worked" in h for h in doc["hints"]), doc["hints"])
        # Nothing changed on the next run: no change reported.
        self.assertIsNone(self.check("/flip", "--bearer-token-file", token, json_out=True).json()["change"])
        self.assertNoSecret("static-good")

    def test_concurrent_runs_never_corrupt_the_state(self):
        control(flip=200)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            runs = list(pool.map(lambda i: self.check("/flip", "--state-key", "race"), range(16)))
        for r in runs:
            self.assertEqual(r.rc, 0, str(r))
            self.assertNotIn("change detection is off", r.out)
        files = os.listdir(self.state)
        self.assertEqual(len(files), 1, files)
        with open(os.path.join(self.state, files[0])) as f:
            self.assertEqual(json.load(f)["status"], 200)

    def test_unwritable_state_directory_never_fails_the_check(self):
        blocker = secret_file("a file, not a directory")
        r = Run(["-H", "127.0.0.1", "-p", str(PORT), "-u", "/flip", "--state-dir", blocker + "/sub"])
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("change detection is off", r.out)

    def test_state_directory_link_is_refused(self):
        link = os.path.join(WORK, "link-%d" % os.getpid())
        os.symlink(self.state, link)
        r = Run(["-H", "127.0.0.1", "-p", str(PORT), "-u", "/flip", "--state-dir", link])
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("change detection is off", r.out)
        self.assertIn("symbolic link", r.out)


if __name__ == "__main__":
    unittest.main()
