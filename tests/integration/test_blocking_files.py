#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SPEC 1.6, files that cannot block, for check_probewise: a FIFO (or a
directory, or a device) where a state file, the OAuth token cache, a
credential file or the cookie jar should be is never waited on. The check
answers as it would without that file, within its timeout, with a note that
names it; the healthy endpoint still reads OK. A token cache of the wrong
shape (wrong JSON types) is a cache miss: a fresh token, never UNKNOWN.

Each run has a hard timeout far above the check's own (-t): a check that
waits on a FIFO for a writer fails the test instead of hanging it.

    PROBEWISE_CHECK=build/check_plugin/check_probewise python3 tests/integration/test_blocking_files.py -v
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

CHECK = os.environ.get("PROBEWISE_CHECK") or os.path.normpath(
    os.path.join(HERE, "..", "..", "build", "check_plugin", "check_probewise"))


class Env:
    tmp = None
    server = None


def setUpModule():
    Env.tmp = tempfile.mkdtemp(prefix="probewise-files-")
    unittest.addModuleCleanup(shutil.rmtree, Env.tmp, True)
    Env.server = recordserver.RecordServer("A", "127.0.0.1", token="fresh-token-0001").start()
    unittest.addModuleCleanup(Env.server.stop)


def run(args):
    try:
        proc = subprocess.run([CHECK] + args, capture_output=True, text=True, timeout=15)
    except subprocess.TimeoutExpired:
        raise AssertionError("the check waited on a file: %s" % args)
    return proc.returncode, proc.stdout, proc.stderr


def fresh_dir(name):
    path = os.path.join(Env.tmp, name)
    os.makedirs(path, mode=0o700)
    return path


def oauth_args(state_dir):
    secret = os.path.join(Env.tmp, "client-secret")
    with open(secret, "w") as f:
        f.write("client-secret-1\n")
    os.chmod(secret, 0o600)
    return ["-H", "127.0.0.1", "-p", str(Env.server.port), "-u", "/land", "-t", "5", "--state-dir", state_dir,
            "--oauth2-token-url", "http://127.0.0.1:%d/token" % Env.server.port, "--oauth2-client-id", "mon",
            "--oauth2-client-secret-file", secret]


def plant(path, kind):
    """Something other than a regular file at `path`."""
    if kind == "fifo":
        os.mkfifo(path, 0o600)
    elif kind == "directory":
        os.mkdir(path, 0o700)
    elif kind == "device":
        os.symlink("/dev/zero", path)  # followed for credential files; refused (a link) in state dirs


class StateAndTokenCache(unittest.TestCase):

    def first_run_files(self, args):
        """Runs once to learn the names of the files the check keeps."""
        code, out, _ = run(args)
        self.assertEqual(code, 0, out)
        return sorted(glob.glob(os.path.join(args[args.index("--state-dir") + 1], "*.json")))

    def test_something_else_in_place_of_each_file(self):
        for kind in ("fifo", "directory", "device"):
            with self.subTest(kind=kind):
                state_dir = fresh_dir("state-" + kind)
                args = oauth_args(state_dir)
                files = self.first_run_files(args)
                names = [os.path.basename(f) for f in files]
                self.assertEqual(len(files), 2, names)  # the state and the OAuth token cache
                self.assertTrue(any(n.startswith("oauth-") for n in names), names)
                for path in files:
                    os.unlink(path)
                    plant(path, kind)
                Env.server.take()
                code, out, err = run(args)
                self.assertEqual(code, 0, out)
                self.assertTrue(out.startswith("HTTP OK"), out)
                paths = [r["path"] for r in Env.server.take()]
                self.assertEqual(paths, ["/token", "/land"], paths)  # a fresh token, then the request
                for path in files:
                    notes = [l for l in out.splitlines() if l.startswith("Note:") and path in l]
                    if kind != "directory":
                        # replaced by a regular file when the check saved (the rename)
                        self.assertTrue(os.path.isfile(path) and not os.path.islink(path), path)
                    # A directory also cannot be replaced: "change detection is off" names it too.
                    self.assertEqual(len(notes), 2 if kind == "directory" and "oauth-" not in path else 1,
                                     (path, out))

    def test_json_output_too(self):
        state_dir = fresh_dir("state-json")
        args = oauth_args(state_dir)
        files = self.first_run_files(args)
        for path in files:
            os.unlink(path)
            os.mkfifo(path, 0o600)
        code, out, _ = run(args + ["--output-format=json"])
        doc = json.loads(out)
        self.assertEqual((code, doc["state"]), (0, "OK"), out)
        self.assertEqual(len([n for n in doc["notes"] if "is a FIFO" in n]), 2, doc["notes"])


