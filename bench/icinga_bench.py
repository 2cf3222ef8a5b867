#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What one Icinga 2 node carries: N HTTP services every INTERVAL seconds,
run by a real icinga2 (Debian's 2.13) against a local nginx, once with
check_probewise (the shipped CheckCommand "probewise") and once with
check_curl (the ITL's "http" arguments on check_curl), for each N.

    sudo bench/icinga_bench.py --probewise PATH [--counts 500,1000,2000,4000]
                               [--interval 60] [--warmup 75] [--window 120]

PATH is the check_probewise to measure: the packaged one (dpkg-deb -x the
.deb that packaging/build.sh makes) is what users run. For every N the two
tools take turns; each run starts a fresh icinga2 (own directories, API on
an ephemeral port) inside a cgroup of its own, waits WARMUP seconds (every
service has run once and the checker has spread them over the interval),
then measures for WINDOW seconds:

  - CPU per check: the cgroup's CPU time (icinga2 and every plugin it ran)
    over the checks nginx answered in the window, and the plugin's share
    (the cgroup minus icinga2's own processes);
  - check latency and execution time as Icinga 2 reports them: from each
    service's last check result (latency = schedule time minus execution
    time, as Icinga computes it), median / p95 / max, and the CIB averages
    (/v1/status/CIB avg_latency, avg_execution_time);
  - the load average before and after (the machine may be shared).

Writes bench/results/icinga.md (or --out) and the raw JSON beside it.
Needs root (icinga2 runs as nagios; cgroups), nginx, icinga2, check_curl
(monitoring-plugins-standard).
"""

import argparse
import base64
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "distributed"))
from harness import Daemon, Icinga2Node, chown_tree, free_port, keep_result, wait_for, work_dir  # noqa: E402

CHECKCOMMAND = os.path.join(ROOT, "packaging", "icinga2", "probewise.conf")
CHECK_CURL = "/usr/lib/nagios/plugins/check_curl"

# How each tool's services are declared: the check command and its variables.
TOOLS = {
    "check_probewise": """
    check_command = "probewise"
    vars.probewise_address = "127.0.0.1"
    vars.probewise_port = %(port)d
    vars.probewise_uri = "/" + name
    vars.probewise_state_dir = "%(state)s"
""",
    "check_curl": """
    check_command = "curl"
    vars.http_address = "127.0.0.1"
    vars.http_port = %(port)d
    vars.http_uri = "/" + name
""",
}

CONFIG = """
const NodeName = "bench"
const ZoneName = "bench"
const PluginDir = "%(plugins)s"
const PluginContribDir = PluginDir
const ManubulonPluginDir = PluginDir
include <itl>
include <plugins>
include "%(checkcommand)s"

/* check_curl takes check_http's options: the ITL's "http" arguments. */
object CheckCommand "curl" {
  import "http"
  command = [ PluginDir + "/check_curl" ]
}

object FileLogger "main" {
  path = LogDir + "/icinga2.log"
  severity = "information"
}
object Endpoint "bench" { }
object Zone "bench" { endpoints = [ "bench" ] }
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = 0
}
object ApiUser "bench" {
  password = "%(password)s"
  permissions = [ "objects/query/Service", "status/query" ]
}
object CheckerComponent "checker" { }

object Host "bench" {
  check_command = "dummy"
  enable_active_checks = false
}

for (n in range(%(count)d)) {
  object Service "svc-" + string(n) {
    host_name = "bench"
    check_interval = %(interval)ds
    retry_interval = %(interval)ds
    max_check_attempts = 1
%(service)s  }
}
"""

NGINX = """
worker_processes 1;
daemon off;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log warn;
events { worker_connections 4096; }
http {
  log_format stamp '$msec';
  access_log %(dir)s/access.log stamp;
  client_body_temp_path %(dir)s/temp;
  proxy_temp_path %(dir)s/temp;
  fastcgi_temp_path %(dir)s/temp;
  uwsgi_temp_path %(dir)s/temp;
  scgi_temp_path %(dir)s/temp;
  default_type text/html;
  server {
    listen 127.0.0.1:%(port)d;
    root %(dir)s/www;
    location / { try_files /index.html =404; }
  }
}
"""


class Cgroup:
    """A cgroup for one run; CPU time of everything in it, in seconds."""

    def __init__(self, name):
        v1 = "/sys/fs/cgroup/cpuacct"
        if os.path.isdir(v1):
            self.path, self.v2 = os.path.join(v1, name), False
        else:
            self.path, self.v2 = os.path.join("/sys/fs/cgroup", name), True
        os.makedirs(self.path, exist_ok=True)

    def wrapper(self):
        return ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', self.path]

    def cpu_seconds(self):
        if self.v2:
            with open(os.path.join(self.path, "cpu.stat")) as f:
                usec = dict(l.split() for l in f)["usage_usec"]
            return int(usec) / 1e6
        with open(os.path.join(self.path, "cpuacct.usage")) as f:
            return int(f.read()) / 1e9

    def pids(self):
        with open(os.path.join(self.path, "cgroup.procs")) as f:
            return [int(l) for l in f if l.strip()]

    def remove(self):
        try:
            os.rmdir(self.path)
        except OSError:
            pass


def own_cpu_seconds(pids, comm):
    """utime + stime of the processes named comm (their children not included)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if name == comm:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def requests_between(log, t0, t1):
    with open(log) as f:
        return sum(1 for l in f if l.strip() and t0 <= float(l) < t1)


def api(port, password, path):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # our own node on 127.0.0.1
    req = urllib.request.Request("https://127.0.0.1:%d%s" % (port, path))
    req.add_header("Accept", "application/json")
    req.add_header("Authorization", "Basic " + base64.b64encode(("bench:" + password).encode()).decode())
    with urllib.request.urlopen(req, context=context, timeout=120) as r:
        return json.load(r)


def quantile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def one_run(args, tmp, tool, count, nginx_port, ca_dir):
    name = "%s-%d" % (tool, count)
    node = Icinga2Node(name, tmp)
    shutil.copytree(ca_dir, node.certs, dirs_exist_ok=True)  # bench.crt, bench.key, ca.crt
    state = os.path.join(tmp, "state-" + name)
    os.makedirs(state, mode=0o700)
    chown_tree(state)
    password = secrets.token_hex(12)
    config = CONFIG % {
        "plugins": os.path.join(tmp, "plugins"), "checkcommand": CHECKCOMMAND, "password": password,
        "count": count, "interval": args.interval,
        "service": TOOLS[tool] % {"port": nginx_port, "state": state},
    }
    cgroup = Cgroup("probewise-bench-%d-%s" % (os.getpid(), name))
    node.start(config, cgroup.wrapper())
    try:
        port = node.listener_port(timeout=300)
        time.sleep(args.warmup)
        load_before = loadavg()
        pids = cgroup.pids()
        cpu0, own0, t0 = cgroup.cpu_seconds(), own_cpu_seconds(pids, "icinga2"), time.time()
        time.sleep(args.window)
        pids = cgroup.pids()
        cpu1, own1, t1 = cgroup.cpu_seconds(), own_cpu_seconds(pids, "icinga2"), time.time()
        load_after = loadavg()
        checks = requests_between(os.path.join(tmp, "nginx", "access.log"), t0, t1)
        results = api(port, password, "/v1/objects/services?attrs=last_check_result")["results"]
        cib = api(port, password, "/v1/status/CIB")["results"][0]["status"]
    finally:
        node.stop()
        cgroup.remove()
    latencies, executions, states = [], [], {}
    for r in results:
        cr = r["attrs"]["last_check_result"]
        if not cr:
            continue
        execution = cr["execution_end"] - cr["execution_start"]
        executions.append(execution)
        latencies.append(max(0.0, (cr["schedule_end"] - cr["schedule_start"]) - execution))
        states[cr["state"]] = states.get(cr["state"], 0) + 1
    return {
        "tool": tool, "count": count, "interval": args.interval, "window": round(t1 - t0, 1),
        "checks": checks, "expected_checks": round(count * (t1 - t0) / args.interval),
        "cpu_s": cpu1 - cpu0, "icinga2_cpu_s": own1 - own0,
        "cpu_ms_per_check": 1000 * (cpu1 - cpu0) / max(checks, 1),
        "plugin_cpu_ms_per_check": 1000 * ((cpu1 - cpu0) - (own1 - own0)) / max(checks, 1),
        "latency_median_ms": 1000 * quantile(latencies, 0.5), "latency_p95_ms": 1000 * quantile(latencies, 0.95),
        "latency_max_ms": 1000 * max(latencies or [float("nan")]),
        "execution_median_ms": 1000 * quantile(executions, 0.5),
        "execution_p95_ms": 1000 * quantile(executions, 0.95),
        "cib_avg_latency_ms": 1000 * cib.get("avg_latency", float("nan")),
        "cib_avg_execution_ms": 1000 * cib.get("avg_execution_time", float("nan")),
        "states": states, "results": len(latencies), "load_before": load_before, "load_after": load_after,
    }


def start_nginx(tmp):
    d = os.path.join(tmp, "nginx")
    os.makedirs(os.path.join(d, "www"))
    os.makedirs(os.path.join(d, "temp"))
    with open(os.path.join(d, "www", "index.html"), "w") as f:  # a health page of about 600 bytes
        f.write("<!DOCTYPE html><html><head><title>probewise bench</title></head><body>\n" +
                "".join("<p>line %d: the quick brown fox jumps over the lazy dog</p>\n" % i for i in range(10)) +
                "</body></html>\n")
    for sub in ("", "www"):
        os.chmod(os.path.join(d, sub), 0o755)
    port = free_port()
    with open(os.path.join(d, "nginx.conf"), "w") as f:
        f.write(NGINX % {"dir": d, "port": port})
    daemon = Daemon(["nginx", "-p", d, "-e", os.path.join(d, "error.log"), "-c", os.path.join(d, "nginx.conf")],
                    os.path.join(d, "stdout.log"))
    def answers():
        try:
            return urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=2).status == 200
        except OSError:
            return False
    wait_for("nginx", answers, timeout=20)
    return daemon, port


