#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""One endpoint, several vantages, in Icinga 2 (SPEC 1.7), end to end: a
master and two agents ("eu1", "us1"), three real icinga2 daemons on
127.0.0.1 (certificates from the master's CA through the ticket flow, as in
test_icinga2.py). The master schedules one `probewise` service per agent
with command_endpoint, each leaving from its own source address
(vars.probewise_source_address: 127.0.0.2 for eu1, 127.0.0.3 for us1),
against an application that refuses 127.0.0.2 (tests/servers/vantageserver.py).
On the master, a `probewise-compare` service (the shipped CheckCommand,
check_probewise_compare) reads both results from the master's REST API as an
ApiUser that may only query probewise services, with its password in a file,
and gives the verdict of both: refused from eu1 only, answered from us1.
Then the us1 agent stops: its last result ages past twice its check
interval and the compare check reads it as stale (UNKNOWN for that
vantage), never as the endpoint down.

    sudo PROBEWISE_CHECK=build/check_plugin/check_probewise python3 tests/distributed/test_icinga2_vantages.py -v

check_probewise_compare is taken from beside PROBEWISE_CHECK. Exit code 77
(ctest: skipped) without root, icinga2 or unshare.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from harness import (CHECK, ICINGA_COMMON, INSTALLED, Icinga2Node, IcingaApi, Servers, chown_tree, icinga_missing_requirements,
                     free_port, package_layout, request_agent_certificate, tear_down, wait_for)

COMPARE = ("/usr/lib/nagios/plugins/check_probewise_compare" if INSTALLED
           else os.path.join(os.path.dirname(CHECK), "check_probewise_compare"))
CHECK_INTERVAL = 2  # seconds
AGENTS = {"eu1": "127.0.0.2", "us1": "127.0.0.3"}  # agent -> the source address its check leaves from


class Env:
    tmp = None
    servers = None
    app_port = None
    master = None
    agents = {}
    api_port = None
    ca = None
    started = None


COMMON = ICINGA_COMMON + """
object Endpoint "master" { %(master_host)s }
object Zone "master" { endpoints = [ "master" ] }
object Endpoint "eu1" { }
object Zone "eu1" { endpoints = [ "eu1" ]; parent = "master" }
object Endpoint "us1" { }
object Zone "us1" { endpoints = [ "us1" ]; parent = "master" }
"""


def master_config():
    return COMMON % {"node": "master", "master_host": ""} + """
const TicketSalt = "%(salt)s"
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = %(api)d
  ticket_salt = TicketSalt
}
object ApiUser "probewise-test" {
  password = "%(test_password)s"
  permissions = [ "objects/query/*", "actions/*" ]
}
/* The compare check's user: it may read the probewise services, nothing else. */
object ApiUser "probewise-compare" {
  password = "%(compare_password)s"
  permissions = [ { permission = "objects/query/Service"
                    filter = {{ match("probewise*", service.check_command) }} } ]
}
object CheckerComponent "checker" { }

object Host "master" {
  zone = "master"
  check_command = "dummy"
  check_interval = 1m
}
object Host "api.example" {
  zone = "master"
  check_command = "dummy"
  check_interval = 1m
  address = "127.0.0.1"
  vars.app_port = %(app)d
}

/* One probewise service per agent: the same endpoint from each vantage. */
template Service "api-vantage" {
  zone = "master"
  host_name = "api.example"
  check_command = "probewise"
  check_interval = %(interval)ds
  retry_interval = %(interval)ds
  max_check_attempts = 1
  vars.probewise_port = "$host.vars.app_port$"
  vars.probewise_uri = "/ip?deny=127.0.0.2"
  vars.probewise_endpoint = "api"
}
object Service "api-eu1" {
  import "api-vantage"
  command_endpoint = "eu1"
  vars.probewise_vantage = "eu1"
  vars.probewise_source_address = "127.0.0.2"
}
object Service "api-us1" {
  import "api-vantage"
  command_endpoint = "us1"
  vars.probewise_vantage = "us1"
  vars.probewise_source_address = "127.0.0.3"
}

/* On the master: the verdict of both. */
object Service "api-vantages" {
  zone = "master"
  host_name = "master"
  check_command = "probewise-compare"
  check_interval = %(interval)ds
  retry_interval = %(interval)ds
  max_check_attempts = 1
  vars.probewise_compare_api_url = "https://master:%(api)d"
  vars.probewise_compare_api_user = "probewise-compare"
  vars.probewise_compare_api_password_file = "%(password_file)s"
  vars.probewise_compare_filter = "service.vars.probewise_endpoint == \\"api\\""
}
""" % {"salt": Env.salt, "test_password": Env.test_password, "compare_password": Env.compare_password,
       "interval": CHECK_INTERVAL, "app": Env.app_port, "api": Env.api_port, "password_file": Env.password_file}


