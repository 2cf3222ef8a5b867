#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Driver of bench/collectd_bench.sh: probewise.so beside collectd's own curl
plugin, each in a real collectd of its own, against bench_server.py on
127.0.0.1. See bench/README.md ("collectd plugin") for what is measured.

    python3 bench/collectd_bench.py PROBEWISE_SO RESULTS_MD

Knobs (environment): BENCH_CPU_ENDPOINTS ("100 1000"), BENCH_CPU_SECONDS (15),
BENCH_CPU_REPEAT (3: the median is reported; the plugins take turns),
BENCH_SLOW_ENDPOINTS ("1000 10000"), BENCH_MEM_ENDPOINTS ("1000 10000"),
BENCH_READ_THREADS ("5 64": collectd's ReadThreads for the curl plugin;
probewise has its own thread), BENCH_MAX_CONCURRENCY (1000).
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchlib import collectd_preamble, plugin_dir, status_kib, stop_process

COLLECTD = shutil.which("collectd") or "/usr/sbin/collectd"
HERE = os.path.dirname(os.path.abspath(__file__))


def env_list(name, default):
    return [int(x) for x in os.environ.get(name, default).split()]


CPU_ENDPOINTS = env_list("BENCH_CPU_ENDPOINTS", "100 1000")
CPU_SECONDS = int(os.environ.get("BENCH_CPU_SECONDS", "15"))
CPU_REPEAT = int(os.environ.get("BENCH_CPU_REPEAT", "3"))
SLOW_ENDPOINTS = env_list("BENCH_SLOW_ENDPOINTS", "1000 10000")
MEM_ENDPOINTS = env_list("BENCH_MEM_ENDPOINTS", "1000 10000")
READ_THREADS = env_list("BENCH_READ_THREADS", "5 64")
MAX_CONCURRENCY = int(os.environ.get("BENCH_MAX_CONCURRENCY", "1000"))


def log(text):
    print("[collectd_bench] " + text, file=sys.stderr, flush=True)


class Server:
    def __init__(self, work):
        port_file = os.path.join(work, "server.port")
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "bench_server.py"), "--port-file", port_file])
        for _ in range(200):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())

    def stats(self, reset=True, gap=None):
        query = "&".join(q for q in ("reset=1" if reset else "", "gap=%g" % gap if gap else "") if q)
        url = "http://127.0.0.1:%d/stats%s" % (self.port, "?" + query if query else "")
        return json.load(urllib.request.urlopen(url, timeout=10))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)


def cpu_seconds(pid):
    """CPU time of all the process's threads, in ns from schedstat (utime and
    stime come in clock ticks of 10 ms: 1500 probes of 60 us are 9 ticks)."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                total += int(f.read().split()[0])
        except OSError:  # a thread that ended: collectd's threads live as long as it does
            pass
    return total / 1e9


def rss_kib(pid):
    return status_kib(pid, "VmRSS")


class Collectd:
    def __init__(self, work, plugin, probewise_so, urls, interval, read_threads=5, timeout_s=5):
        self.dir = tempfile.mkdtemp(dir=work, prefix=plugin + "-")
        # "probewise-2v": probewise.so with Values set to the curl plugin's two.
        plugins = plugin_dir(self.dir, plugin, probewise_so)
        lines = collectd_preamble(self.dir, plugins, interval, read_threads)
        if plugin == "curl":
            lines += ["LoadPlugin curl", "<Plugin curl>"]
            for i, url in enumerate(urls):
                lines += ['  <Page "p%d">' % i, '    URL "%s"' % url, "    MeasureResponseTime true",
                          "    MeasureResponseCode true", "    Timeout %d" % (timeout_s * 1000), "  </Page>"]
        else:
            lines += ["LoadPlugin probewise", "<Plugin probewise>", "  MaxConcurrency %d" % MAX_CONCURRENCY,
                      "  PersistState false"]
            for i, url in enumerate(urls):
                lines += ['  <Endpoint "p%d">' % i, '    URL "%s"' % url, "    Timeout %g" % timeout_s]
                if plugin == "probewise-2v":  # the two values the curl plugin dispatches
                    lines.append('    Values "response_time" "response_code"')
                lines.append("  </Endpoint>")
        lines.append("</Plugin>")
        conf = os.path.join(self.dir, "collectd.conf")
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.out = open(os.path.join(self.dir, "stdout.log"), "wb")
        self.proc = subprocess.Popen([COLLECTD, "-f", "-C", conf], stdout=self.out, stderr=self.out)

    def stop(self):
        stop_process(self.proc, signal.SIGTERM, 60)
        self.out.close()

    def alive(self):
        return self.proc.poll() is None


def urls(server, n, kind, close=False, ms=300):
    base = "http://127.0.0.1:%d/%s/%s" % (server.port, kind, "close/" if close else "")
    suffix = "?ms=%d" % ms if kind == "slow" else ""
    return [base + "%d%s" % (i, suffix) for i in range(n)]


def cpu_run(work, server, so, plugin, n, close):
    """CPU per probe: collectd's CPU time over the probes the server answered."""
    interval = 1
    c = Collectd(work, plugin, so, urls(server, n, "fast", close), interval, read_threads=5)
    time.sleep(5 + n / 2000)  # start-up and the first rounds
    server.stats()
    cpu0, t0 = cpu_seconds(c.proc.pid), time.monotonic()
    time.sleep(CPU_SECONDS)
    cpu1, t1 = cpu_seconds(c.proc.pid), time.monotonic()
    s = server.stats()
    alive = c.alive()
    c.stop()
    probes = s["requests"]
    return {"cpu_s": cpu1 - cpu0, "probes": probes, "seconds": t1 - t0, "alive": alive,
            "us_per_probe": (cpu1 - cpu0) * 1e6 / probes if probes else float("nan"),
            "expected": n * (t1 - t0) / interval}


