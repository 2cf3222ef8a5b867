#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SPEC 1.6 for check_probewise: credentials travel only to the origin they
were configured for, URL secrets never reach any output, and a credential
file that others may read gets a note.

The redirect matrix runs every way of giving credentials (-a, --basic-auth-file,
--bearer-token-file, --bearer-token-env, --header-file, -k Authorization,
-k Cookie, -k X-API-Key, an OAuth 2.0 token, --cookie-jar cookies, URL
userinfo) through every -f mode that follows (follow, sticky, stickyport,
curl) to every kind of target (another host, another port, https -> http,
the same origin), and asserts on what each origin's server received
(tests/servers/recordserver.py records every request head) and on every
output stream: the status line and long output with -vvv traces, the JSON
object, and the state directory.

    PROBEWISE_CHECK=build/check_plugin/check_probewise python3 tests/integration/test_secrets.py -v

The servers: A on 127.0.0.1:PA (the configured origin), B on 127.0.0.1:PB
(another port) and C on 127.0.0.2:PA (another host on the same port number,
so that the sticky modes, which keep connecting to 127.0.0.1, land on A with
"Host: 127.0.0.2:PA"). Each speaks HTTP and HTTPS on its one port.
"""

import glob
import json
import os
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
HARD_TIMEOUT = 30
MODES = ("follow", "sticky", "stickyport", "curl")
TARGETS = ("other_host", "other_port", "https_to_http", "same_origin")


class Env:
    tmp = None
    cert = None
    a = b = c = None


def setUpModule():
    Env.tmp = tempfile.mkdtemp(prefix="probewise-secrets-")
    unittest.addModuleCleanup(shutil.rmtree, Env.tmp, True)
    key, pem = os.path.join(Env.tmp, "server.key"), os.path.join(Env.tmp, "server.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key, "-out", pem, "-days", "30", "-subj", "/CN=127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    Env.cert = (pem, key)
    Env.a = recordserver.RecordServer("A", "127.0.0.1", tls=Env.cert).start()
    unittest.addModuleCleanup(Env.a.stop)
    Env.b = recordserver.RecordServer("B", "127.0.0.1", tls=Env.cert).start()
    unittest.addModuleCleanup(Env.b.stop)
    Env.c = recordserver.RecordServer("C", "127.0.0.2", port=Env.a.port, tls=Env.cert).start()
    unittest.addModuleCleanup(Env.c.stop)


def take_records():
    out = []
    for server in (Env.a, Env.b, Env.c):
        out += server.take()
    return out


def write_file(name, text, mode=0o600):
    return secret_forms.write_file(Env.tmp, name, text, mode)


b64 = secret_forms.b64


def run_check(args, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run([CHECK] + args, capture_output=True, text=True, timeout=HARD_TIMEOUT, env=full_env)
    return proc.returncode, proc.stdout + proc.stderr


# --- credential kinds --------------------------------------------------------
# Each returns (arguments, environment, wire, raw): `wire` are the forms in
# which the secret shows in a request head (the Basic header carries it
# base64-encoded), `raw` the secrets themselves; neither may show in any output.

def basic_option(tag, origin):
    secret = "basicpw-" + tag
    return ["-a", "mon:" + secret], {}, [b64("mon:" + secret)], [secret]


def basic_file(tag, origin):
    secret = "basicfile-" + tag
    path = write_file("basic-" + tag, "mon:%s\n" % secret)
    return ["--basic-auth-file", path], {}, [b64("mon:" + secret)], [secret]


def bearer_file(tag, origin):
    secret = "bearerfile-" + tag
    return ["--bearer-token-file", write_file("token-" + tag, secret + "\n")], {}, [secret], []


def bearer_env(tag, origin):
    secret = "bearerenv-" + tag
    return ["--bearer-token-env", "PW_TEST_TOKEN"], {"PW_TEST_TOKEN": secret}, [secret], []


def header_file(tag, origin):
    # Every line of a header file is a credential, whatever its name.
    key, tenant = "hdrkey-" + tag, "hdrtenant-" + tag
    path = write_file("headers-" + tag, "X-Custom-Key: %s\nX-Tenant: %s\n" % (key, tenant))
    return ["--header-file", path], {}, [key, tenant], []


def k_authorization(tag, origin):
    secret = "kauth-" + tag
    return ["-k", "Authorization: Bearer " + secret], {}, [secret], []


def k_cookie(tag, origin):
    secret = "kcookie-" + tag
    return ["-k", "Cookie: sid=" + secret], {}, [secret], []


def k_api_key(tag, origin):
    secret = "kapikey-" + tag
    return ["-k", "X-API-Key: " + secret], {}, [secret], []


def oauth_token(tag, origin):
    secret = "oauthtok-" + tag
    client_secret = "clientsecret-" + tag
    Env.a.token = secret
    path = write_file("client-" + tag, client_secret + "\n")
    return (["--oauth2-token-url", origin + "/token", "--oauth2-client-id", "mon",
             "--oauth2-client-secret-file", path], {}, [secret], [client_secret, b64("mon:" + client_secret)])


def cookie_jar(tag, origin):
    secret = "jarcookie-" + tag
    # Netscape format: domain, subdomains, path, secure, expiry (0 = session), name, value.
    path = write_file("jar-" + tag, "127.0.0.1\tFALSE\t/\tFALSE\t0\tjarsid\t%s\n" % secret)
    return ["--cookie-jar", path], {}, [secret], []


KINDS = {
    "a": basic_option, "basic_auth_file": basic_file, "bearer_token_file": bearer_file,
    "bearer_token_env": bearer_env, "header_file": header_file, "k_authorization": k_authorization,
    "k_cookie": k_cookie, "k_api_key": k_api_key, "oauth2": oauth_token, "cookie_jar": cookie_jar,
}


def target_of(target):
    """(origin scheme, Location, the origin the Location names)."""
    pa, pb = Env.a.port, Env.b.port
    return {
        "other_host": ("http", "http://127.0.0.2:%d/land" % pa, "http://127.0.0.2:%d" % pa),
        "other_port": ("http", "http://127.0.0.1:%d/land" % pb, "http://127.0.0.1:%d" % pb),
        "https_to_http": ("https", "http://127.0.0.1:%d/land" % pa, "http://127.0.0.1:%d" % pa),
        "same_origin": ("http", "/land", "http://127.0.0.1:%d" % pa),
    }[target]


def check_args(scheme, location, mode, extra=()):
    start = "/start?" + urllib.parse.urlencode({"to": location})
    args = ["-H", "127.0.0.1", "-p", str(Env.a.port), "-u", start, "-f", mode, "-t", "10"]
    if scheme == "https":
        args.append("-S")
    return args + list(extra)


class Matrix(unittest.TestCase):
    """Every credential kind x -f mode x target."""

    def run_cell(self, kind, mode, target):
        scheme, location, landed_origin = target_of(target)
        origin = "%s://127.0.0.1:%d" % (scheme, Env.a.port)
        tag = "%s-%s-%s" % (kind, mode, target)
        args, env, wire, raw = KINDS[kind](tag, origin)
        state_dir = os.path.join(Env.tmp, "state-" + tag)
        take_records()
        code, traced = run_check(check_args(scheme, location, mode, args + ["-vvv", "--state-dir", state_dir]), env)
        first = take_records()
        code_json, as_json = run_check(
            check_args(scheme, location, mode, args + ["--output-format=json", "--state-dir", state_dir]), env)
        second = take_records()
        json.loads(as_json)
        for records, output in ((first, traced), (second, as_json)):
            starts = [r for r in records if r["path"] == "/start" and r["origin"] == origin]
            lands = [r for r in records if r["path"] == "/land" and r["origin"] == landed_origin]
            self.assertEqual(len(starts), 1, (records, output))
            self.assertEqual(len(lands), 1, ("the redirect was not followed", records, output))
            for marker in wire:
                self.assertTrue(any(r.sent(marker) for r in records if r["origin"] == origin),
                                ("not sent to the origin", marker, records))
                if target == "same_origin":
                    self.assertTrue(lands[0].sent(marker), ("lost on a same-origin redirect", marker, lands[0]))
                else:
                    for r in records:
                        if r["origin"] != origin:
                            self.assertFalse(r.sent(marker), ("crossed to " + r["origin"], marker, r))
            for secret in wire + raw:
                self.assertNotIn(secret, output)
        for path in glob.glob(os.path.join(state_dir, "*")):
            if os.path.basename(path).startswith("oauth-"):
                continue  # the OAuth token cache holds the token by design (mode 0600, SPEC 1.2)
            with open(path, errors="replace") as f:
                content = f.read()
            for secret in wire + raw:
                self.assertNotIn(secret, content, path)

    def run_kind(self, kind):
        for mode in MODES:
            for target in TARGETS:
                with self.subTest(mode=mode, target=target):
                    self.run_cell(kind, mode, target)


def add_kind_tests():
    for name in KINDS:
        setattr(Matrix, "test_" + name, lambda self, name=name: self.run_kind(name))


add_kind_tests()


class UrlUserinfo(unittest.TestCase):
    """URL userinfo, given the only way check_curl takes a whole URL: -u
    http://user:pw@host/... with -I/-p naming a proxy (A serves absolute-form
    requests and records the origin they name)."""

    def test_userinfo_stays_with_its_origin(self):
        pa, pb = Env.a.port, Env.b.port
        origin = "http://127.0.0.1:%d" % pa
        for mode in ("follow", "curl"):
            for location, landed in (("http://127.0.0.1:%d/land" % pb, "http://127.0.0.1:%d" % pb),
                                     ("http://127.0.0.2:%d/land" % pa, "http://127.0.0.2:%d" % pa),
                                     ("/land", origin)):
                with self.subTest(mode=mode, location=location):
                    secret = "userinfopw-%s-%d" % (mode, len(location))
                    url = "http://mon:%s@127.0.0.1:%d/start?%s" % (secret, pa, urllib.parse.urlencode(
                        {"to": location}))
                    take_records()
                    code, out = run_check(["-I", "127.0.0.1", "-p", str(pa), "-u", url, "-f", mode, "-vvv",
                                           "--no-state"])
                    records = take_records()
                    marker = b64("mon:" + secret)
                    lands = [r for r in records if r["path"] == "/land" and r["origin"] == landed]
                    self.assertEqual(len(lands), 1, (records, out))
                    self.assertTrue(records[0].sent(marker), records)
                    self.assertEqual(lands[0].sent(marker), landed == origin, lands[0])
                    self.assertNotIn(secret, out)
                    self.assertNotIn(marker, out)


class Redaction(unittest.TestCase):
    """URL secrets shown as [redacted] in every writer; the request itself unchanged."""

    def outputs(self, args):
        """stdout of -vvv and of JSON, and what the state directory holds."""
        state_dir = tempfile.mkdtemp(dir=Env.tmp)
        _, traced = run_check(args + ["-vvv", "--state-dir", state_dir])
        _, as_json = run_check(args + ["--output-format=json", "--state-dir", state_dir])
        files = ""
        for path in glob.glob(os.path.join(state_dir, "*")):
            with open(path, errors="replace") as f:
                files += f.read()
        return traced, as_json, files

    def test_query_secrets_in_the_url(self):
        take_records()
        path = "/land?access_token=qs-tok-1&api_key=qs-key-2&page=3&X-Amz-Signature=qs-sig-3"
        traced, as_json, files = self.outputs(
            ["-H", "127.0.0.1", "-p", str(Env.a.port), "-u", path, "-s", "absent-string"])
        records = take_records()
        self.assertTrue(records and all(r["target"] == path for r in records), records)  # sent unchanged
        for text in (traced, as_json, files):
            for secret in ("qs-tok-1", "qs-key-2", "qs-sig-3"):
                self.assertNotIn(secret, text)
        self.assertIn("access_token=[redacted]", traced)  # the request line of the -vvv trace
        self.assertIn("page=3", traced)
        self.assertIn("api_key=[redacted]", traced.splitlines()[-1] + json.loads(as_json)["summary"])

    def test_signed_url_in_a_location(self):
        signed = ("http://127.0.0.1:%d/land?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                  "&X-Amz-Credential=AKIASECRETCRED%%2F20260101%%2Fus-east-1%%2Fs3%%2Faws4_request"
                  "&X-Amz-Date=20260101T000000Z&X-Amz-Signature=f00dsignature&code=authcode-9" % Env.b.port)
        for mode in ("ok", "follow", "curl"):
            with self.subTest(mode=mode):
                take_records()
                Env.a.locations["signed"] = signed
                args = ["-H", "127.0.0.1", "-p", str(Env.a.port), "-u", "/goto/signed", "-f", mode]
                traced, as_json, files = self.outputs(args)
                records = take_records()
                if mode != "ok":
                    lands = [r for r in records if r["path"] == "/land"]
                    self.assertTrue(lands and "X-Amz-Signature=f00dsignature" in lands[0]["target"], records)
                    self.assertIn("X-Amz-Signature=[redacted]", as_json)
                for text in (traced, as_json, files):
                    for secret in ("AKIASECRETCRED", "f00dsignature", "authcode-9"):
                        self.assertNotIn(secret, text)

    def test_userinfo_in_a_location(self):
        location = "http://mon:locpw-77@127.0.0.1:%d/land" % Env.b.port
        take_records()
        Env.a.locations["userinfo"] = location
        traced, as_json, _ = self.outputs(["-H", "127.0.0.1", "-p", str(Env.a.port), "-u", "/goto/userinfo",
                                           "-f", "follow"])
        take_records()
        for text in (traced, as_json):
            self.assertNotIn("locpw-77", text)
            self.assertNotIn(b64("mon:locpw-77"), text)



class CredentialFileNote(unittest.TestCase):
    """A credential file that its group or others may read: a note with the
    chmod to run, in the long output and the JSON notes; never a failure."""

    CONTENT = {"--bearer-token-file": "notesecret\n", "--basic-auth-file": "mon:notesecret\n",
               "--header-file": "X-API-Key: notesecret\n"}

    def run_with(self, option, mode):
        path = write_file("note-%s-%o" % (option.strip("-"), mode), self.CONTENT[option], mode)
        args = ["-H", "127.0.0.1", "-p", str(Env.a.port), "-u", "/land", "--no-state", option, path]
        code, out = run_check(args)
        code_json, as_json = run_check(args + ["--output-format=json"])
        return path, code, out, code_json, json.loads(as_json)

    def test_readable_file_gets_a_note_and_the_same_state(self):
        for option in ("--bearer-token-file", "--basic-auth-file", "--header-file"):
            with self.subTest(option=option):
                path, code, out, code_json, doc = self.run_with(option, 0o644)
                self.assertEqual((code, code_json), (0, 0), out)
                self.assertTrue(out.startswith("HTTP OK"), out)
                notes = [l for l in out.splitlines() if l.startswith("Note: credential file " + path)]
                self.assertEqual(len(notes), 1, out)
                self.assertIn("can be read by", notes[0])
                self.assertIn("chmod 600 %s; it is 0644, owner " % path, notes[0])
                self.assertEqual([n for n in doc["notes"] if n.startswith("credential file " + path)],
                                 [notes[0][len("Note: "):]])
                self.assertEqual(doc["state"], "OK")
                self.assertNotIn("notesecret", out)

    def test_private_file_gets_none(self):
        path, code, out, _, doc = self.run_with("--bearer-token-file", 0o600)
        self.assertEqual(code, 0)
        self.assertNotIn("credential file", out)
        self.assertEqual([n for n in doc["notes"] if "credential file" in n], [])

    def test_oauth_client_secret_file(self):
        Env.a.token = "note-oauth-token"
        secret = write_file("note-client", "clientnote\n", 0o640)
        code, out = run_check(["-H", "127.0.0.1", "-p", str(Env.a.port), "-u", "/land", "--no-state",
                               "--oauth2-token-url", "http://127.0.0.1:%d/token" % Env.a.port,
                               "--oauth2-client-id", "mon", "--oauth2-client-secret-file", secret])
        self.assertEqual(code, 0, out)
        self.assertIn("Note: credential file %s can be read by its group (" % secret, out)



class WithheldDiagnosis(unittest.TestCase):
    """A 401 or 403 from the other origin after the credentials were withheld
    is told as that, with basis local, in every mode."""

    def test_401_and_403_after_the_redirect(self):
        token = write_file("withheld-token", "withheld-secret\n")
        for mode in MODES:
            for status in (401, 403):
                with self.subTest(mode=mode, status=status):
                    location = "http://127.0.0.1:%d/land?status=%d" % (Env.b.port, status)
                    args = check_args("http", location, mode, ["--bearer-token-file", token, "--no-state"])
                    code, out = run_check(args)
                    _, as_json = run_check(args + ["--output-format=json"])
                    doc = json.loads(as_json)
                    where = "http://127.0.0.1:%d" % Env.b.port
                    self.assertEqual(code, 1, out)
                    self.assertIn("credentials were not forwarded to %s after the redirect" % where,
                                  out.splitlines()[0])
                    self.assertEqual(doc["reason"], "auth.missing_credentials")
                    self.assertEqual(doc["basis"], "local")
                    self.assertIn("credentials were not forwarded to " + where, doc["summary"])
                    self.assertTrue(doc["hints"][0].startswith("Point -u (collectd: URL) at the final URL"),
                                    doc["hints"])
                    self.assertNotIn("withheld-secret", out + as_json)
                    take_records()

    def test_same_origin_401_is_not_blamed_on_a_redirect(self):
        token = write_file("kept-token", "kept-secret\n")
        args = check_args("http", "/land?status=401", "follow", ["--bearer-token-file", token, "--no-state",
                                                               "--output-format=json"])
        _, as_json = run_check(args)
        doc = json.loads(as_json)
        self.assertNotIn("not forwarded", as_json)
        self.assertEqual(doc["reason"], "auth.invalid_credentials")
        take_records()


if __name__ == "__main__":
    unittest.main()