def markdown(runs, args):
    lines = [
        "# What one Icinga 2 node carries: check_probewise and check_curl",
        "",
        "Generated by `bench/icinga_bench.py` on %s; %s; icinga2 %s; check_probewise `%s`." % (
            time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), cpu_model(), icinga2_version(), args.probewise),
        "",
        "N services, `check_interval %ds`, all against one local nginx (a 600-byte page); after %d s of"
        " warm-up, measured for %d s. CPU is the run's cgroup (icinga2 and every plugin process), per check"
        " nginx answered; the plugin's share is that minus icinga2's own processes. Latency and execution"
        " time come from each service's last check result (latency = schedule time minus execution time,"
        " Icinga's definition). The machine is shared: the load average is shown for each run." % (
            args.interval, args.warmup, args.window),
        "",
        "| N | tool | checks/s | CPU per check | plugin CPU per check | execution median / p95 | latency median / p95 / max | CIB avg latency | not OK | load before / after |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        not_ok = sum(n for s, n in r["states"].items() if float(s) != 0)
        lines.append("| %d | %s | %.1f | %.2f ms | %.2f ms | %.1f / %.1f ms | %.1f / %.1f / %.0f ms | %.1f ms | %d | %s / %s |" % (
            r["count"], r["tool"], r["checks"] / r["window"], r["cpu_ms_per_check"], r["plugin_cpu_ms_per_check"],
            r["execution_median_ms"], r["execution_p95_ms"], r["latency_median_ms"], r["latency_p95_ms"],
            r["latency_max_ms"], r["cib_avg_latency_ms"], not_ok, r["load_before"], r["load_after"]))
    by = {(r["count"], r["tool"]): r for r in runs}
    lines += ["", "Ratios (check_probewise / check_curl):", ""]
    for count in sorted({r["count"] for r in runs}):
        p, c = by.get((count, "check_probewise")), by.get((count, "check_curl"))
        if p and c:
            lines.append("- N = %d: CPU per check %.2fx, plugin CPU %.2fx, execution median %.2fx" % (
                count, p["cpu_ms_per_check"] / c["cpu_ms_per_check"],
                p["plugin_cpu_ms_per_check"] / c["plugin_cpu_ms_per_check"],
                p["execution_median_ms"] / c["execution_median_ms"]))
    return "\n".join(lines) + "\n"


