#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Icinga 2 distributed, end to end: a master and an agent, two real icinga2
daemons on 127.0.0.1, each with its own configuration, data, log and run
directories and its own API listener (ephemeral port, read back from its log).
The master's CA comes from `icinga2 pki new-ca`; the agent gets its
certificate the way a real agent does, with a ticket (`pki ticket` on the
master, `pki save-cert` and `pki request` on the agent). The agent connects
to the master.

The master schedules `probewise` services (the shipped CheckCommand,
packaging/icinga2/probewise.conf) with command_endpoint = the agent; the
agent runs check_probewise as nagios (its own user) against local test
endpoints (tests/servers/testserver.py and authserver.py), with the state in
the package's state directory. The test reads every result back through the
master's REST API (/v1/objects/services): state, status line, long output
with the reason, hints and evidence, perfdata, where it ran; and a 200 -> 401
change made on an endpoint shows on the master with the change text.

The agent sees the package's files where the package puts them
(/usr/lib/nagios/plugins/check_probewise, the CheckCommand in the ITL's
plugins-contrib.d, /var/lib/probewise root:nagios 1770) through overlays in a
private mount namespace (package_layout.sh): the built binary by default
(PROBEWISE_CHECK), the installed package's files with
PROBEWISE_DISTRIBUTED_INSTALLED=1. Nothing on the machine changes.

    sudo PROBEWISE_CHECK=build/check_plugin/check_probewise python3 tests/distributed/test_icinga2.py -v

Exit code 77 (ctest: skipped) without root, icinga2 or unshare.
"""

import json
import os
import pwd
import secrets
import sys
import tempfile
import unittest
import urllib.parse
import urllib.request

from harness import (CHECK, ICINGA_COMMON, INSTALLED, SERVERS_DIR, USER, Icinga2Node, IcingaApi, Servers, chown_tree,
                     icinga_missing_requirements, layers, package_layout, request_agent_certificate, run, tear_down, wait_for)

PLUGIN_PATH = "/usr/lib/nagios/plugins/check_probewise"  # where the Debian package puts it
CHECK_INTERVAL = 2  # seconds: the services run often, so that the test is short


# --- fixtures ----------------------------------------------------------------

class Env:
    tmp = None
    servers = None
    http_port = https_port = auth_port = None
    master = agent = None
    api_port = None
    api_password = None
    ca = None


ZONES = """
object Endpoint "master" { %(master_host)s }
object Endpoint "agent" { }
object Zone "master" { endpoints = [ "master" ] }
object Zone "agent" {
  endpoints = [ "agent" ]
  parent = "master"
}
"""

COMMON = ICINGA_COMMON

# The services the master schedules on the agent: name -> custom variables.
SERVICES = {
    "health": {"probewise_port": "$host.vars.http_port$", "probewise_uri": "/demo/healthy",
               "probewise_health": True, "probewise_expect_status": "2xx", "probewise_extendedperfdata": True},
    "tls": {"probewise_vhost": "localhost", "probewise_port": "$host.vars.https_port$", "probewise_ssl": True,
            "probewise_verify_cert": True, "probewise_ca_cert": "%(certs)s/ca.pem",
            "probewise_certificate": "30,14"},
    "waf": {"probewise_port": "$host.vars.http_port$", "probewise_uri": "/demo/forbidden"},
    "api-token": {"probewise_port": "$host.vars.auth_port$", "probewise_uri": "/api",
                  "probewise_bearer_token_file": "%(secrets)s/api.token", "probewise_status_state": "401=critical"},
    "flip": {"probewise_port": "$host.vars.auth_port$", "probewise_uri": "/flip"},
}


def icinga_value(value):
    if value is True:
        return "true"
    return json.dumps(value % {"certs": Env.certs, "secrets": Env.secrets})


def master_config():
    services = []
    for name, variables in SERVICES.items():
        lines = ["object Service \"%s\" {" % name, "  import \"agent-probewise\""]
        lines += ["  vars.%s = %s" % (k, icinga_value(v)) for k, v in variables.items()]
        services.append("\n".join(lines + ["}"]))
    return (COMMON % {"node": "master"}) + (ZONES % {"master_host": ""}) + """
const TicketSalt = "%(salt)s"
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = 0
  ticket_salt = TicketSalt
}
object ApiUser "probewise-test" {
  password = "%(password)s"
  permissions = [ "objects/query/Host", "objects/query/Service", "objects/query/Endpoint",
                  "actions/reschedule-check" ]
}
object CheckerComponent "checker" { }

/* What /etc/icinga2/zones.d/master/ would hold: the checkables belong to the
 * master's zone, their checks run in its child zone "agent". */
