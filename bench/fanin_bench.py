#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The central side of a collectd fan-in: what a central collectd spends on
the values probing hosts send it.

    bench/fanin_bench.py [--plugin build/collectd_plugin/probewise.so] [--endpoints 2000,10000]
                         [--interval 10] [--warmup 25] [--window 60] [--out bench/results/fanin.md]

One edge collectd loads probewise.so with E endpoints (bench_server.py's
/fast/ paths, keep-alive) and forwards everything with the network plugin
(SecurityLevel Encrypt) to a central collectd that checks the AuthFile and
writes with write_prometheus (and, in a second run, csv as well). Measured
over WINDOW seconds after WARMUP: the central collectd's CPU (all its
threads, from /proc/PID/task/*/schedstat) per value received, its RSS, and
one scrape of /metrics (wall time, size, series). Values received = the
probes bench_server answered in the window times the values a keep-alive
probe dispatches (5). Writes the table to --out.
"""

import argparse
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "distributed"))
from harness import Daemon, free_port, keep_result, wait_for, work_dir  # noqa: E402
from collectd_bench import cpu_seconds, rss_kib  # noqa: E402

PLUGINS = "/usr/lib/collectd"
VALUES_PER_PROBE = 5  # keep-alive: response_time, duration-ttfb, response_code, bool-up, gauge-state


def collectd(work, name, plugins, body, probewise_so=None):
    d = os.path.join(work, name)
    os.makedirs(os.path.join(d, "plugins"))
    for p in plugins:
        shutil.copy(probewise_so if p == "probewise" else os.path.join(PLUGINS, p + ".so"),
                    os.path.join(d, "plugins"))
    conf = os.path.join(d, "collectd.conf")
    with open(conf, "w") as f:
        f.write('Hostname "%s"\nFQDNLookup false\nBaseDir "%s"\nPIDFile "%s/collectd.pid"\nPluginDir "%s/plugins"\n'
                'TypesDB "/usr/share/collectd/types.db"\nLoadPlugin logfile\n<Plugin logfile>\n  LogLevel warning\n'
                '  File "%s/collectd.log"\n</Plugin>\n' % (name, d, d, d, d) + body)
    return Daemon(["collectd", "-f", "-C", conf], os.path.join(d, "stdout.log"))


def stats(port, reset=False):
    url = "http://127.0.0.1:%d/stats%s" % (port, "?reset=1" if reset else "")
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def one_run(args, work, endpoints, with_csv, server_port):
    tag = "%d-%s" % (endpoints, "csv" if with_csv else "prom")
    run_dir = os.path.join(work, tag)
    os.makedirs(run_dir)
    net_port, prom_port = free_port(socket.SOCK_DGRAM), free_port()
    with open(os.path.join(run_dir, "passwd"), "w") as f:
        f.write("edge: secret\n")
    central_body = ('LoadPlugin network\n<Plugin network>\n  <Listen "127.0.0.1" "%d">\n    SecurityLevel Encrypt\n'
                    '    AuthFile "%s/passwd"\n  </Listen>\n</Plugin>\nLoadPlugin write_prometheus\n'
                    '<Plugin write_prometheus>\n  Host "127.0.0.1"\n  Port "%d"\n</Plugin>\n' % (
                        net_port, run_dir, prom_port))
    plugins = ["logfile", "network", "write_prometheus"]
    if with_csv:
        central_body += 'LoadPlugin csv\n<Plugin csv>\n  DataDir "%s/csv"\n</Plugin>\n' % run_dir
        plugins.append("csv")
    central = collectd(run_dir, "central", plugins, "Interval %d\n" % args.interval + central_body)
    lines = ["Interval %d" % args.interval, "<LoadPlugin network>", "  FlushInterval 1", "</LoadPlugin>",
             "<Plugin network>", '  <Server "127.0.0.1" "%d">' % net_port, "    SecurityLevel Encrypt",
             '    Username "edge"', '    Password "secret"', "  </Server>", "</Plugin>", "LoadPlugin probewise",
             "<Plugin probewise>", "  MaxConcurrency 1000", "  PersistState false"]
    for i in range(endpoints):
        lines += ['  <Endpoint "e%d">' % i, '    URL "http://127.0.0.1:%d/fast/%d"' % (server_port, i),
                  "  </Endpoint>"]
    edge = collectd(run_dir, "edge", ["logfile", "network", "probewise"], "\n".join(lines + ["</Plugin>", ""]),
                    args.plugin)
    try:
        time.sleep(args.warmup)
        stats(server_port, reset=True)
        cpu0, t0 = cpu_seconds(central.proc.pid), time.time()
        time.sleep(args.window)
        cpu1, t1 = cpu_seconds(central.proc.pid), time.time()
        probes = stats(server_port)["requests"]
        rss = rss_kib(central.proc.pid)
        start = time.monotonic()
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % prom_port, timeout=120) as r:
            text = r.read()
        scrape_s = time.monotonic() - start
        series = sum(1 for l in text.splitlines() if l and not l.startswith(b"#"))
        with open(os.path.join(run_dir, "central", "collectd.log"), errors="replace") as f:
            too_old = sum(1 for l in f if "Value too old" in l)
    finally:
        edge.stop()
        central.stop()
    values = probes * VALUES_PER_PROBE
    return {"endpoints": endpoints, "csv": with_csv, "interval": args.interval, "window": round(t1 - t0, 1),
            "probes": probes, "values_per_s": values / (t1 - t0), "central_cpu_s": cpu1 - cpu0,
            "us_per_value": 1e6 * (cpu1 - cpu0) / max(values, 1), "central_rss_kib": rss,
            "scrape_s": scrape_s, "scrape_bytes": len(text), "series": series, "too_old": too_old,
            "loadavg": open("/proc/loadavg").read().split()[:3]}


def markdown(runs, args):
    out = ["# collectd fan-in: the central collectd", "",
           "Generated by `bench/fanin_bench.py` on %s (%d CPUs; collectd %s). One edge collectd with probewise.so"
           " (E endpoints, `Interval %d`, keep-alive, 5 values a probe) forwards with the network plugin"
           " (`SecurityLevel Encrypt`) to a central collectd (network + `AuthFile`, write_prometheus, and csv in"
           " the second row of each E). Central CPU from schedstat over %d s after %d s of warm-up; one scrape of"
           " /metrics at the end." % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(),
                                       collectd_version(), args.interval, args.window, args.warmup), "",
           "| endpoints | writers | values/s in | central CPU per value | central CPU share | RSS | /metrics scrape |"
           " series | `Value too old` | load |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        out.append("| %d | %s | %.0f | %.1f µs | %.1f %% of a core | %.0f MiB | %.2f s, %.1f MB | %d | %d | %s |" % (
            r["endpoints"], "prometheus + csv" if r["csv"] else "prometheus", r["values_per_s"], r["us_per_value"],
            100 * r["central_cpu_s"] / r["window"], r["central_rss_kib"] / 1024, r["scrape_s"],
            r["scrape_bytes"] / 1e6, r["series"], r["too_old"], " ".join(r["loadavg"])))
    return "\n".join(out) + "\n"


def collectd_version():
    out = subprocess.run(["collectd", "-h"], capture_output=True, text=True).stdout
    m = re.search(r"collectd ([0-9][^,\s]*)", out)
    return m.group(1) if m else "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", default=os.path.join(ROOT, "build", "collectd_plugin", "probewise.so"))
    parser.add_argument("--endpoints", default="2000,10000")
    parser.add_argument("--interval", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=25)
    parser.add_argument("--window", type=int, default=60)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "fanin.md"))
    args = parser.parse_args()
    runs = []
    with work_dir("probewise-fanin-bench-") as work:
        port_file = os.path.join(work, "server.port")
        server = Daemon([sys.executable, os.path.join(HERE, "bench_server.py"), "--port-file", port_file],
                        os.path.join(work, "server.log"))
        try:
            port = wait_for("bench_server.py", lambda: os.path.exists(port_file) and
                            open(port_file).read().strip() and int(open(port_file).read()), timeout=20)
            sizes = [int(e) for e in args.endpoints.split(",")]
            for endpoints, with_csv in itertools.product(sizes, (False, True)):
                keep_result(runs, one_run(args, work, endpoints, with_csv, port), args.out,
                            lambda rs: markdown(rs, args), "fanin-bench")
        finally:
            server.stop()
    print(markdown(runs, args))


if __name__ == "__main__":
    main()
