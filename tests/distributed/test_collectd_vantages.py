#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""One endpoint, several vantages, in collectd (SPEC 1.7), end to end: two
probing collectds ("probe-eu1", "probe-us1") with probewise.so probe the
same endpoints, each leaving from its own source address (SourceAddress
127.0.0.2 and 127.0.0.3), and forward everything through the network plugin
to a central collectd whose probewise.so runs in compare mode (<Compare>).
The application (tests/servers/vantageserver.py) refuses 127.0.0.2, and
answers it only after 30 s on another route. The centre groups the values
and notifications per endpoint across the two hosts and sends one
notification per change of the combined verdict ("api: refused from
probe-eu1 only (403), answered from probe-us1: ..."), and dispatches the
combined state as gauge-combined (CSV). When probe-us1 stops, its values
age past twice their interval: stale, UNKNOWN, never down.

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/distributed/test_collectd_vantages.py -v

Exit code 77 (ctest: skipped) when collectd or one of its plugins is missing.
"""

import os
import re
import secrets
import socket
import sys
import tempfile
import unittest

from harness import (ROOT, CollectdNode, Servers, collectd_forwarding, collectd_listening, collectd_missing_requirements,
                     free_port, tear_down, wait_for)

PLUGIN = os.environ.get("PROBEWISE_COLLECTD_PLUGIN") or os.path.join(ROOT, "build", "collectd_plugin",
                                                                     "probewise.so")
CENTRAL_PLUGINS = ("logfile", "network", "csv")
EDGES = {"probe-eu1": "127.0.0.2", "probe-us1": "127.0.0.3"}


class Env:
    tmp = None
    servers = None
    central = None
    edges = {}
    app_port = None
    refused = None


def node(hostname, plugins, body):
    return CollectdNode(Env.tmp, hostname, plugins, body, PLUGIN)


def edge_config(hostname, source, password):
    app = "http://127.0.0.1:%d" % Env.app_port
    endpoints = {
        "api": ['URL "%s/ip?deny=127.0.0.2"' % app],
        "slow": ['URL "%s/slowfor?for=127.0.0.2&seconds=30"' % app, "Timeout 1"],
        "ok": ['URL "%s/whoami"' % app],
        "db": ['URL "http://127.0.0.1:%d/"' % Env.refused.getsockname()[1], "Timeout 1"],
    }
    lines = [collectd_forwarding(Env.network_port, hostname, password), "LoadPlugin probewise", "<Plugin probewise>",
             "  PersistState false"]
    for name, keys in endpoints.items():
        lines += ['  <Endpoint "%s">' % name, '    SourceAddress "%s"' % source, "    Interval 2"]
        lines += ["    " + k for k in keys] + ["  </Endpoint>"]
    return "\n".join(lines + ["</Plugin>", ""])


def central_config(auth_file):
    return collectd_listening(Env.network_port, auth_file) + """LoadPlugin csv
<Plugin csv>
  DataDir "%(dir)s/csv"
</Plugin>
LoadPlugin probewise
<Plugin probewise>
  <Compare>
    Interval 2
    Host "probe-eu1" "probe-us1"
  </Compare>
</Plugin>
""" % {"dir": os.path.join(Env.tmp, "central")}


def setUpModule():
    if not os.path.exists(PLUGIN):
        raise RuntimeError("no plugin at %s (set PROBEWISE_COLLECTD_PLUGIN)" % PLUGIN)
    Env.tmp = tempfile.mkdtemp(prefix="probewise-collectd-vantages-")
    Env.servers = Servers(Env.tmp)
    Env.app_port = Env.servers.start("vantageserver.py", "--exit-with-parent")
    Env.refused = socket.socket()  # bound, never listening: connections are refused
    Env.refused.bind(("127.0.0.1", 0))
    Env.network_port = free_port(socket.SOCK_DGRAM)
    passwords = {host: secrets.token_hex(12) for host in EDGES}
    auth_file = os.path.join(Env.tmp, "collectd.passwd")
    with open(auth_file, "w") as f:
        f.writelines("%s: %s\n" % kv for kv in passwords.items())
    os.chmod(auth_file, 0o600)
    Env.central = node("central", CENTRAL_PLUGINS + ("probewise",), central_config(auth_file))
    for host, source in EDGES.items():
        Env.edges[host] = node(host, ("logfile", "network", "probewise"), edge_config(host, source, passwords[host]))


def tearDownModule():
    tear_down(list(Env.edges.values()) + [Env.central], Env.servers, Env.tmp, [Env.refused])


def combined_notifications():
    """(severity, endpoint, message) of every combined notification the central collectd logged."""
    pattern = re.compile(r"Notification: severity = (\w+), host = central, plugin = probewise, "
                         r"plugin_instance = ([^,]+), type = gauge, type_instance = combined, message = (.*)$")
    return [m.groups() for m in map(pattern.search, Env.central.log_text().splitlines()) if m]


def combined_value(endpoint):
    """The newest gauge-combined value the central collectd wrote for endpoint (its own host's CSV)."""
    d = os.path.join(Env.tmp, "central", "csv", "central", "probewise-" + endpoint)
    if not os.path.isdir(d):
        return None
    files = sorted(f for f in os.listdir(d) if f.startswith("gauge-combined-"))
    if not files:
        return None
    with open(os.path.join(d, files[-1])) as f:
        rows = [line.strip().split(",") for line in f if line[0].isdigit()]
    return float(rows[-1][1]) if rows else None


def wait_at_centre(what, predicate, timeout=40):
    def check():
        Env.central.check_running()
        for host, edge in Env.edges.items():
            if host != "probe-us1" or edge.daemon.running():
                edge.check_running()
        return predicate()
    try:
        return wait_for(what, check, timeout=timeout, interval=0.5)
    except AssertionError as e:
        raise AssertionError("%s\ncentral log:\n%s\nedge logs:\n%s" % (
            e, Env.central.log_text()[-3000:], "\n".join(c.log_text()[-1500:] for c in Env.edges.values())))


def notification_of(endpoint, starts):
    return wait_at_centre("the centre's notification for %s" % endpoint, lambda: [
        n for n in combined_notifications() if n[1] == endpoint and n[2].startswith(starts)])


class CollectdVantages(unittest.TestCase):
    def test_1_refused_from_one_host_answered_from_the_other(self):
        n = notification_of("api", "api: refused")[0]
        self.assertEqual(n, ("WARNING", "api", "api: refused from probe-eu1 only (403), answered from probe-us1: "
                                               "probe-eu1's address is not on the endpoint's allowlist"))
        wait_at_centre("api's combined state in the central CSV", lambda: combined_value("api") == 1)

    def test_2_down_from_every_host(self):
        n = notification_of("db", "db: ")[0]
        self.assertEqual(n, ("FAILURE", "db", "db: connection refused from every vantage: not one network path"))
        wait_at_centre("db's combined state", lambda: combined_value("db") == 2)

    def test_3_timeout_from_one_host_only(self):
        n = notification_of("slow", "slow: ")[0]
        self.assertEqual(n, ("WARNING", "slow", "slow: timed out from probe-eu1 only, answered from probe-us1: a "
                                                "network path from probe-eu1, not the service"))

    def test_4_ok_from_both_says_nothing(self):
        wait_at_centre("ok's combined state", lambda: combined_value("ok") == 0)
        self.assertEqual([n for n in combined_notifications() if n[1] == "ok"], [])

    def test_5_a_host_that_stops_is_stale_not_down(self):
        wait_at_centre("ok's combined state", lambda: combined_value("ok") == 0)
        Env.edges["probe-us1"].daemon.stop()
        n = notification_of("ok", "ok: 200 from probe-eu1; probe-us1 is stale: its last values are")[0]
        self.assertEqual(n[0], "FAILURE")  # collectd has no UNKNOWN severity
        self.assertRegex(n[2], r"more than twice its interval of 2s$")
        wait_at_centre("ok's combined state UNKNOWN", lambda: combined_value("ok") == 3)
        self.assertNotEqual(combined_value("ok"), 2)


if __name__ == "__main__":
    why = collectd_missing_requirements(CENTRAL_PLUGINS)
    if why:
        print("SKIP: " + why)
        sys.exit(77)
    unittest.main()