class TokenCacheShape(unittest.TestCase):
    """What serialize_token() writes, with a member of another type: a miss."""

    BAD = [
        {"access_token": 42, "token_type": "Bearer", "obtained_at": 1, "expires_at": 2},
        {"access_token": "cached-token-bad", "token_type": ["Bearer"], "obtained_at": 1, "expires_at": 9999999999},
        {"access_token": "cached-token-bad", "token_type": "Bearer", "obtained_at": "soon", "expires_at": 9999999999},
        {"access_token": "cached-token-bad", "token_type": "Bearer", "obtained_at": 1, "expires_at": {"at": 1}},
        {"access_token": "cached-token-bad", "token_type": None, "obtained_at": 1, "expires_at": 9999999999},
        {"access_token": "cached\r\ntoken", "token_type": "Bearer", "obtained_at": 1, "expires_at": 9999999999},
        ["not", "an", "object"],
        "just a string",
    ]

    def test_wrong_types_are_a_miss(self):
        for i, doc in enumerate(self.BAD):
            with self.subTest(cache=doc):
                state_dir = fresh_dir("cache-%d" % i)
                args = oauth_args(state_dir)
                run(args)
                cache = [f for f in glob.glob(os.path.join(state_dir, "oauth-*.json"))]
                self.assertEqual(len(cache), 1)
                with open(cache[0], "w") as f:
                    json.dump(doc, f)
                Env.server.take()
                code, out, err = run(args)
                records = Env.server.take()
                self.assertEqual(code, 0, out)
                self.assertNotIn("internal error", out)
                self.assertEqual([r["path"] for r in records], ["/token", "/land"], records)
                self.assertIn("Bearer fresh-token-0001", records[1]["raw"])


class CredentialFiles(unittest.TestCase):
    """A FIFO or directory where a credential file should be: not read, a
    note naming it, the request goes without it (and the server's 401 is
    judged as such); a FIFO as the cookie jar: cookies in memory only."""

    def test_each_credential_option(self):
        for option in ("--bearer-token-file", "--basic-auth-file", "--header-file"):
            for kind in ("fifo", "directory"):
                with self.subTest(option=option, kind=kind):
                    path = os.path.join(Env.tmp, "cred-%s-%s" % (option.strip("-"), kind))
                    plant(path, kind)
                    Env.server.take()
                    code, out, _ = run(["-H", "127.0.0.1", "-p", str(Env.server.port), "-u", "/land?status=401",
                                        "--no-state", "-t", "5", option, path])
                    records = Env.server.take()
                    self.assertEqual(code, 1, out)  # 401 without credentials: WARNING, as check_curl
                    self.assertEqual(len(records), 1, records)
                    notes = [l for l in out.splitlines() if l.startswith("Note: credential file " + path)]
                    self.assertEqual(len(notes), 1, out)
                    self.assertIn("not a regular file", notes[0])

    def test_oauth_client_secret_fifo(self):
        path = os.path.join(Env.tmp, "client-fifo")
        os.mkfifo(path, 0o600)
        code, out, _ = run(["-H", "127.0.0.1", "-p", str(Env.server.port), "-u", "/land", "--no-state", "-t", "5",
                            "--oauth2-token-url", "http://127.0.0.1:%d/token" % Env.server.port,
                            "--oauth2-client-id", "mon", "--oauth2-client-secret-file", path])
        self.assertNotEqual(code, 3, out)
        self.assertIn("is a FIFO", out)

    def test_cookie_jar_fifo(self):
        path = os.path.join(Env.tmp, "jar-fifo")
        os.mkfifo(path, 0o600)
        code, out, _ = run(["-H", "127.0.0.1", "-p", str(Env.server.port), "-u", "/land", "--no-state", "-t", "5",
                            "--cookie-jar", path])
        self.assertEqual(code, 0, out)
        self.assertIn("Note: cookie jar %s is a FIFO" % path, out)


class ExtraOptsFile(unittest.TestCase):
    def test_fifo_as_extra_opts_file(self):
        path = os.path.join(Env.tmp, "plugins-fifo.ini")
        os.mkfifo(path, 0o600)
        code, out, _ = run(["--extra-opts=@" + path, "-H", "127.0.0.1", "-p", str(Env.server.port)])
        self.assertEqual(code, 3, out)
        self.assertIn("is a FIFO", out)
        self.assertEqual(len(out.splitlines()), 1, out)


if __name__ == "__main__":
    unittest.main()
