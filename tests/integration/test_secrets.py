#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SPEC 1.6 for check_probewise: URL secrets never reach any output (the
status line and long output with -vvv traces, the JSON object, the state
directory), while the request itself goes out unchanged
(tests/servers/recordserver.py records every request head).

    PROBEWISE_CHECK=build/check_plugin/check_probewise python3 tests/integration/test_secrets.py -v

The servers: A on 127.0.0.1:PA (the configured origin), B on 127.0.0.1:PB
(another port) and C on 127.0.0.2:PA (another host on the same port number,
so that the sticky modes, which keep connecting to 127.0.0.1, land on A with
"Host: 127.0.0.2:PA"). Each speaks HTTP and HTTPS on its one port.
"""

import base64
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

CHECK = os.environ.get("PROBEWISE_CHECK") or os.path.normpath(
    os.path.join(HERE, "..", "..", "build", "check_plugin", "check_probewise"))
HARD_TIMEOUT = 30


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
    path = os.path.join(Env.tmp, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def b64(text):
    return base64.b64encode(text.encode()).decode()


def run_check(args, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run([CHECK] + args, capture_output=True, text=True, timeout=HARD_TIMEOUT, env=full_env)
    return proc.returncode, proc.stdout + proc.stderr


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


if __name__ == "__main__":
    unittest.main()