def cpu_model():
    with open("/proc/cpuinfo") as f:
        models = [l.split(":", 1)[1].strip() for l in f if l.startswith("model name")]
    return "%d x %s" % (len(models), models[0] if models else "?")


def icinga2_version():
    out = subprocess.run(["icinga2", "--version"], capture_output=True, text=True).stdout
    return out.split("version: ")[1].split(")")[0] if "version: " in out else "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probewise", default=os.path.join(ROOT, "build", "check_plugin", "check_probewise"))
    parser.add_argument("--counts", default="500,1000,2000,4000")
    parser.add_argument("--tools", default="check_curl,check_probewise")
    parser.add_argument("--interval", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=75)
    parser.add_argument("--window", type=int, default=120)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "icinga.md"))
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("icinga_bench.py: needs root (icinga2 runs as nagios; cgroups)")
    for tool in ("icinga2", "nginx"):
        if not shutil.which(tool):
            sys.exit("icinga_bench.py: %s is not installed" % tool)
    if not os.access(CHECK_CURL, os.X_OK) or not os.access(args.probewise, os.X_OK):
        sys.exit("icinga_bench.py: needs %s (monitoring-plugins-standard) and %s" % (CHECK_CURL, args.probewise))

    runs = []
    with work_dir("probewise-icinga-bench-") as tmp:
        plugins = os.path.join(tmp, "plugins")
        os.makedirs(plugins)
        shutil.copy(args.probewise, os.path.join(plugins, "check_probewise"))
        os.symlink(CHECK_CURL, os.path.join(plugins, "check_curl"))
        nginx, port = start_nginx(tmp)
        try:
            # The CA and the certificate of the node "bench", made once (RSA
            # 4096 keys are slow) and copied into every run's node.
            ca_node = Icinga2Node("bench", os.path.join(tmp, "ca"))
            ca_node.make_ca_and_certificate()
            os.remove(os.path.join(ca_node.certs, "bench.csr"))
            for count in [int(c) for c in args.counts.split(",")]:
                for tool in args.tools.split(","):
                    print("[icinga-bench] N=%d %s ..." % (count, tool), file=sys.stderr, flush=True)
                    keep_result(runs, one_run(args, tmp, tool, count, port, ca_node.certs), args.out,
                                lambda rs: markdown(rs, args), "icinga-bench")
        finally:
            nginx.stop()
    print(markdown(runs, args))


if __name__ == "__main__":
    main()
