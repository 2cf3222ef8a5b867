#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--health end to end: every recorded document of tests/data/health served
over real HTTP on 127.0.0.1 (a failing document with 503, as Spring Boot and
others do) and judged by the real check_probewise. PROBEWISE_CHECK names the
binary."""

import glob
import http.server
import json
import os
import re
import socketserver
import subprocess
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "../data/health")
CHECK = os.environ.get("PROBEWISE_CHECK", os.path.join(HERE, "../../build/check_plugin/check_probewise"))


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    head, _, body = raw.partition(b"\n----\n")
    keys = {}
    for line in head.decode().splitlines():
        if ":" in line and not line.startswith("#"):
            k, _, v = line.partition(":")
            keys[k.strip()] = v.strip()
    return keys, body


DOCS = {os.path.basename(p)[:-4]: load(p) for p in sorted(glob.glob(os.path.join(DATA, "*.txt")))}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        name = self.path.strip("/")
        if name not in DOCS:
            self.send_error(404)
            return
        keys, body = DOCS[name]
        status = 503 if keys.get("expect_status") == "fail" else 200
        self.send_response(status)
        if keys.get("content_type"):
            self.send_header("Content-Type", keys["content_type"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


SERVER = None


def setUpModule():
    global SERVER
    SERVER = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=SERVER.serve_forever, daemon=True).start()


def tearDownModule():
    SERVER.shutdown()
    SERVER.server_close()


def check(name, fmt):
    args = [CHECK, "-H", "127.0.0.1", "-p", str(SERVER.server_address[1]), "-u", "/" + name,
            "--health=" + fmt, "--no-state"]
    nagios = subprocess.run(args, capture_output=True, text=True, timeout=30)
    js = subprocess.run(args + ["--output-format=json"], capture_output=True, text=True, timeout=30)
    return nagios, js


# Verdicts by the document's status, as SPEC 1.2 --health says: warn is
# WARNING, fail is CRITICAL (also when the answer is a 503), pass is OK; a
# document whose status says nothing keeps the HTTP verdict.
EXPECTED = {"pass": (0, "ok"), "warn": (1, "health.degraded"), "fail": (2, "health.failing")}


class Documents(unittest.TestCase):
    def test_every_recorded_document(self):
        self.assertGreaterEqual(len(DOCS), 40)
        for name, (keys, _) in DOCS.items():
            with self.subTest(doc=name):
                nagios, js = check(name, keys.get("format", "auto"))
                self.assertIn(nagios.returncode, (0, 1, 2, 3), nagios.stdout)
                self.assertEqual(nagios.returncode, js.returncode)
                doc = json.loads(js.stdout)
                if "expect_error" in keys:
                    self.assertEqual(nagios.returncode, 3, nagios.stdout)
                    self.assertIn("not a health document", nagios.stdout.splitlines()[0])
                    continue
                status = keys["expect_status"]
                self.assertEqual(doc["health"]["status"], status, js.stdout)
                if status in EXPECTED:
                    rc, reason = EXPECTED[status]
                    self.assertEqual(nagios.returncode, rc, nagios.stdout)
                    self.assertEqual(doc["reason"], reason, js.stdout)
                for item in filter(None, keys.get("expect_components", "").split(",")):
                    comp, _, comp_status = item.partition("=")
                    self.assertIn("- %s: " % comp, nagios.stdout)
                    if comp_status in ("warn", "fail") and status in ("warn", "fail"):
                        self.assertIn(comp, nagios.stdout.splitlines()[0])
                for item in filter(None, keys.get("expect_value", "").split(",")):
                    comp, _, value = item.partition("=")
                    self.assertRegex(nagios.stdout.splitlines()[0],
                                     r"\|.*'?%s'?=%s" % (re.escape(comp), re.escape(value.split(".")[0])))


if __name__ == "__main__":
    unittest.main()
