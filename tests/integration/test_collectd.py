#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of probewise.so in a real collectd (Debian's collectd-core):
the built plugin beside collectd's own unixsock, csv, logfile and python
plugins, Interval 1, against servers on 127.0.0.1 (tests/servers/testserver.py
and authserver.py). Values are read back through the unix socket (GETVAL),
notifications through a small python plugin that writes each one, with its
meta data, as a JSON line.

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/integration/test_collectd.py -v

The Valgrind class runs collectd under memcheck for PROBEWISE_VALGRIND_SECONDS
(default 30; bench/collectd_bench.sh runs it for minutes) and fails on any
error or leak whose stack passes through probewise.so.

Exit code 77 (ctest: skipped) when collectd is not installed.
"""

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
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import collectd_run  # noqa: E402
from collectd_run import (FAILURE, HOST, OKAY, PLUGIN, SANITIZE, WARNING, by_instance,  # noqa: E402,F401
                          collectd_missing, main_or_skip, start_server, stop_servers)
# test_secrets_collectd.py uses this module (Env, Collectd) as its harness.

VALGRIND_SECONDS = int(os.environ.get("PROBEWISE_VALGRIND_SECONDS", "30"))
CLIENT_SECRET = "s3cret"          # authserver.py's client secret for client "mon"


class Env:
    tmp = None
    servers = []
    test_port = None
    tls_port = None     # testserver.py over TLS: certificate of the test CA for localhost
    certs = None
    auth_port = None
    refused = None      # a bound socket that does not listen: connections are refused
    refused_port = None


def setUpModule():
    if not os.path.exists(PLUGIN):
        raise RuntimeError("no plugin at %s (set PROBEWISE_COLLECTD_PLUGIN)" % PLUGIN)
    Env.tmp = tempfile.mkdtemp(prefix="probewise-collectd-")
    Env.test_port = start_server(Env.tmp, "testserver.py", Env.servers)
    Env.certs = os.path.join(Env.tmp, "certs")
    subprocess.run(["sh", os.path.join(collectd_run.SERVERS_DIR, "make_certs.sh"), Env.certs], check=True)
    tls_dir = os.path.join(Env.tmp, "tls")  # its own port file
    os.makedirs(tls_dir)
    Env.tls_port = start_server(tls_dir, "testserver.py", Env.servers,
                                ["--tls", os.path.join(Env.certs, "server.pem"), os.path.join(Env.certs, "server.key")])
    Env.auth_port = start_server(Env.tmp, "authserver.py", Env.servers)
    Env.refused = socket.socket()
    Env.refused.bind(("127.0.0.1", 0))
    Env.refused_port = Env.refused.getsockname()[1]


def tearDownModule():
    stop_servers(Env.servers)
    if Env.refused:
        Env.refused.close()
    if Env.tmp and not os.environ.get("PROBEWISE_KEEP_TMP"):
        shutil.rmtree(Env.tmp, ignore_errors=True)


def control(**query):
    q = "&".join("%s=%s" % kv for kv in query.items())
    urllib.request.urlopen("http://127.0.0.1:%d/control?%s" % (Env.auth_port, q), timeout=5).read()


def Collectd(name, endpoints, state_dir, **kw):
    return collectd_run.Collectd(Env.tmp, name, endpoints, state_dir, **kw)


def endpoints(state_tag=""):
    """The endpoints of the tests: healthy, changing 401, WAF page, down, slow, OAuth."""
    secret = os.path.join(Env.tmp, "client-secret")
    with open(secret, "w") as f:
        f.write(CLIENT_SECRET + "\n")
    os.chmod(secret, 0o600)
    test = "http://127.0.0.1:%d" % Env.test_port
    auth = "http://127.0.0.1:%d" % Env.auth_port
    return [
        ("healthy", ['URL "%s/demo/healthy"' % test, 'Health true']),
        ("flip", ['URL "%s/flip"' % auth]),
        ("waf", ['URL "%s/demo/forbidden"' % test]),
        ("down", ['URL "http://127.0.0.1:%d/"' % Env.refused_port, 'Timeout 2']),
        ("slow", ['URL "%s/demo/slow"' % test, 'Timeout 0.5']),
        ("oauth", ['URL "%s/api"' % auth, 'OAuth2TokenURL "%s/oauth/token"' % auth, 'OAuth2ClientID "mon"',
                   'OAuth2ClientSecretFile "%s"' % secret]),
        ("typo", ['URL "%s/"' % test, 'Timeuot 5']),
    ]


class Probing(unittest.TestCase):
    """One collectd for the whole class (a few seconds of start-up saved per test)."""

    @classmethod
    def setUpClass(cls):
        cls.state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
        control(flip=200)
        cls.c = Collectd("probing", endpoints(), cls.state)
        cls.c.wait_for("a value from every endpoint", lambda: all(
            cls.c.value(e, "gauge-state") is not None for e in ("healthy", "flip", "waf", "down", "slow", "oauth")))

    @classmethod
    def tearDownClass(cls):
        rc = cls.c.stop()
        if rc != 0:
            raise AssertionError("collectd exited with %s" % rc)

    def test_healthy(self):
        c = self.c
        self.assertEqual(c.value("healthy", "bool-up"), 1)
        self.assertEqual(c.value("healthy", "gauge-state"), 0)
        self.assertEqual(c.value("healthy", "response_code"), 200)
        rt = c.value("healthy", "response_time")
        self.assertTrue(0 < rt < 1, rt)
        self.assertTrue({"response_time", "response_code", "bool-up", "gauge-state", "duration-dns",
                         "duration-connect", "duration-ttfb"} <= c.metrics("healthy"), c.metrics("healthy"))
        self.assertNotIn("duration-tls", c.metrics("healthy"), "plain HTTP has no TLS phase")
        self.assertEqual(by_instance(c.notifications(), "healthy"), [], "a healthy start is no news")

    def test_csv_files_written(self):
        path = os.path.join(self.c.dir, "csv", HOST, "probewise-healthy")
        self.c.wait_for("csv files", lambda: os.path.isdir(path) and any(
            f.startswith("response_time-") for f in os.listdir(path)))

    def test_waf_page(self):
        c = self.c
        self.assertEqual(c.value("waf", "response_code"), 403)
        self.assertEqual(c.value("waf", "bool-up"), 0)
        self.assertEqual(c.value("waf", "gauge-state"), 1)
        n = c.wait_for("the WAF notification", lambda: by_instance(c.notifications(), "waf"))
        self.assertEqual(len(n), 1, n)
        self.assertEqual(n[0]["severity"], WARNING)
        self.assertTrue(n[0]["message"].startswith("waf: 403 (forbidden.waf): blocked by a WAF rule"), n[0])
        self.assertEqual(n[0]["meta"]["reason"], "forbidden.waf")
        self.assertEqual(n[0]["host"], HOST)
        self.assertEqual(n[0]["plugin"], "probewise")

    def test_down_is_data(self):
        c = self.c
        self.assertEqual(c.value("down", "bool-up"), 0)
        self.assertEqual(c.value("down", "gauge-state"), 2)
        self.assertTrue(c.value("down", "response_code") != c.value("down", "response_code"), "NaN: no answer")
        n = c.wait_for("the refused notification", lambda: by_instance(c.notifications(), "down"))
        self.assertEqual(n[0]["severity"], FAILURE)
        self.assertIn("(net.refused): connection refused", n[0]["message"])
        self.assertEqual(n[0]["meta"]["reason"], "net.refused")

    def test_slow_times_out_without_delaying_others(self):
        c = self.c
        self.assertEqual(c.value("slow", "gauge-state"), 2)
        n = c.wait_for("the timeout notification", lambda: by_instance(c.notifications(), "slow"))
        self.assertEqual(n[0]["meta"]["reason"], "net.timeout")
        # The healthy endpoint keeps its 1 s interval while slow ones time out.
        path = os.path.join(c.dir, "csv", HOST, "probewise-healthy")
        time.sleep(3)
        rows = 0
        for f in os.listdir(path):
            if f.startswith("gauge-state-"):
                with open(os.path.join(path, f)) as fh:
                    rows += sum(1 for l in fh if l[:1].isdigit())
        self.assertGreaterEqual(rows, 4, "about one value a second")

    def test_oauth_token(self):
        c = self.c
        self.assertEqual(c.value("oauth", "response_code"), 200)
        self.assertEqual(c.value("oauth", "bool-up"), 1)
        left = c.value("oauth", "timeleft-token")
        self.assertTrue(3500 < left <= 3600, left)
        issued = json.load(urllib.request.urlopen("http://127.0.0.1:%d/stats" % Env.auth_port, timeout=5))["issued"]
        self.assertLessEqual(issued, 2, "the token is kept between probes, not fetched each time")

    def test_status_change_notifications(self):
        c = self.c
        c.wait_for("flip at 200", lambda: c.value("flip", "response_code") == 200)
        control(flip=401)
        n = c.wait_for("the 200 -> 401 notification", lambda: [
            x for x in by_instance(c.notifications(), "flip") if x["meta"].get("new_status") == 401])
        self.assertEqual(n[0]["severity"], WARNING)
        self.assertTrue(n[0]["message"].startswith("flip: 200 -> 401 (auth.missing_credentials): "), n[0])
        self.assertEqual(n[0]["meta"]["old_status"], 200)
        self.assertEqual(n[0]["meta"]["old_reason"], "ok")
        self.assertEqual(n[0]["meta"]["reason"], "auth.missing_credentials")
        self.assertEqual(c.value("flip", "bool-up"), 0)
        control(flip=200)
        ok = c.wait_for("the recovery", lambda: [
            x for x in by_instance(c.notifications(), "flip") if x["severity"] == OKAY])
        self.assertTrue(ok[0]["message"].startswith("flip: 401 -> 200 (ok): OK again after"), ok[0])
        self.assertEqual(len(by_instance(c.notifications(), "flip")), 2, "one notification per change")

    def test_bad_block_is_reported_and_others_run(self):
        log = self.c.log_text()
        self.assertIn('[error] probewise plugin: <Plugin probewise> <Endpoint "typo">: unknown key "Timeuot" '
                      '(did you mean Timeout?) (at %s:' % self.c.conf, log)
        self.assertIsNone(self.c.value("typo", "gauge-state"))
        self.assertIn("probewise plugin: probing 6 endpoints", log)

    def test_no_secret_anywhere(self):
        texts = [self.c.log_text(), json.dumps(self.c.notifications())]
        for root, _, files in os.walk(self.state):
            for name in files:
                with open(os.path.join(root, name), errors="replace") as f:
                    texts.append(f.read())
        for text in texts:
            self.assertNotIn(CLIENT_SECRET, text)
            self.assertNotIn("tok-", text, "the OAuth access token")


class Restart(unittest.TestCase):
    """The state directory carries the last status over a restart: what was
    announced before is not announced again; what changed meanwhile is."""

    def test_restart_remembers(self):
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
        eps = [e for e in endpoints() if e[0] in ("waf", "down", "healthy")]
        first = Collectd("restart-1", eps, state)
        first.wait_for("waf and down announced", lambda: len(first.notifications()) >= 2)
        self.assertEqual(first.stop(), 0)
        second = Collectd("restart-2", eps, state)
        second.wait_for("values", lambda: all(second.value(e, "gauge-state") is not None for e in ("waf", "down")))
        time.sleep(2)
        try:
            self.assertEqual(second.notifications(), [], "nothing changed across the restart")
        finally:
            self.assertEqual(second.stop(), 0)


@unittest.skipUnless(shutil.which("valgrind"), "valgrind is not installed")
@unittest.skipIf(SANITIZE, "a sanitized build does not run under valgrind")
def tls_endpoint(path="/tls_session", *keys):
    return ['URL "https://localhost:%d%s"' % (Env.tls_port, path),
            'CACert "%s"' % os.path.join(Env.certs, "ca.pem")] + list(keys)


class TlsSessions(unittest.TestCase):
    """HTTPS endpoints whose server closes every connection: each probe makes
    a new TLS connection and resumes a session of its host, with plain HTTP
    probes on the same handles in between (libcurl drops a handle's own
    session cache when the handle joins a share: the Valgrind class below
    runs this mix under memcheck). The certificate's time left is a value.
    (That the sessions are kept per host rather than per handle shows at
    scale: bench/scale_bench.py reports the share of resumed handshakes.)"""

    def test_new_connections_resume_sessions(self):
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
        eps = [("tls_a", tls_endpoint("/tls_session", 'ExpectString "resumed"')),
               ("tls_b", tls_endpoint("/tls_session?b", 'ExpectString "resumed"')),
               ("plain", ['URL "http://127.0.0.1:%d/"' % Env.test_port])]
        c = Collectd("tls", eps, state, python=False)
        try:
            # The first handshake of the host is a full one (content.mismatch);
            # from then on every probe resumes.
            c.wait_for("resumed sessions", lambda: c.value("tls_a", "bool-up") == 1 and
                       c.value("tls_b", "bool-up") == 1, timeout=60)
            time.sleep(3)
            for name in ("tls_a", "tls_b"):
                self.assertEqual(c.value(name, "bool-up"), 1, name)
                self.assertEqual(c.value(name, "response_code"), 200, name)
                left = c.value(name, "timeleft-tls")
                self.assertIsNotNone(left, name)
                self.assertTrue(390 * 86400 < left <= 400 * 86400, left)  # make_certs.sh: 400 days
                self.assertIn("duration-tls", c.metrics(name))
        finally:
            self.assertEqual(c.stop(), 0)


class Valgrind(unittest.TestCase):
    """collectd under memcheck: no error and no leak through probewise.so."""

    def test_memcheck(self):
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
        # With an HTTPS endpoint that makes a new connection each time: TLS
        # sessions kept per host, certificates read.
        eps = [e for e in endpoints() if e[0] != "typo"] + [("tls", tls_endpoint())]
        c = Collectd("valgrind", eps, state, python=False, valgrind=True)
        c.wait_for("a value from every endpoint under valgrind", lambda: all(
            c.value(e, "gauge-state") is not None for e, _ in eps), timeout=90)
        control(flip=401)
        time.sleep(VALGRIND_SECONDS / 2)
        control(flip=200)
        time.sleep(VALGRIND_SECONDS / 2)
        self.assertEqual(c.stop(timeout=120), 0)
        reports = [os.path.join(c.dir, f) for f in os.listdir(c.dir) if f.startswith("valgrind.")]
        self.assertTrue(reports)
        problems = []
        for path in reports:
            with open(path) as f:
                text = f.read()
            # Blocks of the report are separated by "==pid== " lines with nothing after them.
            for block in re.split(r"\n==\d+== \n", text):
                # Frames of the plugin: its file, or its code by name when it has debug information.
                if not re.search(r"probewise\.so|probewise::|module_register", block):
                    continue
                if re.search(r"(Invalid|uninitialised|Mismatched|definitely lost|indirectly lost|possibly lost"
                             r"|Syscall param|Source and destination overlap)", block):
                    problems.append(block)
        self.assertEqual(problems, [], "\n\n".join(problems[:5]))


if __name__ == "__main__":
    main_or_skip(unittest.main)