SLOW_WINDOW_ROUNDS = 3
SLOW_SLACK = 1.05  # a round may end up to 5 % late (0.5 s of 10) and still count


def slow_run(work, server, so, plugin, n, read_threads):
    """How many of n endpoints that take 0.3 s each are probed in every 10 s
    round: over three rounds, none left unasked for longer than 10.5 s."""
    interval = 10
    c = Collectd(work, plugin, so, urls(server, n, "slow"), interval, read_threads=read_threads)
    time.sleep(interval + 3 + n / 2000)
    server.stats()
    time.sleep(SLOW_WINDOW_ROUNDS * interval)
    s = server.stats(gap=interval * SLOW_SLACK)
    rss = rss_kib(c.proc.pid)
    alive = c.alive()
    c.stop()
    return {"kept_up": s["kept_up"], "distinct": s["distinct"],
            "per_round": s["requests"] / SLOW_WINDOW_ROUNDS, "rss_kib": rss, "alive": alive}


def mem_run(work, server, so, plugin, n):
    """Resident memory with n endpoints, fast keep-alive server, Interval 10."""
    c = Collectd(work, plugin, so, urls(server, n, "fast"), 10, read_threads=5)
    time.sleep(25 + n / 1000)
    rss = rss_kib(c.proc.pid)
    alive = c.alive()
    c.stop()
    return {"rss_kib": rss, "alive": alive}


