#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""One endpoint, several vantages (SPEC 1.7), end to end on 127.0.0.0/8:
the real check_probewise with --vantage against servers that answer by the
client's source address, through real proxies that each leave from their
own address.

- nginx with `allow 127.0.0.3; deny all;` (an allowlist in the web server);
- tests/servers/vantageserver.py: an application's own IP rule (403 "Your IP
  address ... is not allowed"), a geo rule (451), a ModSecurity block page
  for one address, an answer that takes 30 s for one address, and a rule
  switched at run time (change detection);
- Squid as the egress proxy of a vantage, one per vantage, each with its own
  `tcp_outgoing_address` (127.0.0.2, 127.0.0.3), one of them an HTTPS proxy
  (https_port, 127.0.0.5) and one that wants credentials (from a file);
- microsocks as a SOCKS5 vantage leaving from 127.0.0.4;
- a proxy port where nothing listens (a vantage that cannot run).

    PROBEWISE_CHECK=build/check_plugin/check_probewise python3 tests/integration/test_vantages.py -v

Exit code 77 (ctest: skipped) when nginx, squid, microsocks or htpasswd is missing.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "distributed"))
from harness import SERVERS_DIR, Daemon, Servers, free_port, run, wait_for  # noqa: E402

CHECK = os.environ.get("PROBEWISE_CHECK") or os.path.join(ROOT, "build", "check_plugin", "check_probewise")
TOOLS = ("nginx", "squid", "microsocks", "htpasswd")
STATES = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}
# Where each vantage leaves from.
EU1, US1, SOCKS, TLSPROXY = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"


def missing_requirements():
    missing = [t for t in TOOLS if not shutil.which(t) and not os.path.exists("/usr/sbin/" + t)]
    return "missing: " + ", ".join(missing) if missing else None


class Env:
    tmp = None
    servers = None
    daemons = []
    app = nginx = None
    squid = {}  # name -> port
    socks = tls_proxy = down = None
    certs = None
    auth_file = bad_auth_file = None


def wait_port(port, daemon, what):
    import socket

    def up():
        if not daemon.running():
            raise AssertionError("%s exited:\n%s" % (what, daemon.output_tail()))
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0
    wait_for(what, up, timeout=30, interval=0.1)


def start_nginx():
    d = os.path.join(Env.tmp, "nginx")
    os.makedirs(os.path.join(d, "www"))
    with open(os.path.join(d, "www", "index.html"), "w") as f:
        f.write("answered by nginx\n")
    port = free_port()
    with open(os.path.join(d, "nginx.conf"), "w") as f:
        f.write("""worker_processes 1;
daemon off;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %(d)s/body;
  proxy_temp_path %(d)s/proxy;
  fastcgi_temp_path %(d)s/fastcgi;
  uwsgi_temp_path %(d)s/uwsgi;
  scgi_temp_path %(d)s/scgi;
  server {
    listen 127.0.0.1:%(port)d;
    root %(d)s/www;
    location / {
      allow 127.0.0.3;
      deny all;
    }
  }
}
""" % {"d": d, "port": port})
    daemon = Daemon(["nginx", "-p", d, "-e", d + "/error.log", "-c", d + "/nginx.conf"], d + "/stdout.log")
    Env.daemons.append(daemon)
    wait_port(port, daemon, "nginx")
    return port


def start_squid(name, outgoing, tls=False, users=None):
    """A forward proxy that leaves from `outgoing`; over TLS with `tls`; with basic auth for `users`."""
    d = os.path.join(Env.tmp, "squid-" + name)
    os.makedirs(d)
    port = free_port()
    listen = ("https_port 127.0.0.1:%d tls-cert=%s/server.pem tls-key=%s/server.key" % (port, Env.certs, Env.certs)
              if tls else "http_port 127.0.0.1:%d" % port)
    access = "http_access allow all\n"
    if users:
        run(["htpasswd", "-bc", d + "/users"] + list(users))
        access = ("auth_param basic program /usr/lib/squid/basic_ncsa_auth %s/users\n"
                  "auth_param basic realm vantage proxy\n"
                  "acl authed proxy_auth REQUIRED\nhttp_access allow authed\nhttp_access deny all\n" % d)
    with open(os.path.join(d, "squid.conf"), "w") as f:
        f.write("""%(listen)s
pid_filename %(d)s/squid.pid
cache_log %(d)s/cache.log
access_log none
cache deny all
shutdown_lifetime 0 seconds
%(user)s
tcp_outgoing_address %(outgoing)s
%(access)s""" % {"listen": listen, "d": d, "outgoing": outgoing, "access": access,
                 "user": "cache_effective_user proxy" if os.geteuid() == 0 else ""})
    if os.geteuid() == 0:
        run(["chown", "-R", "proxy:proxy", d])
    daemon = Daemon(["/usr/sbin/squid", "-N", "-f", d + "/squid.conf"], d + "/stdout.log")
    Env.daemons.append(daemon)
    wait_port(port, daemon, "squid " + name)
    return port


