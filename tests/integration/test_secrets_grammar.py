#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SPEC 1.6, input by grammar, for check_probewise:

- CR, LF or NUL in a header name or value, URL, user name, method or token is
  refused where it enters: exit 3 with one line naming the option, and no
  request leaves (the raw bytes each server received are checked: a smuggled
  header would be a line of its own there); a token from an OAuth endpoint
  with one is a failed token fetch, and the API never sees it.
- Headers the user adds stay with the origin whatever their names, but for
  the standard secret-free ones (the allow list), in every -f mode.
- Server text reaches the status line and long output only as printable
  text: one '|' (ours), no control characters, the status line one line.
- URL secrets in the shapes a Location takes: a fragment, a percent-encoded
  name, a protocol-relative //user:pw@host.

    PROBEWISE_CHECK=build/check_plugin/check_probewise python3 tests/integration/test_secrets_grammar.py -v
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "servers")))
import recordserver  # noqa: E402
import secret_forms  # noqa: E402

CHECK = os.environ.get("PROBEWISE_CHECK") or os.path.normpath(
    os.path.join(HERE, "..", "..", "build", "check_plugin", "check_probewise"))
MODES = ("follow", "sticky", "stickyport", "curl")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Env:
    tmp = None
    a = b = c = None


def setUpModule():
    Env.tmp = tempfile.mkdtemp(prefix="probewise-grammar-")
    unittest.addModuleCleanup(shutil.rmtree, Env.tmp, True)
    Env.a = recordserver.RecordServer("A", "127.0.0.1").start()
    unittest.addModuleCleanup(Env.a.stop)
    Env.b = recordserver.RecordServer("B", "127.0.0.1").start()
    unittest.addModuleCleanup(Env.b.stop)
    Env.c = recordserver.RecordServer("C", "127.0.0.2", port=Env.a.port).start()
    unittest.addModuleCleanup(Env.c.stop)


def take():
    return Env.a.take() + Env.b.take() + Env.c.take()


def write_file(name, data, mode=0o600):
    return secret_forms.write_file(Env.tmp, name, data, mode)


def run(args, env=None):
    full = dict(os.environ)
    full.update(env or {})
    proc = subprocess.run([CHECK] + args, capture_output=True, timeout=30, env=full)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def base(path="/land"):
    return ["-H", "127.0.0.1", "-p", str(Env.a.port), "-u", path, "--no-state", "-t", "10"]


def injected(records):
    """Any request whose raw head has a line of its own that the check was not meant to send."""
    return [r for r in records if any(l.lower().startswith(("x-injected", "x-smuggled")) or "\r" in l[:-1]
                                      for l in r.raw_lines())]


