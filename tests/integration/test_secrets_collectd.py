#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SPEC 1.6 for probewise.so in a real collectd: FollowRedirects sends the
credentials only to the origin of the endpoint's URL, URL secrets never reach
collectd's log, the notifications or the state files, and a credential file
that others may read gets one warning in the log at configuration time.

Every credential key (BasicAuthFile, BearerTokenFile, BearerTokenEnv,
HeaderFile, Header Authorization / Cookie / X-API-Key, the OAuth2 keys, URL
userinfo) is an endpoint per target (another host, another port, https ->
http, the same origin); tests/servers/recordserver.py records what each
origin received. collectd runs as in tests/integration/test_collectd.py
(whose Collectd harness this file uses).

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/integration/test_secrets_collectd.py -v

Exit code 77 (ctest: skipped) when collectd is not installed.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "servers")))
import recordserver  # noqa: E402
import test_collectd as harness  # noqa: E402
import test_secrets as check_matrix  # noqa: E402

TARGETS = ("other_host", "other_port", "https_to_http", "same_origin")


class Env:
    tmp = None
    a = b = c = None


def setUpModule():
    Env.tmp = tempfile.mkdtemp(prefix="probewise-secrets-collectd-")
    unittest.addModuleCleanup(shutil.rmtree, Env.tmp, True)
    harness.Env.tmp = Env.tmp
    check_matrix.Env.tmp = Env.tmp
    key, pem = os.path.join(Env.tmp, "server.key"), os.path.join(Env.tmp, "server.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key, "-out", pem, "-days", "30", "-subj", "/CN=127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    Env.a = recordserver.RecordServer("A", "127.0.0.1", tls=(pem, key), token="oauthtok-collectd").start()
    unittest.addModuleCleanup(Env.a.stop)
    Env.b = recordserver.RecordServer("B", "127.0.0.1", tls=(pem, key)).start()
    unittest.addModuleCleanup(Env.b.stop)
    Env.c = recordserver.RecordServer("C", "127.0.0.2", port=Env.a.port, tls=(pem, key)).start()
    unittest.addModuleCleanup(Env.c.stop)


def records():
    return Env.a.records + Env.b.records + Env.c.records


b64 = check_matrix.b64
write_file = check_matrix.write_file  # into check_matrix.Env.tmp, which setUpModule points here


# Each credential kind: (keys, wire forms, raw secrets) for an endpoint tagged `tag`.
def basic_file(tag, origin):
    secret = "cbasic-" + tag
    return ['BasicAuthFile "%s"' % write_file("basic-" + tag, "mon:%s\n" % secret)], [b64("mon:" + secret)], [secret]


def bearer_file(tag, origin):
    secret = "cbearer-" + tag
    return ['BearerTokenFile "%s"' % write_file("token-" + tag, secret + "\n")], [secret], []


def bearer_env(tag, origin):
    secret = "cbearerenv-collectd"  # one variable for collectd's whole environment
    os.environ["PW_COLLECTD_TOKEN"] = secret
    return ['BearerTokenEnv "PW_COLLECTD_TOKEN"'], [secret], []


def header_file(tag, origin):
    key, tenant = "chdrkey-" + tag, "chdrtenant-" + tag
    path = write_file("headers-" + tag, "X-Custom-Key: %s\nX-Tenant: %s\n" % (key, tenant))
    return ['HeaderFile "%s"' % path], [key, tenant], []


def header_authorization(tag, origin):
    secret = "chauth-" + tag
    return ['Header "Authorization: Bearer %s"' % secret], [secret], []


def header_cookie(tag, origin):
    secret = "chcookie-" + tag
    return ['Header "Cookie: sid=%s"' % secret], [secret], []


def header_api_key(tag, origin):
    secret = "chapikey-" + tag
    return ['Header "X-API-Key: %s"' % secret], [secret], []


def oauth2(tag, origin):
    client_secret = "cclient-" + tag
    path = write_file("client-" + tag, client_secret + "\n")
    return (['OAuth2TokenURL "%s/token"' % origin, 'OAuth2ClientID "mon"', 'OAuth2ClientSecretFile "%s"' % path],
            ["oauthtok-collectd"], [client_secret, b64("mon:" + client_secret)])


def userinfo(tag, origin):
    secret = "cuserinfo-" + tag
    return [], [b64("mon:" + secret)], [secret]  # the URL carries it: see endpoint_url()


KINDS = {"basic_auth_file": basic_file, "bearer_token_file": bearer_file, "bearer_token_env": bearer_env,
         "header_file": header_file, "header_authorization": header_authorization, "header_cookie": header_cookie,
         "header_api_key": header_api_key, "oauth2": oauth2, "userinfo": userinfo}


def target_of(target, tag):
    """(origin scheme, Location, the origin the Location names); /land?ep=TAG marks the endpoint."""
    pa, pb = Env.a.port, Env.b.port
    land = "/land?ep=" + tag
    return {
        "other_host": ("http", "http://127.0.0.2:%d%s" % (pa, land), "http://127.0.0.2:%d" % pa),
        "other_port": ("http", "http://127.0.0.1:%d%s" % (pb, land), "http://127.0.0.1:%d" % pb),
        "https_to_http": ("https", "http://127.0.0.1:%d%s" % (pa, land), "http://127.0.0.1:%d" % pa),
        "same_origin": ("http", land, "http://127.0.0.1:%d" % pa),
    }[target]


class Cell:
    def __init__(self, kind, target):
        self.kind, self.target = kind, target
        self.tag = "%s-%s" % (kind, target)
        self.scheme, location, self.landed = target_of(target, self.tag)
        self.origin = "%s://127.0.0.1:%d" % (self.scheme, Env.a.port)
        keys, self.wire, self.raw = KINDS[kind](self.tag, self.origin)
        auth = "mon:cuserinfo-%s@" % self.tag if kind == "userinfo" else ""
        url = "%s://%s127.0.0.1:%d/start?%s" % (self.scheme, auth, Env.a.port,
                                                urllib.parse.urlencode({"to": location}))
        self.keys = ['URL "%s"' % url, "FollowRedirects true", "VerifyPeer false", "VerifyHost false",
                     "Interval 1", "Timeout 5"] + keys

    def starts(self):
        return [r for r in records() if r["path"] == "/start" and self.tag in r["target"]]

    def lands(self):
        return [r for r in records() if r["path"] == "/land" and r["target"].endswith("ep=" + self.tag)]


class FollowRedirects(unittest.TestCase):
    """Every credential key x target, all endpoints in one collectd."""

    @classmethod
    def setUpClass(cls):
        cls.cells = [Cell(kind, target) for kind in KINDS for target in TARGETS]
        # URL secrets for the log and notifications: a query token, and a
        # 401 answer so that the first probe notifies.
        cls.query_secret = "cquery-secret-1"
        url = "http://127.0.0.1:%d/land?status=401&access_token=%s" % (Env.a.port, cls.query_secret)
        # A world-readable token file: one warning, however many endpoints use it.
        cls.open_file = write_file("open-token", "copen-secret\n", 0o644)
        endpoints = [(cell.tag, cell.keys) for cell in cls.cells]
        endpoints += [("query", ['URL "%s"' % url, "Interval 1"]),
                      ("withheld", ['URL "http://127.0.0.1:%d/start?%s"' % (Env.a.port, urllib.parse.urlencode(
                          {"to": "http://127.0.0.1:%d/land?status=401&ep=withheld" % Env.b.port})),
                          'BearerTokenFile "%s"' % write_file("withheld-token", "cwithheld-secret\n"),
                          "FollowRedirects true", "Interval 1"]),
                      ("open1", ['URL "http://127.0.0.1:%d/land?ep=open1"' % Env.a.port,
                                 'BearerTokenFile "%s"' % cls.open_file, "Interval 1"]),
                      ("open2", ['URL "http://127.0.0.1:%d/land?ep=open2"' % Env.a.port,
                                 'BearerTokenFile "%s"' % cls.open_file, "Interval 1"])]
        cls.state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
        cls.c = harness.Collectd("secrets", endpoints, cls.state, max_concurrency=64)
        cls.c.wait_for("every endpoint's redirect followed twice", lambda: all(
            len(cell.lands()) >= 2 for cell in cls.cells), timeout=60)
        for name in ("query", "withheld"):
            cls.c.wait_for("the notification of %s's 401" % name,
                           lambda: harness.by_instance(cls.c.notifications(), name))
        cls.rc = cls.c.stop()

    def test_no_secret_crosses_and_nothing_is_lost(self):
        for cell in self.cells:
            with self.subTest(kind=cell.kind, target=cell.target):
                starts = [r for r in cell.starts() if r["origin"] == cell.origin]
                lands = cell.lands()
                self.assertTrue(starts and lands, (starts, lands))
                self.assertTrue(all(r["origin"] == cell.landed for r in lands), lands)
                for marker in cell.wire:
                    self.assertTrue(all(r.sent(marker) for r in starts), ("not sent to the origin", marker, starts))
                    for r in lands:
                        self.assertEqual(r.sent(marker), cell.target == "same_origin", (marker, r))

    def test_no_secret_in_the_log_notifications_or_state(self):
        streams = {"log": self.c.log_text(), "notifications": repr(self.c.notifications())}
        for path in glob.glob(os.path.join(self.state, "*")):
            if not os.path.basename(path).startswith("oauth-"):  # the token cache holds the token by design
                with open(path, errors="replace") as f:
                    streams[path] = f.read()
        secrets = [self.query_secret, "copen-secret", "cwithheld-secret"] + [s for cell in self.cells for s in cell.wire + cell.raw]
        for name, text in streams.items():
            for secret in secrets:
                self.assertNotIn(secret, text, name)
        query = harness.by_instance(self.c.notifications(), "query")
        self.assertIn("access_token=[redacted]", repr(query))

    def test_withheld_credentials_named_in_the_notification(self):
        n = harness.by_instance(self.c.notifications(), "withheld")
        self.assertEqual(len(n), 1, n)
        where = "http://127.0.0.1:%d" % Env.b.port
        self.assertTrue(n[0]["message"].startswith(
            "withheld: 401 (auth.missing_credentials): missing credentials: credentials were not forwarded to "
            + where + " after the redirect"), n[0])
        self.assertEqual(n[0]["meta"].get("basis"), "local", n[0])

    def test_one_warning_per_readable_credential_file(self):
        log = self.c.log_text()
        warnings = [l for l in log.splitlines() if "credential file %s" % self.open_file in l]
        self.assertEqual(len(warnings), 1, log)
        self.assertIn("[warning]", warnings[0])
        self.assertIn('<Endpoint "open1">', warnings[0])
        self.assertIn("can be read by", warnings[0])
        self.assertIn("chmod 600 %s; it is 0644, owner " % self.open_file, warnings[0])
        for cell in self.cells:  # private files: no note
            self.assertNotIn("credential file %s/%s" % (Env.tmp, "token-" + cell.tag), log)
        self.assertEqual(self.rc, 0)


if __name__ == "__main__":
    missing = harness.collectd_missing()
    if missing:
        print("skipped: missing %s" % ", ".join(missing))
        sys.exit(77)
    if not os.path.exists(harness.PLUGIN):
        print("no plugin at %s (set PROBEWISE_COLLECTD_PLUGIN)" % harness.PLUGIN)
        sys.exit(1)
    unittest.main()