def agent_config(name, master_port):
    return COMMON % {"node": name, "master_host": 'host = "127.0.0.1"\n  port = "%d"' % master_port} + """
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = 0
  accept_commands = true
  accept_config = false
}
"""


def setUpModule():
    if not INSTALLED and not (os.access(CHECK, os.X_OK) and os.access(COMPARE, os.X_OK)):
        raise RuntimeError("no check_probewise and check_probewise_compare at %s (set PROBEWISE_CHECK)" % CHECK)
    Env.tmp = tempfile.mkdtemp(prefix="probewise-vantages-icinga-")
    os.chmod(Env.tmp, 0o755)
    Env.salt = secrets.token_hex(16)
    Env.test_password = secrets.token_hex(16)
    Env.compare_password = secrets.token_hex(16)
    Env.password_file = os.path.join(Env.tmp, "secrets", "probewise-compare.password")
    os.makedirs(os.path.dirname(Env.password_file))
    with open(Env.password_file, "w") as f:
        f.write(Env.compare_password + "\n")
    chown_tree(os.path.dirname(Env.password_file))
    os.chmod(Env.password_file, 0o600)
    Env.servers = Servers(Env.tmp)
    Env.app_port = Env.servers.start("vantageserver.py", "--exit-with-parent")

    Env.master = Icinga2Node("master", Env.tmp)
    Env.ca = Env.master.make_ca_and_certificate()
    # The compare service names the API's port: a free one, given to the listener.
    Env.api_port = free_port()
    Env.master.start(master_config(), package_layout(Env.master))
    Env.master.listener_port()
    Env.started = time.monotonic()
    for name in AGENTS:
        node = Icinga2Node(name, Env.tmp)
        request_agent_certificate(Env.master, node, Env.api_port, Env.salt)
        node.start(agent_config(name, Env.api_port), package_layout(node))
        Env.agents[name] = node
    for name in AGENTS:
        wait_for("agent %s to connect" % name,
                 lambda: api("/v1/objects/endpoints/" + name)["results"][0]["attrs"]["connected"], timeout=60)


def tearDownModule():
    tear_down(list(Env.agents.values()) + [Env.master], Env.servers, Env.tmp)


def api(path, method="GET", body=None):
    return IcingaApi(Env.api_port, Env.ca, "probewise-test", Env.test_password)(path, method, body)


def last_result(full_name):
    path = "/v1/objects/services/%s?attrs=last_check_result" % urllib.parse.quote(full_name)
    return api(path)["results"][0]["attrs"]["last_check_result"]


def wait_result(full_name, matches, what, timeout=60):
    def ready():
        r = last_result(full_name)
        return r and matches(r) and r
    try:
        return wait_for(what, ready, timeout=timeout, interval=0.5)
    except AssertionError:
        raise AssertionError("%s; last result: %s\nmaster:\n%s" % (
            what, json.dumps(last_result(full_name), indent=1), Env.master.output_tail()))


def compare(*extra):
    """check_probewise_compare run by the test against the master's API (JSON output)."""
    argv = [COMPARE, "--api-url", "https://master:%d" % Env.api_port, "--api-address", "127.0.0.1", "--ca-cert",
            Env.ca, "--api-user", "probewise-compare", "--api-password-file", Env.password_file, "--filter",
            'service.vars.probewise_endpoint == "api"', "--no-state", "--output-format=json"] + list(extra)
    p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout


