#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What one collectd node carries: N endpoints probed by probewise.so (or
collectd's curl plugin) against local nginx servers, in the conditions users
have: several ports, keep-alive or a new connection each probe, HTTP or
HTTPS on many hosts, answers delayed 0, 100 or 300 ms.

    bench/scale_bench.py --plugin build/collectd_plugin/probewise.so \\
        --case http-keepalive-0 --case http-close-100 --case https-close-0-h100 \\
        --endpoints 100000 --interval 60 --out bench/results/scale.md

A case is PROTO-CONNECTION-DELAY[-hHOSTS]: PROTO http or https; CONNECTION
keepalive or close (the server closes after each answer: a new connection
each probe); DELAY the answer's delay in ms; HOSTS the number of distinct
hosts (127.0.1.1 ... 127.0.1.H, one certificate naming them all; default 1
for https). HTTP endpoints spread over four ports of 127.0.0.1 per kind.

Per run (one collectd, one plugin, one case, one N): start-up (launch to the
first request nginx sees, by polling stub_status), RSS then; after a warm-up
from the first probe (one interval + 10 s by default) a window (two intervals) in which it
measures collectd's CPU time (utime + stime of the whole process, including
threads that ended), probes answered (nginx's access log), CPU per probe and
share of a core, RSS and open descriptors (peak of samples every 5 s), the
load average at both ends; then from the access log, per endpoint, the
longest gap between two probes that ends in the window (and the open gap at
its end): an endpoint whose gaps all stay within the interval + 5 % had every
round complete; worst lateness = longest gap - interval. The server side
also says how many requests came on a reused connection and how many TLS
handshakes resumed a session. Stop: seconds from SIGTERM to exit.

Needs root for nothing, but as root it installs what is missing (nginx-light,
libnginx-mod-http-echo, collectd-core, openssl). Only 127.0.0.0/8.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchlib import collectd_preamble, plugin_dir, open_fds, process_cpu_s, status_kib, stop_process

COLLECTD = shutil.which("collectd") or "/usr/sbin/collectd"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ECHO_MODULE = "/usr/lib/nginx/modules/ngx_http_echo_module.so"
HERE = os.path.dirname(os.path.abspath(__file__))
PORTS_PER_KIND = 4
SLACK = 1.05  # a gap up to 5 % past the interval still counts as a round kept


def log(text):
    print("[scale_bench] " + text, file=sys.stderr, flush=True)


class Case:
    """PROTO-CONNECTION-DELAY[-hHOSTS], e.g. https-close-0-h100."""

    def __init__(self, text):
        m = re.fullmatch(r"(https?)-(keepalive|close)-(\d+)(?:-h(\d+))?", text)
        if not m:
            raise SystemExit("scale_bench: bad case %r (expected e.g. http-keepalive-0 or https-close-100-h100)"
                             % text)
        self.name = text
        self.tls = m.group(1) == "https"
        self.keepalive = m.group(2) == "keepalive"
        self.delay_ms = int(m.group(3))
        self.hosts = int(m.group(4) or 1)
        if not self.tls and self.hosts != 1:
            raise SystemExit("scale_bench: hosts apply to https cases (HTTP spreads over ports)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def host_ip(h):
    return "127.0.1.%d" % (h + 1) if h < 254 else "127.0.%d.%d" % (2 + (h - 254) // 254, 1 + (h - 254) % 254)


class Nginx:
    """nginx from a temp dir: HTTP on PORTS_PER_KIND ports per kind (keep-alive,
    close), HTTPS on one port per kind on each host's address; /D/... answers
    "ok" after D ms; an access log with the request time, connection reuse and
    TLS session reuse."""

    def __init__(self, work, cases):
        self.dir = os.path.join(work, "nginx")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.ports = {"keepalive": [free_port() for _ in range(PORTS_PER_KIND)],
                      "close": [free_port() for _ in range(PORTS_PER_KIND)]}
        self.tls_ports = {"keepalive": free_port(), "close": free_port()}
        self.stub_port = free_port()
        self.hosts = max([c.hosts for c in cases if c.tls] + [1])
        delays = sorted({c.delay_ms for c in cases} | {0})
        self.ca = self.make_certificates()
        self.access_log = os.path.join(self.dir, "access.log")
        locations = []
        for d in delays:
            if d == 0:
                locations.append('location /0/ { return 200 "ok\\n"; }')
            else:
                locations.append('location /%d/ { echo_sleep %g; echo "ok"; }' % (d, d / 1000.0))
        servers = []
        for kind in ("keepalive", "close"):
            listens = ["listen 127.0.0.1:%d backlog=8192;" % p for p in self.ports[kind]]
            servers.append(self.server(listens, kind, locations))
            listens = ["listen %s:%d ssl backlog=8192;" % (host_ip(h), self.tls_ports[kind])
                       for h in range(self.hosts)]
            servers.append(self.server(listens, kind, locations, tls=True))
        conf = """load_module %(echo)s;
daemon off;
worker_processes 2;
worker_rlimit_nofile 65536;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log error;
events { worker_connections 32768; multi_accept on; }
http {
  log_format probe '$msec $request_uri $connection_requests $ssl_session_reused';
  access_log %(log)s probe buffer=256k flush=1s;
  client_body_temp_path %(dir)s/tmp;
  proxy_temp_path %(dir)s/tmp;
  fastcgi_temp_path %(dir)s/tmp;
  uwsgi_temp_path %(dir)s/tmp;
  scgi_temp_path %(dir)s/tmp;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  ssl_certificate %(dir)s/server.pem;
  ssl_certificate_key %(dir)s/server.key;
  ssl_session_cache shared:bench:50m;
  ssl_session_timeout 30m;
  server { listen 127.0.0.1:%(stub)d; access_log off; location / { stub_status; } }
%(servers)s
}
""" % {"echo": ECHO_MODULE, "dir": self.dir, "log": self.access_log, "stub": self.stub_port,
       "servers": "\n".join(servers)}
        path = os.path.join(self.dir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.err = open(os.path.join(self.dir, "stderr.log"), "wb")
        self.proc = subprocess.Popen([NGINX, "-p", self.dir, "-c", path], stdout=self.err, stderr=self.err)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.requests()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: see " + self.dir)
                time.sleep(0.1)

    @staticmethod
    def server(listens, kind, locations, tls=False):
        lines = ["  server {"] + ["    " + l for l in listens]
        if kind == "close":
            lines.append("    keepalive_timeout 0;")
        lines += ["    " + l for l in locations] + ["  }"]
        return "\n".join(lines)

    def make_certificates(self):
        """A CA and one ECDSA P-256 server certificate naming every host's
        address (ECDSA: the server's side of 1,667 handshakes a second must
        not be the limit)."""
        d = self.dir
        run = lambda *a: subprocess.run(a, cwd=d, check=True, capture_output=True)
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=scale bench CA")
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=scale bench")
        with open(os.path.join(d, "ext.cnf"), "w") as f:
            f.write("subjectAltName=" + ",".join(["DNS:localhost", "IP:127.0.0.1"] +
                                                 ["IP:" + host_ip(h) for h in range(self.hosts)]) + "\n")
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "30", "-extfile", "ext.cnf")
        return os.path.join(d, "ca.pem")

    def requests(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/" % self.stub_port, timeout=5) as r:
            text = r.read().decode()
        return int(text.split("\n")[2].split()[2])

    def urls(self, case, n):
        kind = "keepalive" if case.keepalive else "close"
        out = []
        for i in range(n):
            if case.tls:
                host = "%s:%d" % (host_ip(i % case.hosts), self.tls_ports[kind])
            else:
                host = "127.0.0.1:%d" % self.ports[kind][i % PORTS_PER_KIND]
            out.append("%s://%s/%d/%s/%d" % ("https" if case.tls else "http", host, case.delay_ms, kind, i))
        return out

    def cpu_s(self):
        total = 0
        for pid in children(self.proc.pid) + [self.proc.pid]:
            total += process_cpu_s(pid)
        return total

    def stop(self):
        """Graceful stop, which flushes the access log."""
        stop_process(self.proc, signal.SIGQUIT, 30)
        self.err.close()


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


class Collectd:
    def __init__(self, work, args, plugin, case, urls, ca, prefix=()):
        self.dir = tempfile.mkdtemp(dir=work, prefix="%s-%s-%d-" % (plugin, case.name, len(urls)))
        plugins = plugin_dir(self.dir, plugin, args.plugin)
        self.log = os.path.join(self.dir, "collectd.log")
        lines = collectd_preamble(self.dir, plugins, args.interval, args.read_threads, "info", timestamps=True)
        timeout = min(10.0, args.interval)
        if plugin == "curl":
            lines += ["LoadPlugin curl", "<Plugin curl>"]
            for i, url in enumerate(urls):
                lines += ['  <Page "e%d">' % i, '    URL "%s"' % url, "    MeasureResponseTime true",
                          "    MeasureResponseCode true", "    Timeout %d" % (timeout * 1000)]
                if case.tls:
                    lines.append('    CACert "%s"' % ca)
                lines.append("  </Page>")
        else:
            state = os.path.join(self.dir, "state")
            os.makedirs(state)
            lines += ["LoadPlugin probewise", "<Plugin probewise>",
                      "  PersistState %s" % ("true" if args.persist_state else "false"), '  StateDir "%s"' % state]
            if args.max_concurrency:
                lines.append("  MaxConcurrency %d" % args.max_concurrency)
            for i, url in enumerate(urls):
                lines += ['  <Endpoint "e%d">' % i, '    URL "%s"' % url]
                if case.tls:
                    lines.append('    CACert "%s"' % ca)
                lines.append("  </Endpoint>")
        lines.append("</Plugin>")
        self.conf = os.path.join(self.dir, "collectd.conf")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.out = open(os.path.join(self.dir, "stdout.log"), "wb")
        self.launched = time.monotonic()
        self.proc = subprocess.Popen(list(prefix) + [COLLECTD, "-f", "-C", self.conf], stdout=self.out,
                                     stderr=self.out)

    def stop(self):
        took = stop_process(self.proc, signal.SIGTERM, 120)
        self.out.close()
        return took

    def alive(self):
        return self.proc.poll() is None

    def log_lines(self, pattern):
        try:
            with open(self.log, errors="replace") as f:
                return [l.rstrip("\n") for l in f if re.search(pattern, l)]
        except OSError:
            return []


def wait_first_probe(nginx, c, limit_s):
    """Seconds from launch to the first request nginx counts (each poll of
    stub_status counts itself once), and collectd's RSS then."""
    base = nginx.requests()
    own = 0
    while time.monotonic() - c.launched < limit_s:
        seen = nginx.requests() - base
        own += 1
        if seen > own:
            return time.monotonic() - c.launched, status_kib(c.proc.pid, "VmRSS")
        if not c.alive():
            raise RuntimeError("collectd exited during start-up: see " + c.log)
        time.sleep(0.02)
    return None, status_kib(c.proc.pid, "VmRSS")


def read_access_log(path, since, until, interval):
    """Requests in [since, until]; per path, the longest gap between two
    requests that ends in the window, and the open gap at its end."""
    hits = {}
    in_window = reused_conn = tls_resumed = tls_lines = 0
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4:
                continue
            t = float(parts[0])
            if t > until:
                continue
            hits.setdefault(parts[1], []).append(t)
            if t >= since:
                in_window += 1
                if parts[2] != "1":
                    reused_conn += 1
                # A handshake is a connection's first request (full or resumed).
                if parts[3] in ("r", ".") and parts[2] == "1":
                    tls_lines += 1
                    tls_resumed += parts[3] == "r"
    worst = 0.0
    kept = 0
    for times in hits.values():
        times.sort()
        longest = until - times[-1]
        for a, b in zip(times, times[1:]):
            if b >= since:
                longest = max(longest, b - a)
        if times[0] > since:  # nothing before the window: the gap from its start
            longest = max(longest, times[0] - since + interval)
        worst = max(worst, longest)
        kept += longest <= interval * SLACK
    return {"requests": in_window, "paths": len(hits), "kept": kept, "worst_gap_s": worst,
            "reused_conn": reused_conn, "tls_handshakes": tls_lines, "tls_resumed": tls_resumed}


def run_one(work, args, nginx, plugin, case, n):
    urls = nginx.urls(case, n)
    log("%s %s n=%d: starting collectd" % (plugin, case.name, n))
    c = Collectd(work, args, plugin, case, urls, nginx.ca)
    result = {"plugin": plugin, "case": case.name, "n": n, "interval": args.interval,
              "max_concurrency": args.max_concurrency if plugin != "curl" else None,
              "read_threads": args.read_threads, "persist_state": args.persist_state}
    try:
        startup, rss_first = wait_first_probe(nginx, c, max(60.0, n / 1000.0))
        result.update(startup_s=startup, rss_first_probe_kib=rss_first)
        log("  start-up %s s, RSS then %d MiB" % ("%.2f" % startup if startup is not None else "never",
                                                  rss_first // 1024))
        first = c.launched + (startup or 0.0)
        time.sleep(max(0.0, args.warmup - (time.monotonic() - first)))
        cpu0, ng0, wall0, t0 = process_cpu_s(c.proc.pid), nginx.cpu_s(), time.time(), time.monotonic()
        load0 = loadavg()
        rss_max = fds_max = 0
        while time.monotonic() - t0 < args.window:
            if not c.alive():
                raise RuntimeError("collectd exited: see " + c.log)
            rss_max = max(rss_max, status_kib(c.proc.pid, "VmRSS"))
            fds_max = max(fds_max, open_fds(c.proc.pid))
            time.sleep(min(5.0, max(0.05, args.window - (time.monotonic() - t0))))
        cpu1, ng1, wall1, t1 = process_cpu_s(c.proc.pid), nginx.cpu_s(), time.time(), time.monotonic()
        result.update(cpu_s=cpu1 - cpu0, nginx_cpu_s=ng1 - ng0, window_s=t1 - t0, load_start=load0,
                      load_end=loadavg(), rss_kib=status_kib(c.proc.pid, "VmRSS"), rss_max_kib=rss_max,
                      hwm_kib=status_kib(c.proc.pid, "VmHWM"), fds_max=fds_max, window_wall=[wall0, wall1])
        result["alive"] = c.alive()
        if args.perf and result["alive"]:
            result["perf"] = profile(c, args, "%s-%s-%d" % (plugin, case.name, n))
        result["stop_s"] = c.stop()
        result["warnings"] = c.log_lines(r"\[(warning|error)\]")[-5:]
        result["plugin_lines"] = c.log_lines(r"probewise plugin: (probing|stopped)")[-3:]
    except Exception:
        if c.alive():
            c.stop()
        raise
    return result, c


def profile(c, args, name):
    """perf's profile of collectd for args.perf seconds after the window (so
    that sampling does not weigh on the figures): the report by shared object
    and function goes to args.perf_dir/NAME.txt."""
    data = os.path.join(c.dir, "perf.data")
    subprocess.run(["perf", "record", "-e", "cpu-clock", "-F", "499", "-g", "-p", str(c.proc.pid), "-o", data,
                    "--", "sleep", str(args.perf)], capture_output=True)
    report = ""
    for sort, limit in (("dso", "0.1"), ("dso,sym", "0.3")):
        report += subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", sort, "--stdio",
                                  "-g", "none", "--percent-limit", limit], capture_output=True, text=True).stdout
    os.makedirs(args.perf_dir, exist_ok=True)
    path = os.path.join(args.perf_dir, name + ".txt")
    with open(path, "w") as f:
        f.write(report)
    return path


def callgrind_run(work, args, nginx, plugin, case, n):
    """Instructions per probe: collectd under callgrind (instrumentation off
    until the warm-up is over), counted over args.callgrind seconds (every
    thread, user space only), over the requests nginx answered meanwhile.
    The annotation by function (inclusive) goes to args.perf_dir."""
    urls = nginx.urls(case, n)
    log("callgrind: %s %s n=%d" % (plugin, case.name, n))
    c = Collectd(work, args, plugin, case, urls, nginx.ca,
                 prefix=["valgrind", "--tool=callgrind", "--instr-atstart=no", "--trace-children=no",
                         "--callgrind-out-file=%s/callgrind.out.%%p" % work])
    try:
        startup, _ = wait_first_probe(nginx, c, 300)
        if startup is None:
            raise RuntimeError("collectd under callgrind never probed: see " + c.log)
        time.sleep(args.warmup)
        pid = str(c.proc.pid)
        subprocess.run(["callgrind_control", "-z", pid], capture_output=True, check=True)
        subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=True)
        r0 = nginx.requests()
        time.sleep(args.callgrind)
        r1 = nginx.requests()
        subprocess.run(["callgrind_control", "-d", pid], capture_output=True, check=True)
        dumps = sorted(f for f in os.listdir(work) if f.startswith("callgrind.out.%s." % pid))
        if not dumps:
            raise RuntimeError("callgrind wrote no dump")
        dump = os.path.join(work, dumps[-1])
        with open(dump) as f:
            total = next(int(l.split()[1]) for l in f if l.startswith("summary:") or l.startswith("totals:"))
        probes = r1 - r0 - 2  # less the two stub_status reads
        annotation = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=99", dump],
                                    capture_output=True, text=True).stdout
        os.makedirs(args.perf_dir, exist_ok=True)
        path = os.path.join(args.perf_dir, "callgrind-%s-%s-%d.txt" % (plugin, case.name, n))
        with open(path, "w") as f:
            f.write("%d instructions over %d probes: %.0f a probe\n\n" % (total, probes, total / max(1, probes)))
            f.write(annotation)
        log("  %d probes, %.0f instructions a probe (%s)" % (probes, total / max(1, probes), path))
        return {"plugin": plugin, "case": case.name, "n": n, "probes": probes, "instructions": total,
                "per_probe": total / max(1, probes), "annotation": path}
    finally:
        c.stop()


def summarize(result, access):
    r = result
    r.update(access)
    probes = access["requests"]
    r["us_per_probe"] = r["cpu_s"] * 1e6 / probes if probes else float("nan")
    r["core_share"] = r["cpu_s"] / r["window_s"]
    r["probes_per_s"] = probes / r["window_s"]
    r["expected_per_s"] = r["n"] / r["interval"]
    r["worst_late_s"] = access["worst_gap_s"] - r["interval"]
    return r


def row(r):
    tls = ""
    if r["tls_handshakes"]:
        tls = "%.0f %%" % (100.0 * r["tls_resumed"] / r["tls_handshakes"])
    return "| %s | %s | %s | %.1f | %.3f | %.0f | %.0f | %d | %d of %d | %.1f | %s | %.0f %% | %s | %.1f | %s |" % (
        r["plugin"], r["case"], "{:,}".format(r["n"]), r["us_per_probe"], r["core_share"],
        r["rss_kib"] / 1024, (r.get("rss_first_probe_kib") or 0) / 1024, r["fds_max"], r["kept"], r["n"],
        r["worst_late_s"], "%.2f" % r["startup_s"] if r.get("startup_s") is not None else "-",
        100.0 * r["reused_conn"] / max(1, r["requests"]), tls or "-", r["stop_s"],
        "%.2f / %.2f" % (r["load_start"][0], r["load_end"][0]))


HEADER = ["| plugin | case | endpoints | CPU µs/probe | share of a core | RSS MiB | RSS at first probe MiB "
          "| fds (peak) | every round complete | worst lateness s | start-up s | requests on a kept connection "
          "| TLS resumed | stop s | load 1 min (start / end) |",
          "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--plugin", default=os.path.join(HERE, "..", "build", "collectd_plugin", "probewise.so"))
    p.add_argument("--case", action="append", default=[], help="e.g. http-keepalive-0 (repeatable)")
    p.add_argument("--endpoints", default="100000", help="comma-separated N for probewise.so")
    p.add_argument("--curl", default="", help="comma-separated N for collectd's curl plugin (\"\": none)")
    p.add_argument("--interval", type=float, default=60)
    p.add_argument("--warmup", type=float, default=None, help="s from the first probe (default: interval + 10)")
    p.add_argument("--window", type=float, default=None, help="s measured (default: 2 intervals)")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--max-concurrency", type=int, default=0, help="MaxConcurrency (0: not set, the default)")
    p.add_argument("--read-threads", type=int, default=5, help="collectd's ReadThreads")
    p.add_argument("--persist-state", default="true", choices=["true", "false"])
    p.add_argument("--out", default="", help="append the table to this markdown file")
    p.add_argument("--json", default="", help="append the raw results (one JSON line per run)")
    p.add_argument("--perf", type=float, default=0, help="after the window, profile collectd this many s")
    p.add_argument("--perf-dir", default="scale-profiles", help="where the profiles go")
    p.add_argument("--callgrind", type=float, default=0,
                   help="instead of the runs: count instructions a probe under callgrind for this many s")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    args = p.parse_args()
    args.persist_state = args.persist_state == "true"
    args.warmup = args.warmup if args.warmup is not None else args.interval + 10
    args.window = args.window if args.window is not None else 2 * args.interval
    args.plugin = os.path.abspath(args.plugin)
    cases = [Case(c) for c in (args.case or ["http-keepalive-0"])]
    runs = [("probewise", c, int(n)) for c in cases for n in args.endpoints.split(",") if n] + \
           [("curl", c, int(n)) for c in cases for n in args.curl.split(",") if n]
    for tool, path in (("collectd", COLLECTD), ("nginx", NGINX), ("echo module", ECHO_MODULE)):
        if not os.path.exists(path):
            raise SystemExit("scale_bench: %s not found at %s (apt-get install nginx-light "
                             "libnginx-mod-http-echo collectd-core)" % (tool, path))
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        os.environ.pop(k, None)
    work = tempfile.mkdtemp(prefix="probewise-scale-")
    log("work directory " + work)
    results = []
    if args.callgrind:
        try:
            for plugin, case, n in runs:
                nginx = Nginx(os.path.join(work, "run%d" % len(results)), cases)
                try:
                    results.append(callgrind_run(work, args, nginx, plugin, case, n))
                finally:
                    nginx.stop()
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        for r in results:
            print("| %s | %s | %d | %.0f | %d |" % (r["plugin"], r["case"], r["n"], r["per_probe"], r["probes"]))
        return
    try:
        for _ in range(args.repeat):
            for plugin, case, n in runs:
                nginx = Nginx(os.path.join(work, "run%d" % len(results)), cases)
                try:
                    result, c = run_one(work, args, nginx, plugin, case, n)
                finally:
                    nginx.stop()
                access = read_access_log(nginx.access_log, result["window_wall"][0], result["window_wall"][1],
                                         args.interval)
                r = summarize(result, access)
                results.append(r)
                log("  " + row(r))
                if args.json:
                    with open(args.json, "a") as f:
                        f.write(json.dumps(r) + "\n")
                if not args.keep:
                    shutil.rmtree(os.path.join(work, "run%d" % (len(results) - 1)), ignore_errors=True)
                    shutil.rmtree(c.dir, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    lines = ["", "Measured %s UTC on %d CPUs (%s), Interval %g, window %g s after %g s, PersistState %s, "
             "MaxConcurrency %s; `%s`" % (time.strftime("%Y-%m-%d %H:%M", time.gmtime()), os.cpu_count(),
                                         os.uname().release, args.interval, args.window, args.warmup,
                                         "true" if args.persist_state else "false",
                                         args.max_concurrency or "not set", " ".join(sys.argv[1:])), ""]
    lines += HEADER + [row(r) for r in results] + [""]
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "a") as f:
            f.write(text)


if __name__ == "__main__":
    main()