def setUpModule():
    if not os.access(CHECK, os.X_OK):
        raise RuntimeError("no check_probewise at %s (set PROBEWISE_CHECK)" % CHECK)
    Env.tmp = tempfile.mkdtemp(prefix="probewise-vantages-")
    os.chmod(Env.tmp, 0o755)
    Env.certs = os.path.join(Env.tmp, "certs")
    run(["sh", os.path.join(SERVERS_DIR, "make_certs.sh"), Env.certs])
    for f in os.listdir(Env.certs):
        os.chmod(os.path.join(Env.certs, f), 0o644)  # squid reads them as proxy
    Env.servers = Servers(Env.tmp)
    Env.app = Env.servers.start("vantageserver.py", "--exit-with-parent")
    Env.auth = Env.servers.start("authserver.py")
    Env.nginx = start_nginx()
    Env.squid["eu1"] = start_squid("eu1", EU1)
    Env.squid["us1"] = start_squid("us1", US1)
    Env.squid["auth"] = start_squid("auth", US1, users=("monitor", "pr0xy-s3cret"))
    Env.tls_proxy = start_squid("tls", TLSPROXY, tls=True)
    Env.socks = free_port()
    socks = Daemon(["microsocks", "-i", "127.0.0.1", "-p", str(Env.socks), "-b", SOCKS],
                   os.path.join(Env.tmp, "microsocks.log"))
    Env.daemons.append(socks)
    wait_port(Env.socks, socks, "microsocks")
    Env.down = free_port()  # nothing listens there
    Env.auth_file = os.path.join(Env.tmp, "proxy.auth")
    with open(Env.auth_file, "w") as f:
        f.write("monitor:pr0xy-s3cret\n")
    Env.bad_auth_file = os.path.join(Env.tmp, "wrong.auth")
    with open(Env.bad_auth_file, "w") as f:
        f.write("monitor:not-it\n")
    for path in (Env.auth_file, Env.bad_auth_file):
        os.chmod(path, 0o600)


def tearDownModule():
    for d in reversed(Env.daemons):
        d.stop()
    if Env.servers:
        Env.servers.stop()
    if Env.tmp and not os.environ.get("PROBEWISE_KEEP_TMP"):
        shutil.rmtree(Env.tmp, ignore_errors=True)


def check(*args, state_dir=None, timeout=60):
    """(exit code, stdout) of check_probewise with args; no state unless state_dir."""
    argv = [CHECK] + list(args) + (["--state-dir", state_dir] if state_dir else ["--no-state"])
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    return p.returncode, p.stdout


def app(path):
    return ["-I", "127.0.0.1", "-p", str(Env.app), "-u", path]


def via(name):
    return "%s=via:http://127.0.0.1:%d" % (name, Env.squid[name])


def perf_labels(first_line):
    return [p.split("=", 1)[0] for p in first_line.partition("|")[2].split()]


