#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SPEC 1.6, secrets by value: a server that repeats the credential it was
sent never makes check_probewise print it. Every way of giving a credential
(-a, --basic-auth-file, --bearer-token-file, --bearer-token-env,
--header-file, -k with a well-known and with an unknown header name, -k
Cookie, an OAuth 2.0 token, the OAuth client secret, URL userinfo, -b for a
proxy) meets every shape of echo (a JSON error field, nested JSON, HTML, a
challenge parameter, the reason phrase, plain text, a response header, XML,
a Location) from tests/servers/recordserver.py's /echo routes; the secret
and its usual encodings (Basic's base64, percent-encoding) must be absent
from every output stream (-vvv, JSON, stderr) and from the state directory.

    PROBEWISE_CHECK=build/check_plugin/check_probewise python3 tests/integration/test_secrets_echo.py -v
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "servers")))
import recordserver  # noqa: E402
import secret_forms  # noqa: E402

CHECK = os.environ.get("PROBEWISE_CHECK") or os.path.normpath(
    os.path.join(HERE, "..", "..", "build", "check_plugin", "check_probewise"))
SHAPES = sorted(recordserver.ECHO)


class Env:
    tmp = None
    server = None


def setUpModule():
    Env.tmp = tempfile.mkdtemp(prefix="probewise-echo-")
    unittest.addModuleCleanup(shutil.rmtree, Env.tmp, True)
    Env.server = recordserver.RecordServer("A", "127.0.0.1").start()
    unittest.addModuleCleanup(Env.server.stop)


def write_file(name, text, mode=0o600):
    return secret_forms.write_file(Env.tmp, name, text, mode)


b64, forms = secret_forms.b64, secret_forms.forms


def run(args, env=None):
    full = dict(os.environ)
    full.update(env or {})
    proc = subprocess.run([CHECK] + args, capture_output=True, text=True, errors="replace", timeout=30,
                          env=full)
    return proc.returncode, proc.stdout, proc.stderr


# --- the credential kinds: (arguments, environment, secrets) for a tag ----------
# The secrets are what must never show: the credential and its encodings.

def basic_option(tag):
    pw = "Bop-%s-pw" % tag
    return ["-a", "monitor:" + pw], {}, forms(pw) | {b64("monitor:" + pw)}


def basic_file(tag):
    pw = "Bfile/%s+pw" % tag  # '/' and '+': percent-encoding differs from the raw form
    return (["--basic-auth-file", write_file("basic-" + tag, "monitor:%s\n" % pw)], {},
            forms(pw) | {b64("monitor:" + pw)})


def bearer_file(tag):
    token = "d41d8cd98f00b204e9800998ecf8427e" + tag
    return ["--bearer-token-file", write_file("token-" + tag, token + "\n")], {}, forms(token)


def bearer_env(tag):
    token = "envtok_%s_3f9a0c" % tag
    return ["--bearer-token-env", "PW_ECHO_TOKEN"], {"PW_ECHO_TOKEN": token}, forms(token)


def header_file(tag):
    key, account = "hfkey-%s-81c2" % tag, "hfacct-%s-77" % tag
    path = write_file("headers-" + tag, "X-Api-Key: %s\nX-Account: %s\n" % (key, account))
    return ["--header-file", path], {}, forms(key) | forms(account)


def k_api_key(tag):
    key = "kapi-%s-7d1e" % tag
    return ["-k", "X-API-Key: " + key], {}, forms(key)


def k_unknown_name(tag):
    # A vendor's key header whose name says nothing of a secret.
    key = "jfrog-%s-AKCp8" % tag
    return ["-k", "X-JFrog-Art-Api: " + key], {}, forms(key)


def k_authorization_basic(tag):
    pw = "kbasic-%s-pw" % tag
    return ["-k", "Authorization: Basic " + b64("monitor:" + pw)], {}, forms(pw) | {b64("monitor:" + pw)}


def k_cookie(tag):
    sid = "ksid-%s-a1b2c3" % tag
    return ["-k", "Cookie: theme=dark; session=" + sid], {}, forms(sid)


def oauth_token(tag):
    token = "oauthtok-%s-99f0" % tag
    client = "clientsec-%s-55" % tag
    Env.server.token = token
    path = write_file("client-" + tag, client + "\n")
    url = "http://127.0.0.1:%d/token" % Env.server.port
    return (["--oauth2-token-url", url, "--oauth2-client-id", "mon", "--oauth2-client-secret-file", path], {},
            forms(token) | forms(client) | {b64("mon:" + client)})


def post_form(tag):
    # A login form posted with -P: its password field is a secret too.
    pw = "formpw-%s-61" % tag
    return ["-P", "username=monitor&password=" + pw.replace("-", "%2D")], {}, forms(pw)


KINDS = {
    "post_form": post_form,
    "a": basic_option, "basic_auth_file": basic_file, "bearer_token_file": bearer_file,
    "bearer_token_env": bearer_env, "header_file": header_file, "k_api_key": k_api_key,
    "k_unknown_name": k_unknown_name, "k_authorization_basic": k_authorization_basic, "k_cookie": k_cookie,
    "oauth2": oauth_token,
}


def outputs(args, env, state_dir):
    """Everything the check writes: -vvv (stdout and stderr), JSON, the state files."""
    streams = {}
    code, out, err = run(args + ["-vvv", "--state-dir", state_dir], env)
    streams["-vvv"] = out + err
    code_json, out, err = run(args + ["--output-format=json", "--state-dir", state_dir], env)
    streams["json"] = out + err
    json.loads(out)
    for path in glob.glob(os.path.join(state_dir, "*")):
        if os.path.basename(path).startswith("oauth-"):
            continue  # the token cache holds the token by design (mode 0600)
        with open(path, errors="replace") as f:
            streams[path] = f.read()
    return code, streams


