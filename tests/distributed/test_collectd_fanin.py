#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""collectd fan-in, end to end: two edge collectds (probing hosts "probe-eu1"
and "probe-us1") load probewise.so and forward everything through collectd's
network plugin (SecurityLevel Encrypt, a user and password each) to a
central collectd, which checks them against its AuthFile, writes CSV,
exposes the values with write_prometheus and logs the notifications with
the logfile plugin. All of it on 127.0.0.1: the test servers on ephemeral
ports, collectd's UDP and HTTP ports picked free (collectd cannot be given
port 0).

The test finds every endpoint's values at the centre (CSV files under the
edge's host name) and in the scraped /metrics text (the endpoint is the
"probewise" label, the probing host the "instance" label), and the change
notifications, a 200 -> 401 made on an endpoint included, in the central log.

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/distributed/test_collectd_fanin.py -v

Exit code 77 (ctest: skipped) when collectd or one of its plugins is missing.
"""

import os
import re
import secrets
import socket
import sys
import tempfile
import unittest
import urllib.request

from harness import (ROOT, SERVERS_DIR, CollectdNode, Servers, collectd_forwarding, collectd_listening,
                     collectd_missing_requirements, free_port, run, tear_down, wait_for)

PLUGIN = os.environ.get("PROBEWISE_COLLECTD_PLUGIN") or os.path.join(ROOT, "build", "collectd_plugin",
                                                                     "probewise.so")
CENTRAL_PLUGINS = ("logfile", "network", "csv", "write_prometheus")


def missing_requirements():
    return collectd_missing_requirements(CENTRAL_PLUGINS)


class Env:
    tmp = None
    servers = None
    central = None
    edges = {}
    network_port = prometheus_port = None
    http_port = https_port = auth_port = refused_port = None
    refused = None


def Collectd(hostname, plugins, body):  # noqa: N802 (a class of the harness, in this test's directory)
    return CollectdNode(Env.tmp, hostname, plugins, body, PLUGIN)


# What each probing host probes: endpoint -> probewise keys.
def edge_endpoints():
    test = "http://127.0.0.1:%d" % Env.http_port
    auth = "http://127.0.0.1:%d" % Env.auth_port
    return {
        "probe-eu1": {
            "healthy": ['URL "%s/demo/healthy"' % test, "Health true"],
            "flip": ['URL "%s/flip"' % auth],
            "waf": ['URL "%s/demo/forbidden"' % test],
        },
        "probe-us1": {
            "api": ['URL "%s/api"' % auth, 'BearerTokenFile "%s"' % Env.token_file],
            "tls": ['URL "https://localhost:%d/"' % Env.https_port, 'CACert "%s/ca.pem"' % Env.certs],
            "down": ['URL "http://127.0.0.1:%d/"' % Env.refused_port, "Timeout 2"],
        },
    }


def edge_config(hostname, endpoints, password):
    lines = [collectd_forwarding(Env.network_port, hostname, password), "LoadPlugin probewise", "<Plugin probewise>",
             "  MaxConcurrency 16",
             '  StateDir "%s"' % os.path.join(Env.tmp, hostname, "state")]
    for name, keys in endpoints.items():
        lines += ['  <Endpoint "%s">' % name] + ["    " + k for k in keys] + ["  </Endpoint>"]
    return "\n".join(lines + ["</Plugin>", ""])


def central_config(auth_file):
    return collectd_listening(Env.network_port, auth_file) + """LoadPlugin csv
<Plugin csv>
  DataDir "%(dir)s/csv"
</Plugin>
LoadPlugin write_prometheus
<Plugin write_prometheus>
  Host "127.0.0.1"
  Port "%(prometheus)d"
