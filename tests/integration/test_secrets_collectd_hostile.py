#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SPEC 1.6 for probewise.so in a real collectd, the attacker's cases:

- A server that echoes the credential (a JSON error field, nested JSON,
  HTML, a challenge, the reason phrase, plain text) never puts it into
  collectd's log, the notifications (message and meta data) or the state
  files, whichever key gave it (BearerTokenFile, BasicAuthFile, HeaderFile,
  Header, OAuth2 tokens and client secret, URL userinfo).
- Its words reach the notification as one printable line: no control
  characters, no line breaks.
- A Header whose value holds a CR or LF is a configuration error that names
  the file and line; the endpoint is not probed, the others are; no request
  ever carries the smuggled header (raw bytes on the wire). A token from an
  OAuth endpoint with a line break is a failed fetch, never sent.
- Headers stay with the origin whatever their names (FollowRedirects), but
  for the standard secret-free ones.
- A FIFO where a state file should be never stalls collectd's start.

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/integration/test_secrets_collectd_hostile.py -v

Exit code 77 (ctest: skipped) when collectd is not installed.
"""

import glob
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "servers")))
import collectd_run  # noqa: E402
import recordserver  # noqa: E402
import secret_forms  # noqa: E402

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Env:
    tmp = None
    a = b = None


def setUpModule():
    if not os.path.exists(collectd_run.PLUGIN):
        raise RuntimeError("no plugin at %s (set PROBEWISE_COLLECTD_PLUGIN)" % collectd_run.PLUGIN)
    Env.tmp = tempfile.mkdtemp(prefix="probewise-collectd-hostile-secrets-")
    unittest.addModuleCleanup(shutil.rmtree, Env.tmp, True)
    Env.a = recordserver.RecordServer("A", "127.0.0.1", token="coauth-token-7781").start()
    unittest.addModuleCleanup(Env.a.stop)
    Env.b = recordserver.RecordServer("B", "127.0.0.1").start()
    unittest.addModuleCleanup(Env.b.stop)


def write_file(name, text, mode=0o600):
    return secret_forms.write_file(Env.tmp, name, text, mode)


b64, forms = secret_forms.b64, secret_forms.forms


def state_file(state_dir, key):
    """Where an endpoint with StateKey `key` keeps its state (check_run.cpp: state_key("key|" + key))."""
    return os.path.join(state_dir, hashlib.sha256(("key|" + key).encode()).hexdigest()[:32] + ".json")


def everything_written(c, state_dir):
    streams = {"log": c.log_text(), "notifications": json.dumps(c.notifications())}
    for path in glob.glob(os.path.join(state_dir, "*")):
        if not os.path.basename(path).startswith("oauth-"):  # the token cache holds the token by design
            with open(path, errors="replace") as f:
                streams[path] = f.read()
    return streams


def url(server, path):
    return "http://127.0.0.1:%d%s" % (server.port, path)


# Each credential key: (keys, secrets that must never show).
def kinds(tag):
    bearer = "cbearer-%s-d41d8cd98f00" % tag
    basic_pw = "cbasic/%s+pw" % tag
    header_key = "chdr-%s-81c2" % tag
    header_account = "chdracct-%s-77" % tag
    api_key = "capikey-%s-7d1e" % tag
    jfrog = "cjfrog-%s-AKCp8" % tag
    client = "cclient-%s-55" % tag
    userinfo_pw = "cuserinfo-%s-42" % tag
    return {
        "bearer_token_file": (['BearerTokenFile "%s"' % write_file("tok-" + tag, bearer + "\n")], forms(bearer)),
        "basic_auth_file": (['BasicAuthFile "%s"' % write_file("basic-" + tag, "monitor:%s\n" % basic_pw)],
                            forms(basic_pw) | {b64("monitor:" + basic_pw)}),
        "header_file": (['HeaderFile "%s"' % write_file("hdr-" + tag, "X-Api-Key: %s\nX-Account: %s\n"
                                                          % (header_key, header_account))],
                        forms(header_key) | forms(header_account)),
        "header": (['Header "X-API-Key: %s"' % api_key], forms(api_key)),
        "header_unknown_name": (['Header "X-JFrog-Art-Api: %s"' % jfrog], forms(jfrog)),
        "oauth2": (['OAuth2TokenURL "%s"' % url(Env.a, "/token"), 'OAuth2ClientID "mon"',
                    'OAuth2ClientSecretFile "%s"' % write_file("client-" + tag, client + "\n")],
                   forms("coauth-token-7781") | forms(client) | {b64("mon:" + client)}),
        "userinfo": ([], forms(userinfo_pw) | {b64("mon:" + userinfo_pw)}),
    }, userinfo_pw


class Echo(unittest.TestCase):
    """Every credential key x every shape of echo, in one collectd."""

    SHAPES = ("json", "nested", "html", "challenge", "reason", "text", "xml")

    @classmethod
    def setUpClass(cls):
        cls.state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-echo-")
        cls.secrets = set()
        endpoints = []
        for shape in cls.SHAPES:
            table, userinfo_pw = kinds(shape)
            for kind, (keys, secrets) in table.items():
                auth = "mon:%s@" % userinfo_pw if kind == "userinfo" else ""
                endpoints.append(("%s-%s" % (kind, shape), [
                    'URL "http://%s127.0.0.1:%d/echo/%s?ep=%s-%s"' % (auth, Env.a.port, shape, kind, shape),
                    "Interval 1", "Timeout 5"] + keys))
                cls.secrets |= secrets
        # A token endpoint that repeats the client's own Basic credentials.
        client = "cclient-invalid-0a9b8c"
        endpoints.append(("token-echo", [
            'URL "%s"' % url(Env.a, "/land?ep=token-echo"), "Interval 1",
            'OAuth2TokenURL "%s"' % url(Env.a, "/echo/json?status=401"), 'OAuth2ClientID "mon"',
            'OAuth2ClientSecretFile "%s"' % write_file("client-invalid", client + "\n")]))
        cls.secrets |= forms(client) | {b64("mon:" + client)}
        cls.names = [name for name, _ in endpoints]
        cls.c = collectd_run.Collectd(Env.tmp, "echo", endpoints, cls.state, max_concurrency=64, log_level="debug")
        cls.c.wait_for("a notification from every endpoint", lambda: all(
            collectd_run.by_instance(cls.c.notifications(), name) for name in cls.names), timeout=60)
        cls.rc = cls.c.stop()

    def test_no_secret_in_the_log_notifications_or_state(self):
        streams = everything_written(self.c, self.state)
        self.assertGreater(len(streams), 2)  # state files were written
        for name, text in streams.items():
            for secret in self.secrets:
                self.assertNotIn(secret, text, name)
        self.assertEqual(self.rc, 0)

    def test_notifications_say_what_happened_in_printable_words(self):
        for n in self.c.notifications():
            self.assertIsNone(CONTROL.search(n["message"]), n)
            for value in n["meta"].values():
                self.assertIsNone(CONTROL.search(str(value)), n)
        # Redacted by value, not silenced: the server's own words are there.
        said = [n for n in self.c.notifications() if "[redacted]" in n["message"]]
        self.assertGreater(len(said), 10, self.c.notifications())


class Grammar(unittest.TestCase):
    """Line breaks in a Header: a configuration error with file and line;
    an OAuth token with one: a failed fetch. No request carries either."""

    def test_header_with_a_line_break(self):
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-grammar-")
        secret = write_file("client-crlf", "cs-crlf\n")
        Env.a.token_answer = {"access_token": "tok\r\nX-Injected: yes", "token_type": "Bearer", "expires_in": 60}
        try:
            Env.a.take()
            c = collectd_run.Collectd(Env.tmp, "grammar", [
                ("crlf", ['URL "%s"' % url(Env.a, "/land?ep=crlf"), 'Header "X-Trace: 1\r\nX-Injected: yes"']),
                ("lf", ['URL "%s"' % url(Env.a, "/land?ep=lf"), 'Header "X-Trace: 1\nX-Injected: yes"']),
                ("agent", ['URL "%s"' % url(Env.a, "/land?ep=agent"), 'UserAgent "probe\r\nX-Injected: yes"']),
                ("token", ['URL "%s"' % url(Env.a, "/land?ep=token"), "Interval 1",
                           'OAuth2TokenURL "%s"' % url(Env.a, "/token"), 'OAuth2ClientID "mon"',
                           'OAuth2ClientSecretFile "%s"' % secret]),
                ("good", ['URL "%s"' % url(Env.a, "/land?ep=good"), "Interval 1"]),
            ], state)
            c.wait_for("the good endpoint probed", lambda: c.value("good", "bool-up") == 1)
            c.wait_for("the token endpoint's failure", lambda: collectd_run.by_instance(c.notifications(), "token"))
            rc = c.stop()
        finally:
            Env.a.token_answer = None
        records = Env.a.take()
        log = c.log_text()
        conf = c.conf
        for name, key in (("crlf", "Header"), ("lf", "Header"), ("agent", "UserAgent")):
            errors = [l for l in log.splitlines() if '<Endpoint "%s">: %s: expected a value without a line break'
                      % (name, key) in l]
            self.assertEqual(len(errors), 1, log)
            self.assertRegex(errors[0], r"\(at %s:\d+\)" % re.escape(conf))
            self.assertFalse([r for r in records if ("ep=" + name) in r["target"]], records)
            self.assertIsNone(c.value(name, "bool-up"))
        # A Header's value is a secret: its error never repeats it.
        self.assertFalse([l for l in log.splitlines() if "Header:" in l and "X-Injected" in l], log)
        for r in records:
            for line in r.raw_lines():
                self.assertFalse(line.lower().startswith("x-injected"), r)
        token = collectd_run.by_instance(c.notifications(), "token")[0]
        self.assertEqual(token["meta"]["reason"], "auth.service_unavailable", token)
        self.assertIn("line break", token["message"])
        self.assertFalse([r for r in records if "ep=token" in r["target"]], records)
        self.assertEqual(rc, 0)


class HeadersStayWithTheOrigin(unittest.TestCase):
    NAMES = ("X-JFrog-Art-Api", "X-Honeycomb-Team", "AccessKey", "X-Ovh-Consumer", "X-Tenant")

    def test_names_across_origins(self):
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-names-")
        values = {name: "cnv-%s-%d" % (name.lower(), i) for i, name in enumerate(self.NAMES)}
        start = url(Env.a, "/start?" + urllib.parse.urlencode({"to": url(Env.b, "/land?ep=names")}))
        keys = ['URL "%s"' % start, "FollowRedirects true", "Interval 1"]
        keys += ['Header "%s: %s"' % kv for kv in values.items()]
        keys += ['Header "Accept-Language: de-CH"', 'Header "X-Request-ID: req-1"']
        Env.a.take(), Env.b.take()
        c = collectd_run.Collectd(Env.tmp, "names", [("names", keys)], state)
        c.wait_for("the redirect followed", lambda: [r for r in Env.b.records if "ep=names" in r["target"]])
        rc = c.stop()
        starts = [r for r in Env.a.take() if r["path"] == "/start"]
        lands = [r for r in Env.b.take() if r["path"] == "/land"]
        self.assertTrue(starts and lands)
        for value in values.values():
            self.assertTrue(all(value in r["raw"] for r in starts), value)
            self.assertFalse([r for r in lands if value in r["raw"]], value)
        self.assertTrue(all("Accept-Language: de-CH" in r["raw"] and "X-Request-ID: req-1" in r["raw"]
                            for r in lands), lands)
        self.assertEqual(rc, 0)


class StateFifo(unittest.TestCase):
    """A FIFO planted where an endpoint's state file goes: collectd starts,
    probes every endpoint, and says which file it ignored."""

    def test_fifo_never_stalls_the_start(self):
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-fifo-")
        fifo = state_file(state, "planted")
        os.mkfifo(fifo, 0o600)
        c = collectd_run.Collectd(Env.tmp, "fifo", [
            ("planted", ['URL "%s"' % url(Env.a, "/land?ep=planted"), 'StateKey "planted"']),
            ("other", ['URL "%s"' % url(Env.a, "/land?ep=other")]),
        ], state)
        c.wait_for("values from both endpoints", lambda: c.value("planted", "bool-up") == 1 and
                   c.value("other", "bool-up") == 1, timeout=20)
        rc = c.stop()
        self.assertIn("state file %s is a FIFO: ignored" % fifo, c.log_text())
        self.assertTrue(os.path.isfile(fifo))  # the shutdown saved a real state file in its place
        self.assertEqual(rc, 0)


if __name__ == "__main__":
    collectd_run.main_or_skip(unittest.main)