object Host "agent" {
  zone = "master"
  check_command = "cluster-zone"
  check_interval = %(interval)ds
  retry_interval = %(interval)ds
  address = "127.0.0.1"
  vars.http_port = %(http)d
  vars.https_port = %(https)d
  vars.auth_port = %(auth)d
}

template Service "agent-probewise" {
  zone = "master"
  host_name = "agent"
  check_command = "probewise"
  command_endpoint = "agent"
  check_interval = %(interval)ds
  retry_interval = %(interval)ds
  max_check_attempts = 1
}
""" % {"salt": Env.salt, "password": Env.api_password, "interval": CHECK_INTERVAL, "http": Env.http_port,
       "https": Env.https_port, "auth": Env.auth_port} + "\n".join(services) + "\n"


def agent_config(master_port):
    return (COMMON % {"node": "agent"}) + (ZONES % {"master_host": 'host = "127.0.0.1"\n  port = "%d"' % master_port}) + """
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = 0
  accept_commands = true
  accept_config = false
}
"""


def setUpModule():
    if not INSTALLED and not os.access(CHECK, os.X_OK):
        raise RuntimeError("no check_probewise at %s (set PROBEWISE_CHECK)" % CHECK)
    Env.tmp = tempfile.mkdtemp(prefix="probewise-distributed-")
    os.chmod(Env.tmp, 0o755)
    Env.salt = secrets.token_hex(16)
    Env.api_password = secrets.token_hex(16)

    # Test endpoints; their TLS material and the token are read by nagios.
    Env.certs = os.path.join(Env.tmp, "certs")
    run(["sh", os.path.join(SERVERS_DIR, "make_certs.sh"), Env.certs])
    Env.secrets = os.path.join(Env.tmp, "secrets")
    os.makedirs(Env.secrets)
    with open(os.path.join(Env.secrets, "api.token"), "w") as f:
        f.write("revoked-token\n")
    chown_tree(Env.certs)
    chown_tree(Env.secrets)
    os.chmod(os.path.join(Env.secrets, "api.token"), 0o600)
    Env.servers = Servers(Env.tmp)
    Env.http_port = Env.servers.start("testserver.py", "--exit-with-parent")
    Env.https_port = Env.servers.start("testserver.py", "--exit-with-parent", "--tls",
                                       os.path.join(Env.certs, "server.pem"), os.path.join(Env.certs, "server.key"))
    Env.auth_port = Env.servers.start("authserver.py")

    Env.master = Icinga2Node("master", Env.tmp)
    Env.agent = Icinga2Node("agent", Env.tmp)
    Env.ca = Env.master.make_ca_and_certificate()
    Env.master.start(master_config(), package_layout(Env.master))
    Env.api_port = Env.master.listener_port()
    request_agent_certificate(Env.master, Env.agent, Env.api_port, Env.salt)
    Env.agent.start(agent_config(Env.api_port), package_layout(Env.agent))
    Env.agent.listener_port()
    wait_for("the agent to connect to the master",
             lambda: api("/v1/objects/endpoints/agent")["results"][0]["attrs"]["connected"], timeout=60)


def tearDownModule():
    tear_down([Env.agent, Env.master], Env.servers, Env.tmp)


def api(path, method="GET", body=None):
    """The master's REST API, as the test's ApiUser."""
    return IcingaApi(Env.api_port, Env.ca, "probewise-test", Env.api_password)(path, method, body)


def service(name):
    attrs = "&".join("attrs=" + a for a in ("state", "last_check_result", "last_check"))
    return api("/v1/objects/services/%s?%s" % (urllib.parse.quote("agent!" + name), attrs))["results"][0]["attrs"]


def result_from_agent(name, matches=lambda r: True, timeout=60):
    """The newest check result of the service once the agent ran it and it satisfies matches."""
    def ready():
        r = service(name)["last_check_result"]
        return r and r.get("check_source") == "agent" and matches(r) and r
    try:
        return wait_for("a result of %r from the agent" % name, ready, timeout=timeout, interval=0.5)
    except AssertionError:
        raise AssertionError("%s; last result on the master: %s\nagent:\n%s" % (
            name, json.dumps(service(name)["last_check_result"], indent=1), Env.agent.output_tail()))


def perf_labels(result):
    return [p.split("=", 1)[0].strip("'") for p in result["performance_data"]]


# --- tests -------------------------------------------------------------------

class Distributed(unittest.TestCase):
    def test_agent_runs_the_package_check_as_its_user(self):
        r = result_from_agent("health")
        self.assertEqual(r["command"][0], PLUGIN_PATH, "the CheckCommand runs the check at the package's path")
        self.assertIn("--health", r["command"])
        self.assertIn("agent", api("/v1/objects/hosts/agent?attrs=last_check_result")["results"][0]["attrs"]
                      ["last_check_result"]["output"], "the master's cluster-zone check sees the agent's zone")
        # Change detection on the agent: its state files are the nagios
        # user's, in the package's state directory (the overlay's upper layer
        # holds what the agent wrote under /var/lib).
        result_from_agent("flip")
        state_dir = os.path.join(layers(Env.agent), "upper", "var", "lib", "probewise")
        owners = set()
        for dirpath, _, files in os.walk(state_dir):
            for f in files:
                owners.add(pwd.getpwuid(os.stat(os.path.join(dirpath, f)).st_uid).pw_name)
        self.assertEqual(owners, {USER}, "state files under /var/lib/probewise on the agent: %s" % owners)

    def test_healthy_endpoint(self):
        r = result_from_agent("health")
        self.assertEqual(r["state"], 0, r["output"])
        self.assertEqual(r["exit_status"], 0)
        self.assertTrue(r["output"].startswith("HTTP OK: HTTP/1.1 200 OK - "), r["output"])
        self.assertIn("Health (health+json): pass", r["output"])
        labels = perf_labels(r)
        for label in ("time", "size", "time_connect", "time_firstbyte"):
            self.assertIn(label, labels)
        time_value = next(p for p in r["performance_data"] if p.startswith("time="))
        self.assertRegex(time_value, r"^time=[0-9.]+s;;;0\.0+;10\.0+$")

    def test_tls_endpoint_verified_against_its_ca(self):
        r = result_from_agent("tls")
        self.assertEqual(r["state"], 0, r["output"])
        # -D --ca-cert with -C: check_curl's certificate line, after the chain
        # was verified against the test CA (on the agent, as nagios).
        self.assertTrue(r["output"].startswith("OK - Certificate 'localhost' will expire on "), r["output"])

    def test_waf_block_explained(self):
        r = result_from_agent("waf")
        self.assertEqual(r["state"], 1, r["output"])
        first, _, long_output = r["output"].partition("\n")
        self.assertTrue(first.startswith("HTTP WARNING: HTTP/1.1 403 Forbidden - blocked by a WAF rule"), first)
        self.assertIn("Reason: forbidden.waf", long_output)
        self.assertRegex(long_output, r"Hints:\n- .*Cloudflare")
        self.assertRegex(long_output, r"Evidence:\n(- .*\n)*- Cloudflare: .*Ray ID 8c0ffee0ddba11ed")
        self.assertEqual(perf_labels(r), ["time", "size"])

    def test_rejected_token_with_status_state(self):
        r = result_from_agent("api-token")
        self.assertEqual(r["state"], 2, "probewise_status_state 401=critical: " + r["output"])
        first, _, long_output = r["output"].partition("\n")
        self.assertTrue(first.startswith("HTTP CRITICAL: HTTP/1.1 401 Unauthorized - invalid credentials"), first)
        self.assertIn("Reason: auth.invalid_credentials", long_output)
        self.assertIn("- sent: a bearer token", long_output)
        self.assertIn('error="invalid_token"', long_output)
        self.assertNotIn("revoked-token", r["output"], "the token never reaches the output")

    def test_change_200_to_401_shows_on_the_master(self):
        ok = result_from_agent("flip", lambda r: r["state"] == 0)
        self.assertTrue(ok["output"].startswith("HTTP OK: HTTP/1.1 200 OK"), ok["output"])
        urllib.request.urlopen("http://127.0.0.1:%d/control?flip=401" % Env.auth_port, timeout=5).read()
        try:
            api("/v1/actions/reschedule-check", "POST",
                {"type": "Service", "filter": 'service.name == "flip"'})
            r = result_from_agent("flip", lambda r: r["state"] != 0)
        finally:
            urllib.request.urlopen("http://127.0.0.1:%d/control?flip=200" % Env.auth_port, timeout=5).read()
        self.assertEqual(r["state"], 1, r["output"])
        first, _, long_output = r["output"].partition("\n")
        self.assertTrue(first.startswith("HTTP WARNING: HTTP/1.1 401 Unauthorized - missing credentials"), first)
        self.assertRegex(first, r"changed from 200 OK \(for [0-9dhms ]+, since \d{4}-\d\d-\d\d \d\d:\d\d UTC\) "
                                r"to 401 Unauthorized")
        self.assertIn("Reason: auth.missing_credentials", long_output)


if __name__ == "__main__":
    why = icinga_missing_requirements()
    if why:
        print("SKIP: " + why)
        sys.exit(77)
    unittest.main()