</Plugin>
""" % {"dir": os.path.join(Env.tmp, "central"), "prometheus": Env.prometheus_port}


def setUpModule():
    if not os.path.exists(PLUGIN):
        raise RuntimeError("no plugin at %s (set PROBEWISE_COLLECTD_PLUGIN)" % PLUGIN)
    Env.tmp = tempfile.mkdtemp(prefix="probewise-fanin-")
    Env.certs = os.path.join(Env.tmp, "certs")
    run(["sh", os.path.join(SERVERS_DIR, "make_certs.sh"), Env.certs])
    Env.token_file = os.path.join(Env.tmp, "api.token")
    with open(Env.token_file, "w") as f:
        f.write("static-good\n")  # a token authserver.py accepts
    os.chmod(Env.token_file, 0o600)
    Env.servers = Servers(Env.tmp)
    Env.http_port = Env.servers.start("testserver.py", "--exit-with-parent")
    Env.https_port = Env.servers.start("testserver.py", "--exit-with-parent", "--tls",
                                       os.path.join(Env.certs, "server.pem"), os.path.join(Env.certs, "server.key"))
    Env.auth_port = Env.servers.start("authserver.py")
    Env.refused = socket.socket()  # bound, never listening: connections are refused
    Env.refused.bind(("127.0.0.1", 0))
    Env.refused_port = Env.refused.getsockname()[1]

    Env.network_port = free_port(socket.SOCK_DGRAM)
    Env.prometheus_port = free_port()
    passwords = {host: secrets.token_hex(12) for host in edge_endpoints()}
    auth_file = os.path.join(Env.tmp, "collectd.passwd")
    with open(auth_file, "w") as f:
        f.writelines("%s: %s\n" % kv for kv in passwords.items())
    os.chmod(auth_file, 0o600)
    Env.central = Collectd("central", CENTRAL_PLUGINS, central_config(auth_file))
    wait_for("the central collectd's listeners", lambda: Env.central.check_running() or scrape() is not None,
             timeout=30)
    for host, endpoints in edge_endpoints().items():
        Env.edges[host] = Collectd(host, ("logfile", "network", "probewise"),
                                   edge_config(host, endpoints, passwords[host]))


def tearDownModule():
    tear_down(list(Env.edges.values()) + [Env.central], Env.servers, Env.tmp, [Env.refused])


def scrape():
    """The central collectd's /metrics text, None while it does not answer."""
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % Env.prometheus_port, timeout=5) as r:
            return r.read().decode()
    except OSError:
        return None


def prometheus_value(text, metric, labels):
    """The value of the sample of metric whose labels include labels, None if there is none."""
    for line in text.splitlines():
        m = re.match(r"^(\w+)\{([^}]*)\} (\S+)", line)
        if not m or m.group(1) != metric:
            continue
        have = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
        if all(have.get(k) == v for k, v in labels.items()):
            return float(m.group(3))
    return None


def csv_last(host, endpoint, metric):
    """The newest value the central collectd wrote to CSV for host/probewise-endpoint/metric."""
    d = os.path.join(Env.tmp, "central", "csv", host, "probewise-" + endpoint)
    if not os.path.isdir(d):
        return None
    files = sorted(f for f in os.listdir(d) if f.startswith(metric + "-"))
    if not files:
        return None
    with open(os.path.join(d, files[-1])) as f:
        rows = [l.strip().split(",") for l in f if l[0].isdigit()]
    return float(rows[-1][1]) if rows else None


def central_notifications():
    """(severity, host, plugin_instance, message) of every notification the central collectd logged."""
    pattern = re.compile(r"Notification: severity = (\w+), host = ([^,]+), plugin = probewise, "
                         r"plugin_instance = ([^,]+), .*message = (.*)$")
    return [m.groups() for m in map(pattern.search, Env.central.log_text().splitlines()) if m]


def wait_at_centre(what, predicate, timeout=30):
    def check():
        Env.central.check_running()
        for edge in Env.edges.values():
            edge.check_running()
        return predicate()
    try:
        return wait_for(what, check, timeout=timeout, interval=0.5)
    except AssertionError as e:
        raise AssertionError("%s\ncentral log:\n%s\nedge logs:\n%s" % (
            e, Env.central.log_text()[-2000:], "\n".join(c.log_text()[-1500:] for c in Env.edges.values())))


# SPEC 2's values and what each endpoint's must be (None: only that it arrived).
EXPECTED = {
    ("probe-eu1", "healthy"): {"bool-up": 1, "gauge-state": 0, "response_code": 200},
    ("probe-eu1", "waf"): {"bool-up": 0, "gauge-state": 1, "response_code": 403},
    ("probe-us1", "api"): {"bool-up": 1, "gauge-state": 0, "response_code": 200},
    ("probe-us1", "tls"): {"bool-up": 1, "gauge-state": 0, "response_code": 200, "timeleft-tls": None},
    ("probe-us1", "down"): {"bool-up": 0, "gauge-state": 2},
}
# collectd's metric names in write_prometheus: collectd_<plugin>_<type>[_<type instance>] ...
PROMETHEUS = {"bool-up": ("collectd_probewise_bool", {"type": "up"}),
              "gauge-state": ("collectd_probewise_gauge", {"type": "state"}),
              "response_code": ("collectd_probewise_response_code", {}),
              "response_time": ("collectd_probewise_response_time", {}),
              "timeleft-tls": ("collectd_probewise_timeleft", {"type": "tls"})}