class RefusedWhereTheyEnter(unittest.TestCase):
    """Each way a value enters the request head, with CR LF, a bare LF and a bare CR."""

    BREAKS = {"crlf": "\r\nX-Injected: yes", "lf": "\nX-Injected: yes", "cr": "\rX-Injected: yes"}

    def assert_refused(self, args, option, env=None):
        take()
        code, out, err = run(args, env)
        records = take()
        self.assertEqual(code, 3, (out, err))
        self.assertEqual(len(out.splitlines()), 1, out)  # one line
        self.assertTrue(out.startswith("HTTP UNKNOWN - "), out)
        self.assertIn(option, out)
        self.assertNotIn("X-Injected", out)
        self.assertEqual(err, "")
        self.assertEqual(records, [], "a request left: %r" % records)

    def test_every_option_that_reaches_the_wire(self):
        for name, brk in self.BREAKS.items():
            cases = [
                (["-k", "X-Trace: 1" + brk], "-k/--header"),
                (["-k", "X-Name" + brk + ": v"], "-k/--header"),
                (["-A", "probe/1" + brk], "-A/--useragent"),
                (["-a", "mon" + brk + ":pw"], "-a/--authorization"),
                (["-a", "mon:pw" + brk], "-a/--authorization"),
                (["-b", "px:pw" + brk, "-x", "http://127.0.0.1:%d" % Env.b.port], "-b/--proxy-authorization"),
                (["-j", "GET /x HTTP/1.1" + brk], "-j/--method"),
                (["-T", "text/plain" + brk, "-P", "body"], "-T/--content-type"),
                (["-x", "http://127.0.0.1:%d/" % Env.b.port + brk], "-x/--proxy"),
                (["--vantage", "px=via:http://127.0.0.1:%d/" % Env.b.port + brk], "--vantage"),
            ]
            for extra, option in cases:
                with self.subTest(brk=name, option=option):
                    self.assert_refused(base() + extra, option)
            with self.subTest(brk=name, option="-u"):
                self.assert_refused(["-H", "127.0.0.1", "-p", str(Env.a.port), "-u", "/land" + brk, "--no-state"],
                                    "-u/--url")
            with self.subTest(brk=name, option="-H"):
                self.assert_refused(["-H", "127.0.0.1" + brk, "-p", str(Env.a.port), "--no-state"], "-H/--hostname")
            with self.subTest(brk=name, option="--oauth2-client-id"):
                secret = write_file("client-" + name, "cs\n")
                self.assert_refused(base() + ["--oauth2-token-url", "http://127.0.0.1:%d/token" % Env.a.port,
                                              "--oauth2-client-id", "mon" + brk, "--oauth2-client-secret-file",
                                              secret], "--oauth2-client-id")

    def test_smuggled_authorization_never_crosses_a_redirect(self):
        # The origin rule once looked at the first name only: the second
        # header rode along to the other origin.
        location = "http://127.0.0.1:%d/land" % Env.b.port
        for mode in MODES:
            with self.subTest(mode=mode):
                self.assert_refused(base("/start?" + urllib.parse.urlencode({"to": location})) + [
                    "-f", mode, "-k", "X-Trace: 1\r\nAuthorization: Bearer smuggled-token-1"], "-k/--header")

    def test_credential_files_and_variables(self):
        cases = [
            ("--bearer-token-file", write_file("tok-cr", b"tok-abc\rX-Injected: yes\n"), {}),
            ("--bearer-token-file", write_file("tok-nul", b"tok-abc\0X-Injected: yes\n"), {}),
            ("--basic-auth-file", write_file("basic-cr", b"mon:pw\rX-Injected: yes\n"), {}),
            ("--header-file", write_file("hdr-cr", b"X-Tenant: t\nX-Key: k\rX-Injected: yes\n"), {}),
            ("--header-file", write_file("hdr-nul", b"X-Key: k\0X-Injected: yes\n"), {}),
        ]
        for option, path, env in cases:
            with self.subTest(option=option, path=os.path.basename(path)):
                self.assert_refused(base() + [option, path], option)
                code, out, _ = run(base() + [option, path])
                self.assertIn(path, out)
                if os.path.basename(path) == "hdr-cr":
                    self.assertIn("line 2", out)
        with self.subTest(option="--bearer-token-env"):
            self.assert_refused(base() + ["--bearer-token-env", "PW_T"], "--bearer-token-env",
                                {"PW_T": "tok-abc\r\nX-Injected: yes"})

    def test_token_from_the_endpoint_with_a_line_break_is_a_failed_fetch(self):
        secret = write_file("client-oauth", "cs-oauth\n")
        for token in ("tok\r\nX-Injected: yes", "tok\nX-Injected: yes", "tok\rX-Injected: yes", "tok\0X-Injected"):
            with self.subTest(token=token):
                Env.a.token_answer = {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
                try:
                    take()
                    args = base() + ["--oauth2-token-url", "http://127.0.0.1:%d/token" % Env.a.port,
                                     "--oauth2-client-id", "mon", "--oauth2-client-secret-file", secret]
                    code, out, _ = run(args)
                    _, as_json, _ = run(args + ["--output-format=json"])
                    records = take()
                finally:
                    Env.a.token_answer = None
                self.assertEqual(code, 2, out)
                self.assertEqual(json.loads(as_json)["reason"], "auth.service_unavailable")
                self.assertIn("line break", out.splitlines()[0])
                self.assertEqual([r["path"] for r in records], ["/token", "/token"], records)
                self.assertEqual(injected(records), [])
                self.assertNotIn("X-Injected", out)

    def test_one_line_for_a_url_with_a_line_break(self):
        code, out, _ = run(["-I", "127.0.0.1", "-p", str(Env.a.port), "-u", "http://h.example/a\r\nb"])
        self.assertEqual(code, 3)
        self.assertEqual(len(out.splitlines()), 1, out)


class HeadersStayWithTheOrigin(unittest.TestCase):
    """Every header the user gives (-k, --header-file) but the public ones
    stays with the origin, whatever its name, in every mode; its value never
    shows in -vvv."""

    SECRET_NAMES = ("X-JFrog-Art-Api", "X-Honeycomb-Team", "AccessKey", "X-Ovh-Consumer", "X-Tenant",
                    "Private-Token", "X-Vault-Token", "Api-Key", "X-Custom")
    PUBLIC = (("Accept-Language", "de-CH"), ("X-Request-ID", "req-4711"), ("Cache-Control", "no-cache"))

    def test_names_across_origins(self):
        for target in ("http://127.0.0.1:%d/land" % Env.b.port, "http://127.0.0.2:%d/land" % Env.a.port):
            for mode in MODES:
                with self.subTest(target=target, mode=mode):
                    values = {name: "hv-%s-%d" % (name.lower(), i) for i, name in enumerate(self.SECRET_NAMES)}
                    args = base("/start?" + urllib.parse.urlencode({"to": target})) + ["-f", mode, "-vvv"]
                    for name in self.SECRET_NAMES[:5]:
                        args += ["-k", "%s: %s" % (name, values[name])]
                    args += ["--header-file", write_file("hf-" + mode, "".join(
                        "%s: %s\n" % (n, values[n]) for n in self.SECRET_NAMES[5:]))]
                    for name, value in self.PUBLIC:
                        args += ["-k", "%s: %s" % (name, value)]
                    take()
                    code, out, err = run(args)
                    records = take()
                    starts = [r for r in records if r["path"] == "/start"]
                    lands = [r for r in records if r["path"] == "/land"]
                    self.assertEqual((len(starts), len(lands)), (1, 1), (records, out))
                    for name, value in values.items():
                        self.assertIn(value, starts[0]["raw"], name)
                        self.assertNotIn(value, lands[0]["raw"], (name, lands[0]))
                        self.assertNotIn(value, out + err, name)
                    for name, value in self.PUBLIC:
                        self.assertIn("%s: %s" % (name, value), lands[0]["raw"], name)  # the allow list travels
                    self.assertIn("credentials withheld", out)

    def test_same_origin_keeps_them(self):
        take()
        run(base("/start?to=/land") + ["-f", "follow", "-k", "X-JFrog-Art-Api: same-origin-key"])
        lands = [r for r in take() if r["path"] == "/land"]
        self.assertTrue(lands and "same-origin-key" in lands[0]["raw"], lands)

    def test_help_and_manuals_list_the_allow_list(self):
        code, out, _ = run(["--help"])
        self.assertEqual(code, 3)
        listed = " ".join(out[out.index("(the lines of a header file never do):"):].split()[8:]).rstrip(".")
        names = [n.strip() for n in listed.split(",")]
        for name in ("Accept-Language", "Cache-Control", "User-Agent", "X-Request-ID"):
            self.assertIn(name, names)
        root = os.path.normpath(os.path.join(HERE, "..", ".."))
        for doc in ("README.md", "packaging/man/check_probewise.1", "packaging/man/collectd-probewise.5"):
            with open(os.path.join(root, doc)) as f:
                text = " ".join(f.read().replace("\\-", "-").split())
            for name in names:
                self.assertIn(name, text, doc)


class PrintableServerText(unittest.TestCase):
    """A hostile reason phrase, challenge or body: one '|' (ours) in the
    status line, no control characters anywhere, one status line."""

    HOSTILE = "x | time=99s;1;2;0;10 size=1B \x1b[2J\x1b]0;owned\x07 \x08\x7f\xc2\x9b31m end"

    def check_output(self, out):
        lines = out.split("\n")
        status = lines[0]
        self.assertEqual(status.count("|"), 1, status)
        self.assertTrue(re.search(r"\|time=[0-9.]+s;", status), status)
        for line in lines:
            self.assertIsNone(CONTROL.search(line), repr(line))
            self.assertNotIn("\u009b", line)
        for line in lines[1:]:
            self.assertNotIn("|", line, repr(line))

    def test_reason_phrase_challenge_body_location(self):
        body = json.dumps({"error": "invalid_token", "error_description": self.HOSTILE})
        cases = {
            "reason": {"status": "401", "reason": self.HOSTILE},
            "challenge": {"status": "401", "www": 'Bearer error="invalid_token", error_description="%s"'
                                                   % self.HOSTILE.replace('"', "'")},
            "body": {"status": "401", "body": body, "type": "application/json"},
            "forbidden": {"status": "403", "body": "<html><body><h1>Blocked</h1><p>%s</p></body></html>"
                          % self.HOSTILE, "type": "text/html"},
            "location": {"status": "302", "location": "/land?next=" + urllib.parse.quote(self.HOSTILE)},
        }
        for name, query in cases.items():
            for extra in ([], ["-v"], ["-vv"], ["-B"], ["-f", "follow"]):
                with self.subTest(case=name, extra=extra):
                    code, out, err = run(base("/answer?" + urllib.parse.urlencode(query)) + extra)
                    self.assertIn(code, (0, 1, 2), out)
                    if "-v" in extra or "-vv" in extra:
                        # The trace comes first: the status line is the one with our perfdata.
                        out = out[out.index("HTTP "):] if out.find("\nHTTP ") < 0 else out[out.index("\nHTTP ") + 1:]
                    self.check_output(out)
                    self.assertEqual(err, "")

    def test_json_summary_is_one_printable_line(self):
        _, out, _ = run(base("/answer?" + urllib.parse.urlencode({"status": "401", "reason": self.HOSTILE}))
                        + ["--output-format=json"])
        summary = json.loads(out)["summary"]
        self.assertNotIn("|", summary)
        self.assertIsNone(CONTROL.search(summary), repr(summary))


class UrlShapes(unittest.TestCase):
    """URL secrets where a Location puts them, in every writer (-vvv, JSON)."""

    def test_location_shapes(self):
        pb = Env.b.port
        cases = {
            "fragment": ("http://127.0.0.1:%d/land#access_token=frag-secret-1&expires_in=60" % pb, "frag-secret-1"),
            "encoded_name": ("http://127.0.0.1:%d/land?api%%5Fkey=enc-secret-2" % pb, "enc-secret-2"),
            "protocol_relative": ("//mon:pr-secret-3@127.0.0.1:%d/land" % pb, "pr-secret-3"),
            "nested": ("http://127.0.0.1:%d/land?next=%s" % (pb, urllib.parse.quote(
                "https://idp.example/cb?token=nested-secret-4", safe="")), "nested-secret-4"),
        }
        for name, (location, secret) in cases.items():
            for mode in ("ok", "follow", "curl"):
                with self.subTest(case=name, mode=mode):
                    Env.a.locations[name] = location
                    args = base("/goto/" + name) + ["-f", mode]
                    _, traced, err = run(args + ["-vvv"])
                    _, as_json, _ = run(args + ["--output-format=json"])
                    take()
                    self.assertNotIn(secret, traced + err)
                    self.assertNotIn(secret, as_json)


if __name__ == "__main__":
    unittest.main()