class Vantages(unittest.TestCase):
    def assert_state(self, code, out, state):
        self.assertEqual(STATES.get(code), state, out)

    def test_nginx_allowlist_refuses_one_source_address(self):
        code, out = check("-I", "127.0.0.1", "-p", str(Env.nginx), "--vantage", "eu1=source:" + EU1,
                          "--vantage", "us1=source:" + US1)
        self.assert_state(code, out, "WARNING")
        first, _, rest = out.partition("\n")
        self.assertTrue(first.startswith(
            "HTTP WARNING: refused from eu1 only (403), answered from us1: likely an IP allowlist or geo rule for "
            "eu1's address |"), first)
        self.assertEqual(perf_labels(first), ["time", "size", "time_eu1", "time_us1"])
        self.assertIn("- eu1 (source 127.0.0.2): WARNING, 403 Forbidden, forbidden.unspecified", rest)
        self.assertIn("- us1 (source 127.0.0.3): OK, 200 OK,", rest)
        self.assertIn("Reason: forbidden.ip", rest)
        self.assertIn("Basis: comparison", rest)
        self.assertRegex(rest, r"Hints:\n- Add eu1's address to the endpoint's IP allowlist")
        self.assertRegex(rest, r"- eu1: connected to 127\.0\.0\.1:\d+ from 127\.0\.0\.2:\d+")

    def test_json_has_every_vantage(self):
        code, out = check("-I", "127.0.0.1", "-p", str(Env.nginx), "--vantage", "eu1=source:" + EU1,
                          "--vantage", "us1=source:" + US1, "--output-format=json")
        self.assert_state(code, out, "WARNING")
        j = json.loads(out)
        self.assertEqual((j["state"], j["reason"], j["basis"]), ("WARNING", "forbidden.ip", "comparison"))
        self.assertEqual(j["exit_code"], 1)
        self.assertEqual([v["name"] for v in j["vantages"]], ["eu1", "us1"])
        eu1, us1 = j["vantages"]
        self.assertEqual((eu1["via"], eu1["state"], eu1["status"], eu1["ran"]), ("source:127.0.0.2", "WARNING", 403, True))
        self.assertEqual((us1["via"], us1["state"], us1["reason"], us1["status"]), ("source:127.0.0.3", "OK", "ok", 200))
        self.assertTrue(eu1["connection"]["local"].startswith("127.0.0.2:"))
        self.assertGreater(us1["timings_ms"]["total"], 0)
        self.assertEqual(j["pattern"], "403 from eu1; 200 from us1")

    def test_application_ip_rule_through_each_vantages_own_squid(self):
        # Each Squid leaves from its vantage's address (tcp_outgoing_address):
        # the application sees 127.0.0.2 and 127.0.0.3, and refuses the first in words.
        code, out = check(*app("/whoami"), "--vantage", via("eu1"), "--vantage", via("us1"), "-s", "127.0.0.")
        self.assert_state(code, out, "OK")
        self.assertTrue(out.startswith("HTTP OK: 200 OK from every vantage (eu1 and us1) |"), out)
        code, out = check(*app("/ip?deny=" + EU1), "--vantage", via("eu1"), "--vantage", via("us1"))
        self.assert_state(code, out, "WARNING")
        self.assertTrue(out.startswith("HTTP WARNING: refused from eu1 only (403), answered from us1: eu1's address "
                                       "is not on the endpoint's allowlist |"), out)
        self.assertIn("- eu1 (proxy http://127.0.0.1:%d): WARNING, 403 Forbidden, forbidden.ip:" % Env.squid["eu1"],
                      out)
        self.assertIn("Your IP address 127.0.0.2 is not allowed", out)

    def test_waf_block_page_for_the_socks_vantage(self):
        code, out = check(*app("/waf?block=" + SOCKS), "--vantage",
                          "socks=via:socks5://127.0.0.1:%d" % Env.socks, "--vantage", "here=direct")
        self.assert_state(code, out, "WARNING")
        self.assertTrue(out.startswith("HTTP WARNING: refused from socks only (403), answered from here: a WAF or "
                                       "firewall rule blocks socks |"), out)
        self.assertIn("Reason: forbidden.waf", out)
        self.assertIn("ModSecurity", out)

    def test_geo_rule_seen_through_an_https_proxy(self):
        code, out = check(*app("/geo?deny=" + TLSPROXY), "--vantage",
                          "tls=via:https://localhost:%d,proxy-ca-cert=%s/ca.pem" % (Env.tls_proxy, Env.certs),
                          "--vantage", "us1=source:" + US1)
        self.assert_state(code, out, "WARNING")
        self.assertTrue(out.startswith("HTTP WARNING: refused from tls only (451), answered from us1: a geo rule for "
                                       "tls's country or region |"), out)
        self.assertIn("Reason: forbidden.geo", out)
        # Without its CA the proxy's certificate is not trusted: the vantage could not run.
        code, out = check(*app("/geo?deny=" + TLSPROXY), "--vantage", "tls=via:https://localhost:%d" % Env.tls_proxy,
                          "--vantage", "us1=source:" + US1)
        self.assert_state(code, out, "UNKNOWN")
        self.assertIn("tls could not run: the TLS handshake with its proxy https://localhost:%d failed" % Env.tls_proxy,
                      out)

    def test_a_vantage_whose_proxy_is_down_is_not_the_endpoint_down(self):
        code, out = check(*app("/whoami"), "--vantage", "down=via:http://127.0.0.1:%d" % Env.down, "--vantage",
                          "us1=source:" + US1, "--output-format=json")
        j = json.loads(out)
        self.assertEqual(j["state"], "UNKNOWN", out)
        self.assertEqual(code, 3)
        self.assertEqual(j["summary"], "HTTP UNKNOWN: 200 OK from us1; down could not run: its proxy "
                                       "http://127.0.0.1:%d refused the connection" % Env.down)
        down = j["vantages"][0]
        self.assertEqual((down["ran"], down["state"]), (False, "UNKNOWN"))
        self.assertIn("refused the connection", down["why_not"])
        # Not CRITICAL even when it is the only one.
        code, out = check(*app("/whoami"), "--vantage", "down=via:http://127.0.0.1:%d" % Env.down)
        self.assert_state(code, out, "UNKNOWN")
        self.assertTrue(out.startswith("HTTP UNKNOWN: no vantage could run: down (its proxy"), out)

    def test_proxy_credentials_from_a_file(self):
        code, out = check(*app("/whoami"), "--vantage",
                          "auth=via:http://127.0.0.1:%d,proxy-auth-file=%s" % (Env.squid["auth"], Env.auth_file))
        self.assert_state(code, out, "OK")
        self.assertNotIn("pr0xy-s3cret", out)
        code, out = check(*app("/whoami"), "--vantage",
                          "auth=via:http://127.0.0.1:%d,proxy-auth-file=%s" % (Env.squid["auth"], Env.bad_auth_file),
                          "--vantage", "us1=source:" + US1)
        self.assert_state(code, out, "UNKNOWN")
        self.assertIn("auth could not run: its proxy http://127.0.0.1:%d refused the request (407" % Env.squid["auth"],
                      out)
        code, out = check(*app("/whoami"), "--vantage", "auth=via:http://127.0.0.1:1,proxy-auth-file=/nonexistent")
        self.assert_state(code, out, "UNKNOWN")
        self.assertTrue(out.startswith("HTTP UNKNOWN - --vantage auth: proxy-auth-file:"), out)
        self.assertEqual(out.count("\n"), 1, out)

    def test_proxy_userinfo_never_shown(self):
        code, out = check(*app("/whoami"), "--vantage",
                          "auth=via:http://monitor:pr0xy-s3cret@127.0.0.1:%d" % Env.squid["auth"], "-v")
        self.assert_state(code, out, "OK")
        self.assertNotIn("pr0xy-s3cret", out)

    def test_timeout_from_one_vantage_only(self):
        started = time.monotonic()
        code, out = check(*app("/slowfor?for=%s&seconds=30" % EU1), "-t", "3", "--vantage", "eu1=source:" + EU1,
                          "--vantage", "us1=source:" + US1, "--vantage", "us2=source:" + SOCKS)
        elapsed = time.monotonic() - started
        self.assert_state(code, out, "WARNING")
        self.assertTrue(out.startswith("HTTP WARNING: timed out from eu1 only, answered from us1 and us2: a network "
                                       "path from eu1, not the service |"), out)
        self.assertLess(elapsed, 3 + 5, "all vantages share the one -t budget")
        # With a quorum of one, one vantage's timeout is CRITICAL.
        code, out = check(*app("/slowfor?for=%s&seconds=30" % EU1), "-t", "3", "--vantage", "eu1=source:" + EU1,
                          "--vantage", "us1=source:" + US1, "--vantage-quorum=1")
        self.assert_state(code, out, "CRITICAL")
        self.assertTrue(out.startswith("HTTP CRITICAL: timed out from eu1 (1 of 2 vantages, quorum 1), answered from "
                                       "us1"), out)

    def test_refused_from_every_vantage_is_down(self):
        code, out = check("-I", "127.0.0.1", "-p", str(Env.down), "--vantage", "eu1=source:" + EU1, "--vantage",
                          "us1=via:http://127.0.0.1:%d" % Env.squid["us1"])
        self.assert_state(code, out, "CRITICAL")
        self.assertTrue(out.startswith("HTTP CRITICAL: connection refused from eu1; network error from us1"), out)

    def test_a_source_address_not_on_this_host(self):
        code, out = check(*app("/whoami"), "--vantage", "far=source:192.0.2.1", "--vantage", "us1=source:" + US1)
        self.assert_state(code, out, "UNKNOWN")
        self.assertIn("far could not run: its source address 192.0.2.1 cannot be used on this host", out)

    def test_change_detection_per_vantage_and_combined(self):
        state = os.path.join(Env.tmp, "state-change")
        args = list(app("/switch")) + ["--vantage", "eu1=source:" + EU1, "--vantage", "us1=source:" + US1]
        urllib.request.urlopen("http://127.0.0.1:%d/control?deny=" % Env.app, timeout=5).read()
        code, out = check(*args, state_dir=state)
        self.assert_state(code, out, "OK")
        urllib.request.urlopen("http://127.0.0.1:%d/control?deny=%s" % (Env.app, EU1), timeout=5).read()
        try:
            code, out = check(*args, state_dir=state, timeout=60)
        finally:
            urllib.request.urlopen("http://127.0.0.1:%d/control?deny=" % Env.app, timeout=5).read()
        self.assert_state(code, out, "WARNING")
        first = out.splitlines()[0]
        self.assertRegex(first, r" - changed from 200 from every vantage \(for [0-9dhms ]+, since \d{4}-\d\d-\d\d "
                                r"\d\d:\d\d UTC\) to 403 from eu1; 200 from us1 \|")
        self.assertRegex(out, r"- eu1 \(source 127\.0\.0\.2\): WARNING, 403 Forbidden, .*; changed from 200 OK "
                              r"\(for [0-9dhms ]+, since [^)]*\) to 403 Forbidden")
        self.assertRegex(out, r"- us1 \(source 127\.0\.0\.3\): OK, 200 OK, [0-9.]+ s\n")

    def test_plain_run_from_a_source_address(self):
        code, out = check(*app("/whoami"), "--source-address", US1, "-s", US1, "--output-format=json")
        self.assert_state(code, out, "OK")
        self.assertTrue(json.loads(out)["connection"]["local"].startswith(US1 + ":"), out)
        code, out = check(*app("/whoami"), "--interface", "lo", "-s", "127.0.0.1")
        self.assert_state(code, out, "OK")

    def test_oauth_token_fetched_once_for_every_vantage(self):
        def issued():
            with urllib.request.urlopen("http://127.0.0.1:%d/stats" % Env.auth, timeout=5) as r:
                return json.load(r)["issued"]
        secret = os.path.join(Env.tmp, "client.secret")
        with open(secret, "w") as f:
            f.write("s3cret\n")
        os.chmod(secret, 0o600)
        before = issued()
        code, out = check("-I", "127.0.0.1", "-p", str(Env.auth), "-u", "/api", "--oauth2-token-url",
                          "http://127.0.0.1:%d/oauth/token" % Env.auth, "--oauth2-client-id", "mon",
                          "--oauth2-client-secret-file", secret, "--vantage", "eu1=source:" + EU1, "--vantage",
                          "us1=source:" + US1, "--vantage", "us2=source:" + SOCKS)
        self.assert_state(code, out, "OK")
        self.assertEqual(issued() - before, 1, "one token for the three vantages")

    def test_bad_vantage_options_name_themselves(self):
        for args, words in [
            (["--vantage", "eu1"], "invalid value for --vantage: expected NAME=source:ADDRESS"),
            (["--vantage", "eu1=source:not-an-address"], "eu1: 'not-an-address' is not an IPv4 or IPv6 address"),
            (["--vantage", "eu 1=direct"], "'eu 1' is not a vantage name"),
            (["--vantage", "eu1=via:ftp://127.0.0.1:21"], "eu1: the proxy must be a URL with http, https"),
            (["--vantage", "eu1=direct", "--vantage", "eu1=source:127.0.0.2"], "the name 'eu1' is given twice"),
            (["--vantage-quorum=2"], "--vantage-quorum needs --vantage"),
            (["--vantage", "eu1=direct", "--vantage-quorum=2"], "invalid value for --vantage-quorum: 2 (expected 1 to 1"),
            (["--source-address", "127.0.0.2", "--interface", "lo"], "--source-address and --interface"),
            (["--source-address", "somewhere"], "invalid value for --source-address"),
        ]:
            code, out = check(*app("/whoami"), *args)
            self.assertEqual(code, 3, (args, out))
            self.assertTrue(out.startswith("HTTP UNKNOWN - "), out)
            self.assertIn(words, out)
            self.assertEqual(out.count("\n"), 1, out)


if __name__ == "__main__":
    why = missing_requirements()
    if why:
        print("SKIP: " + why)
        sys.exit(77)
    unittest.main()