class FanIn(unittest.TestCase):
    def test_every_endpoint_in_central_csv(self):
        for (host, endpoint), values in EXPECTED.items():
            for metric, expected in dict(values, response_time=None).items():
                if endpoint == "down" and metric == "response_time":
                    continue  # no answer: NaN, which csv writes too
                wait_at_centre("%s/%s/%s in the central CSV" % (host, endpoint, metric),
                               lambda: csv_last(host, endpoint, metric) is not None)
                got = csv_last(host, endpoint, metric)
                if expected is None:
                    self.assertGreater(got, 0, (host, endpoint, metric))
                else:
                    self.assertEqual(got, expected, (host, endpoint, metric))

    def test_every_endpoint_in_prometheus_metrics(self):
        def complete():
            text = scrape() or ""
            return all(prometheus_value(text, PROMETHEUS["gauge-state"][0],
                                        dict(PROMETHEUS["gauge-state"][1], probewise=e, instance=h)) is not None
                       for h, e in EXPECTED) and text
        text = wait_at_centre("every endpoint's state in /metrics", complete)
        for (host, endpoint), values in EXPECTED.items():
            for metric, expected in values.items():
                name, labels = PROMETHEUS[metric]
                got = prometheus_value(text, name, dict(labels, probewise=endpoint, instance=host))
                self.assertIsNotNone(got, "%s{probewise=%r,instance=%r} in:\n%s" % (name, endpoint, host, text))
                if expected is None:
                    self.assertGreater(got, 0)
                else:
                    self.assertEqual(got, expected, (host, endpoint, metric))
        rt = prometheus_value(text, "collectd_probewise_response_time",
                              {"probewise": "healthy", "instance": "probe-eu1"})
        self.assertTrue(rt is not None and 0 < rt < 1, "response_time %s in:\n%s" % (rt, text))

    def test_change_notifications_in_central_log(self):
        # Known at start: the WAF block (WARNING) and the refused endpoint (FAILURE).
        notes = wait_at_centre("the first notifications", lambda: {
            (n[1], n[2]) for n in central_notifications()} >= {("probe-eu1", "waf"), ("probe-us1", "down")} and
            central_notifications())
        waf = [n for n in notes if n[2] == "waf"][0]
        self.assertEqual(waf[0], "WARNING")
        self.assertTrue(waf[3].startswith("waf: 403 (forbidden.waf): blocked by a WAF rule"), waf)
        down = [n for n in notes if n[2] == "down"][0]
        self.assertEqual(down[0], "FAILURE")
        self.assertIn("(net.refused)", down[3])
        # A 200 -> 401 change made on the endpoint reaches the centre.
        wait_at_centre("flip at 200 in the central CSV", lambda: csv_last("probe-eu1", "flip", "response_code") == 200)
        urllib.request.urlopen("http://127.0.0.1:%d/control?flip=401" % Env.auth_port, timeout=5).read()
        try:
            flips = wait_at_centre("the 200 -> 401 notification at the centre", lambda: [
                n for n in central_notifications() if n[2] == "flip"])
            self.assertEqual(flips[0][:3], ("WARNING", "probe-eu1", "flip"))
            self.assertTrue(flips[0][3].startswith("flip: 200 -> 401 (auth.missing_credentials)"), flips[0])
            wait_at_centre("flip at 401 in /metrics", lambda: prometheus_value(
                scrape() or "", "collectd_probewise_response_code", {"probewise": "flip"}) == 401)
        finally:
            urllib.request.urlopen("http://127.0.0.1:%d/control?flip=200" % Env.auth_port, timeout=5).read()

    def test_wrong_password_is_refused_at_the_centre(self):
        # The central AuthFile is what keeps others out: a third probing
        # host with a password the centre does not know gets nothing in.
        intruder = Collectd("probe-intruder", ("logfile", "network", "probewise"),
                            edge_config("probe-intruder", {"healthy": edge_endpoints()["probe-eu1"]["healthy"]},
                                        "not-the-password"))
        try:
            wait_at_centre("the centre to refuse the intruder's packets",
                           lambda: "probe-intruder" in Env.central.log_text() and
                           "Failed to get cypher. Username: probe-intruder" in Env.central.log_text())
            self.assertFalse(os.path.exists(os.path.join(Env.tmp, "central", "csv", "probe-intruder")))
        finally:
            intruder.daemon.stop()


if __name__ == "__main__":
    why = missing_requirements()
    if why:
        print("SKIP: " + why)
        sys.exit(77)
    unittest.main()