class IcingaVantages(unittest.TestCase):
    def test_1_each_agent_leaves_from_its_own_address(self):
        eu1 = wait_result("api.example!api-eu1", lambda r: r.get("check_source") == "eu1", "a result from eu1")
        us1 = wait_result("api.example!api-us1", lambda r: r.get("check_source") == "us1", "a result from us1")
        self.assertEqual(eu1["state"], 1, eu1["output"])
        self.assertIn("Your IP address 127.0.0.2 is not allowed", eu1["output"])
        self.assertEqual(us1["state"], 0, us1["output"])

    def test_2_the_compare_service_on_the_master(self):
        r = wait_result("master!api-vantages", lambda r: r["state"] == 1 and "answered from us1" in r["output"],
                        "the compare service's verdict")
        first, _, rest = r["output"].partition("\n")
        first = first.rstrip()  # Icinga 2 keeps the space before the perfdata it took away
        verdict = ("HTTP WARNING: refused from eu1 only (403), answered from us1: eu1's address is not on the "
                   "endpoint's allowlist")
        # A run before both agents had a result is remembered (the service keeps its state): the line may then
        # say what changed since, and only to what it sees now.
        self.assertRegex(first, "^" + re.escape(verdict) +
                         r"( - changed from .+ \(for [0-9]+s, since [^)]+\) to 403 from eu1; 200 from us1)?$")
        self.assertEqual(r["command"][0], "/usr/lib/nagios/plugins/check_probewise_compare")
        self.assertIn("- eu1 (api.example!api-eu1 on eu1): WARNING, 403 Forbidden, forbidden.ip:", rest)
        self.assertRegex(rest, r"- us1 \(api.example!api-us1 on us1\): OK, 200 OK, [0-9.]+ s")
        self.assertIn("Reason: forbidden.ip", rest)
        self.assertIn("Basis: comparison", rest)
        labels = [p.split("=", 1)[0] for p in r["performance_data"]]
        self.assertEqual(labels, ["time", "size", "time_eu1", "time_us1"])
        self.assertNotIn(Env.compare_password, json.dumps(r))

    def test_3_json_from_the_api(self):
        code, out = compare()
        j = json.loads(out)
        self.assertEqual((code, j["state"], j["reason"], j["basis"]), (1, "WARNING", "forbidden.ip", "comparison"), out)
        self.assertEqual([v["name"] for v in j["vantages"]], ["eu1", "us1"])
        self.assertEqual(j["vantages"][0]["via"], "icinga2:api.example!api-eu1")
        self.assertEqual(j["vantages"][0]["status"], 403)
        self.assertEqual(j["vantages"][1]["state"], "OK")

    def test_4_a_wrong_password_is_unknown(self):
        wrong = os.path.join(Env.tmp, "wrong.password")
        with open(wrong, "w") as f:
            f.write("not-it\n")
        p = subprocess.run([COMPARE, "--api-url", "https://master:%d" % Env.api_port, "--api-address", "127.0.0.1",
                            "--ca-cert", Env.ca, "--api-user", "probewise-compare", "--api-password-file", wrong,
                            "--service", "api.example!api-eu1", "--no-state"], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(p.returncode, 3, p.stdout)
        self.assertTrue(p.stdout.startswith("HTTP UNKNOWN - cannot read the Icinga 2 API at https://master:%d: HTTP 401"
                                            % Env.api_port), p.stdout)

    def test_5_a_stale_agent_is_not_the_endpoint_down(self):
        Env.agents["us1"].stop()
        wait_for("the master to see us1 gone",
                 lambda: not api("/v1/objects/endpoints/us1")["results"][0]["attrs"]["connected"], timeout=30)
        # Icinga 2 makes no result for a check whose agent is gone during its
        # first five minutes (later it says "not connected" as UNKNOWN): the
        # last one ages. Twice the interval later it is stale.
        recent = time.monotonic() - Env.started < 240
        expect = "us1 is stale: its last result is" if recent else "us1 could not run: Remote Icinga instance"
        r = wait_result("master!api-vantages", lambda r: expect in r["output"], "us1 read as stale", timeout=60)
        first, _, rest = r["output"].partition("\n")
        self.assertNotEqual(r["state"], 2, r["output"])
        self.assertEqual(r["state"], 1, "eu1's refusal stands: " + r["output"])
        self.assertTrue(first.startswith("HTTP WARNING: refused from eu1 (403); " + expect), first)
        if recent:
            self.assertRegex(first, r"us1 is stale: its last result is \d+s old, more than twice its check interval of 2s")
            self.assertRegex(rest, r"- us1 \(api\.example!api-us1 on us1\): stale: its last result is")
        code, out = compare()
        j = json.loads(out)
        us1 = j["vantages"][1]
        self.assertEqual((us1["name"], us1["ran"], us1["state"]), ("us1", False, "UNKNOWN"), out)
        self.assertEqual(us1["stale"], recent)


if __name__ == "__main__":
    why = icinga_missing_requirements()
    if why:
        print("SKIP: " + why)
        sys.exit(77)
    unittest.main()