class Echo(unittest.TestCase):
    """Every credential kind x every shape of echo."""

    def run_kind(self, kind):
        for shape in SHAPES:
            with self.subTest(kind=kind, shape=shape):
                tag = "%s-%s" % (kind.replace("_", ""), shape)
                args, env, secrets = KINDS[kind](tag)
                state_dir = os.path.join(Env.tmp, "state-" + tag)
                Env.server.take()
                code, streams = outputs(["-H", "127.0.0.1", "-p", str(Env.server.port), "-u", "/echo/" + shape,
                                         "-t", "10"] + args, env, state_dir)
                records = [r for r in Env.server.take() if r["path"].startswith("/echo/")]
                # Two runs (a cached OAuth token refused with 401 is fetched anew, once).
                self.assertIn(len(records), (2, 3), records)
                self.assertIn(code, (0, 1, 2), streams)
                for name, text in streams.items():
                    for secret in secrets:
                        self.assertNotIn(secret, text, (name, text))
                # Redaction is by value, not a blackout: the status line still says what happened.
                first = streams["-vvv"].splitlines()
                status_line = [l for l in first if l.startswith("HTTP ")]
                self.assertTrue(status_line, streams["-vvv"])
                self.assertEqual(status_line[0].count("|"), 1 if "|" in status_line[0] else 0, status_line[0])


def add_kind_tests():
    for name in KINDS:
        setattr(Echo, "test_" + name, lambda self, name=name: self.run_kind(name))


add_kind_tests()


class TokenEndpointEcho(unittest.TestCase):
    """An OAuth token endpoint that answers invalid_client with the client's
    own Authorization header (Basic of id:secret) or the secret in words."""

    def test_invalid_client_repeats_the_credentials(self):
        for shape in ("json", "nested", "text", "reason", "challenge"):
            with self.subTest(shape=shape):
                client = "cs-%s-0a9b8c" % shape
                path = write_file("client-te-" + shape, client + "\n")
                url = "http://127.0.0.1:%d/echo/%s?status=401" % (Env.server.port, shape)
                code, streams = outputs(["-H", "127.0.0.1", "-p", str(Env.server.port), "-u", "/land",
                                         "--oauth2-token-url", url, "--oauth2-client-id", "mon",
                                         "--oauth2-client-secret-file", path], {},
                                        os.path.join(Env.tmp, "state-te-" + shape))
                self.assertEqual(code, 1, streams)  # the token endpoint refused: invalid credentials
                for name, text in streams.items():
                    for secret in forms(client) | {b64("mon:" + client)}:
                        self.assertNotIn(secret, text, (name, text))


class EchoedUserinfo(unittest.TestCase):
    """A password in the URL's userinfo (-u http://user:pw@host through -I/-p
    as check_curl's proxy form), echoed back."""

    def test_userinfo_password(self):
        for shape in ("json", "text", "reason"):
            with self.subTest(shape=shape):
                pw = "uipw-%s-42x" % shape
                url = "http://mon:%s@127.0.0.1:%d/echo/%s" % (pw, Env.server.port, shape)
                code, streams = outputs(["-I", "127.0.0.1", "-p", str(Env.server.port), "-u", url], {},
                                        os.path.join(Env.tmp, "state-ui-" + shape))
                for name, text in streams.items():
                    for secret in forms(pw) | {b64("mon:" + pw)}:
                        self.assertNotIn(secret, text, (name, text))


class EchoedProxyCredentials(unittest.TestCase):
    """A proxy (the record server, which takes absolute-form requests) that
    repeats its credentials: -b, -x with userinfo, http_proxy, and a
    vantage's proxy-auth-file (SPEC 1.7)."""

    def test_each_way_of_giving_them(self):
        port = Env.server.port
        for how in ("-b", "-x", "http_proxy", "vantage"):
            for shape in ("json", "reason", "text"):
                with self.subTest(how=how, shape=shape):
                    pw = "pxpw-%s-%s-9z" % (how.strip("-"), shape)
                    target = "http://127.0.0.1:%d/echo/%s" % (port, shape)
                    args, env = ["-H", "127.0.0.1", "-u", target], {}
                    if how == "-b":
                        args += ["-x", "http://127.0.0.1:%d" % port, "-b", "proxyuser:" + pw]
                    elif how == "-x":
                        args += ["-x", "http://proxyuser:%s@127.0.0.1:%d" % (pw, port)]
                    elif how == "vantage":
                        auth = write_file("vantage-auth-" + shape, "proxyuser:%s\n" % pw)
                        args = ["-H", "127.0.0.1", "-p", str(port), "-u", "/echo/" + shape, "--vantage",
                                "px=via:http://127.0.0.1:%d,proxy-auth-file=%s" % (port, auth)]
                    else:  # a path, not a URL: a URL in -u makes -H/-p the proxy (check_curl's rule)
                        args = ["-H", "127.0.0.1", "-p", str(port), "-u", "/echo/" + shape]
                        env = {"http_proxy": "http://proxyuser:%s@127.0.0.1:%d" % (pw, port), "no_proxy": ""}
                    Env.server.take()
                    code, streams = outputs(args, env, os.path.join(Env.tmp, "state-px-%s-%s" % (how, shape)))
                    records = Env.server.take()
                    self.assertTrue(records and all(r["target"] == target for r in records), records)
                    self.assertTrue(all(b64("proxyuser:" + pw) in r["head"] for r in records), records)
                    for name, text in streams.items():
                        for secret in forms(pw) | {b64("proxyuser:" + pw)}:
                            self.assertNotIn(secret, text, (name, text))


if __name__ == "__main__":
    unittest.main()