def main():
    so, out_md = sys.argv[1], sys.argv[2]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # 10,000 curl handles, thousands of sockets
    work = tempfile.mkdtemp(prefix="probewise-collectd-bench-")
    server = Server(work)
    results = {"cpu": [], "slow": [], "mem": []}
    try:
        for n in CPU_ENDPOINTS:
            for close in (False, True):
                runs = {"curl": [], "probewise": [], "probewise-2v": []}
                for _ in range(CPU_REPEAT):  # taking turns, so that noise from the host hits all
                    for plugin in runs:
                        r = cpu_run(work, server, so, plugin, n, close)
                        log("cpu %s n=%d keep-alive=%s: %.1f us/probe (%d probes of %d expected)"
                            % (plugin, n, not close, r["us_per_probe"], r["probes"], r["expected"]))
                        runs[plugin].append(r)
                for plugin, rs in runs.items():
                    rs.sort(key=lambda r: r["us_per_probe"])
                    r = dict(rs[len(rs) // 2])
                    r.update(plugin=plugin, n=n, keepalive=not close, all_us=[x["us_per_probe"] for x in rs])
                    results["cpu"].append(r)
        for n in SLOW_ENDPOINTS:
            for plugin, threads in [("curl", t) for t in READ_THREADS] + [("probewise", 5)]:
                r = slow_run(work, server, so, plugin, n, threads)
                r.update(plugin=plugin, n=n, read_threads=threads)
                log("slow %s n=%d ReadThreads=%d: %d of %d probed in every 10 s round (%.0f probes a round)"
                    % (plugin, n, threads, r["kept_up"], n, r["per_round"]))
                results["slow"].append(r)
        for n in MEM_ENDPOINTS:
            for plugin in ("curl", "probewise"):
                r = mem_run(work, server, so, plugin, n)
                r.update(plugin=plugin, n=n)
                log("mem %s n=%d: %d KiB" % (plugin, n, r["rss_kib"]))
                results["mem"].append(r)
    finally:
        server.stop()
        with open(os.path.join(work, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    write_report(results, out_md, work)
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(work, ignore_errors=True)


def collectd_version():
    out = subprocess.run([COLLECTD, "-h"], capture_output=True, text=True).stdout
    return next((l.split(",")[0].strip() for l in out.splitlines() if l.startswith("collectd ")), "collectd")


def write_report(results, path, work):
    lines = ["# collectd plugin: probewise.so beside collectd's curl plugin", "",
             "Written by bench/collectd_bench.sh on %s (%d CPUs; %s)." % (
                 time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(),
                 collectd_version()),
             "", "## CPU per probe (fast local server, Interval 1, %d s measured, median of %d runs)"
             % (CPU_SECONDS, CPU_REPEAT), "",
             "probewise with its defaults dispatches 5 values a probe over plain HTTP on a reused "
             "connection (7 on a new one); \"2 values\" is probewise with `Values \"response_time\" "
             "\"response_code\"`, the two the curl plugin dispatches here.", "",
             "| endpoints | connections | curl plugin µs/probe | probewise µs/probe | ratio "
             "| probewise, 2 values | ratio | probes curl / probewise / 2 values |",
             "|---:|---|---:|---:|---:|---:|---:|---|"]
    for n in CPU_ENDPOINTS:
        for keep in (True, False):
            row = {r["plugin"]: r for r in results["cpu"] if r["n"] == n and r["keepalive"] == keep}
            c, p, v = row.get("curl"), row.get("probewise"), row.get("probewise-2v")
            if not c or not p or not v:
                continue
            lines.append("| %d | %s | %.1f | %.1f | %.2f | %.1f | %.2f | %d / %d / %d of %d |" % (
                n, "keep-alive" if keep else "close", c["us_per_probe"], p["us_per_probe"],
                p["us_per_probe"] / c["us_per_probe"], v["us_per_probe"], v["us_per_probe"] / c["us_per_probe"],
                c["probes"], p["probes"], v["probes"], p["expected"]))
    lines += ["", "## Endpoints that take 0.3 s each, probed in every 10 s round (Interval 10)", "",
              "Endpoints never left unasked for more than %g s over %d rounds (probes a round in brackets)."
              % (10 * SLOW_SLACK, SLOW_WINDOW_ROUNDS), "",
              "| endpoints | curl plugin, ReadThreads " + ", ".join(str(t) for t in READ_THREADS)
              + " | probewise (MaxConcurrency %d) |" % MAX_CONCURRENCY, "|---:|---|---:|"]
    for n in SLOW_ENDPOINTS:
        curl = ", ".join("%d (%.0f)" % (r["kept_up"], r["per_round"]) for r in results["slow"]
                         if r["n"] == n and r["plugin"] == "curl")
        pw = [r for r in results["slow"] if r["n"] == n and r["plugin"] == "probewise"]
        lines.append("| %d | %s | %s |" % (n, curl, "%d (%.0f)" % (pw[0]["kept_up"], pw[0]["per_round"])
                                                         if pw else "-"))
    lines += ["", "## Resident memory (fast keep-alive server, Interval 10, after 25 s)", "",
              "| plugin | " + " | ".join("RSS at %d" % n for n in MEM_ENDPOINTS) + " | per endpoint |",
              "|---|" + "---:|" * (len(MEM_ENDPOINTS) + 1)]
    for plugin in ("curl", "probewise"):
        rows = {r["n"]: r["rss_kib"] for r in results["mem"] if r["plugin"] == plugin}
        if len(rows) < 2:
            continue
        lo, hi = min(rows), max(rows)
        per = (rows[hi] - rows[lo]) * 1024 / (hi - lo)
        lines.append("| %s | %s | %.1f KB |" % (plugin, " | ".join("%.1f MiB" % (rows[n] / 1024) for n in MEM_ENDPOINTS),
                                                per / 1000))
    lines += ["", "Raw numbers: %s/results.json (kept with BENCH_KEEP=1)." % work, ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    log("wrote " + path)


if __name__ == "__main__":
    main()
