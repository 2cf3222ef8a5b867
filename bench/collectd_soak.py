#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""probewise.so under faults, for hours: a real collectd with N endpoints
(bench/fault_server.py) that flip every few minutes between 200, 401, 403,
429, 500, connection reset, a stall past the timeout, a TLS failure, a closed
port and a name that does not resolve. Everything runs in a network
namespace of its own that has only a loopback interface, with its own
dnsmasq on 127.0.0.1 as the only resolver (ip netns exec mounts
/etc/netns/NS/resolv.conf): no query leaves the machine.

    bench/collectd_soak.py --plugin build/collectd_plugin/probewise.so \\
        --endpoints 2000 --duration 3600 --out /tmp/soak

Measures and writes to OUT/result.json (and prints):
  - RSS and open file descriptors of collectd, sampled, as a slope per hour
    after the warm-up (least squares);
  - every change the schedule made against the notifications received: per
    endpoint the sequence of reasons must be the same (each change notified
    exactly once; changes in the last grace period may still be on their way);
  - how long each stalled transfer held its server (must end at the Timeout);
  - the gaps between consecutive probes of an endpoint (the round kept).
  - how long collectd took to stop.

Exit code 0 when every check held, 1 when one did not, 77 when the machine
cannot run it (not root, no ip or dnsmasq).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTD = shutil.which("collectd") or "/usr/sbin/collectd"
PLUGINS = "/usr/lib/collectd"
TYPES_DB = "/usr/share/collectd/types.db"

# What the plugin must say for each mode of fault_server.py.
REASON = {"ok": "ok", "401": "auth.missing_credentials", "403": "forbidden.unspecified",
          "429": "throttled", "500": "http.server_error", "reset": "net.error", "stall": "net.timeout",
          "tls": "tls.handshake", "refused": "net.refused", "nxdomain": "net.dns"}
DNS_CACHE_S = 60  # libcurl's default DNS cache timeout


def match_notifications(got, expected):
    """Pairs each notification (time, reason) with the change it reports, in
    order; an optional expected change (a reset the server may have caused)
    can be skipped. Returns (pairs, None) when every notification matched
    and every change left unmatched may still be on its way, else (pairs so
    far, index of the first notification that did not match)."""
    pairs, j = [], 0
    for i, g in enumerate(got):
        while j < len(expected) and expected[j][4] and expected[j][1] != g[1]:
            j += 1
        if j >= len(expected) or expected[j][1] != g[1]:
            return pairs, i
        pairs.append((g, expected[j]))
        j += 1
    if any(e[2] for e in expected[j:]):
        return pairs, len(got)
    return pairs, None


def log(text):
    print("[soak] " + text, file=sys.stderr, flush=True)


def run(*cmd, check=True):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def slope_per_hour(samples, key, since):
    pts = [(s["t"], s[key]) for s in samples if s["t"] >= since and s.get(key) is not None]
    if len(pts) < 3:
        return None
    n = len(pts)
    mt = sum(t for t, _ in pts) / n
    mv = sum(v for _, v in pts) / n
    den = sum((t - mt) ** 2 for t, _ in pts)
    if den == 0:
        return None
    return sum((t - mt) * (v - mv) for t, v in pts) / den * 3600


class Soak:
    def __init__(self, args):
        self.args = args
        self.out = args.out or tempfile.mkdtemp(prefix="probewise-soak-")
        os.makedirs(self.out, exist_ok=True)
        self.ns = "pwsoak%d" % os.getpid()
        self.procs = []
        self.result = {"endpoints": args.endpoints, "duration_s": args.duration, "interval_s": args.interval,
                       "timeout_s": args.timeout, "flip_s": [args.flip_min, args.flip_max],
                       "max_concurrency": args.max_concurrency}

    def path(self, name):
        return os.path.join(self.out, name)

    def netns(self, *cmd):
        return ["ip", "netns", "exec", self.ns] + list(cmd)

    # --- setting up -------------------------------------------------------------

    def make_namespace(self):
        run("ip", "netns", "add", self.ns)
        run("ip", "-n", self.ns, "link", "set", "lo", "up")
        etc = "/etc/netns/" + self.ns
        os.makedirs(etc, exist_ok=True)
        with open(os.path.join(etc, "resolv.conf"), "w") as f:
            f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:2\n")
        links = run("ip", "-n", self.ns, "-o", "link", "show").stdout
        if len([l for l in links.splitlines() if l.strip()]) != 1:
            raise RuntimeError("the namespace has more than loopback:\n" + links)

    def make_certs(self):
        d = self.path("tls")
        os.makedirs(d, exist_ok=True)
        q = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=d)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=soak CA",
                        "-addext", "basicConstraints=critical,CA:TRUE",
                        "-addext", "keyUsage=critical,keyCertSign"], **q)
        subprocess.run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=*.soak.test"], **q)
        with open(os.path.join(d, "ext"), "w") as f:
            f.write("subjectAltName=DNS:*.soak.test\nextendedKeyUsage=serverAuth\n")
        subprocess.run(["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                        "-CAcreateserial", "-days", "30", "-extfile", "ext", "-out", "server.pem"], **q)
        return os.path.join(d, "ca.pem"), os.path.join(d, "server.pem"), os.path.join(d, "server.key")

    def start(self, name, cmd, env=None):
        out = open(self.path(name + ".log"), "ab")
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
        out.close()
        self.procs.append(p)
        return p

    def start_dnsmasq(self):
        self.hosts = self.path("hosts")
        open(self.hosts, "w").close()
        self.dnsmasq_pid = self.path("dnsmasq.pid")
        self.start("dnsmasq", self.netns(
            "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
            "--addn-hosts=" + self.hosts, "--local=/soak.test/", "--listen-address=127.0.0.1",
            "--bind-interfaces", "--pid-file=" + self.dnsmasq_pid, "--user=root", "--group=root",
            "--log-facility=" + self.path("dnsmasq.messages")))
        deadline = time.monotonic() + 10
        while not (os.path.exists(self.dnsmasq_pid) and os.path.getsize(self.dnsmasq_pid)):
            if time.monotonic() > deadline:
                raise RuntimeError("dnsmasq did not start: see " + self.path("dnsmasq.log"))
            time.sleep(0.05)

    def start_server(self, cert, key):
        self.events = self.path("events.jsonl")
        ready = self.path("server.ready")
        a = self.args
        self.server = self.start("server", self.netns(
            sys.executable, os.path.join(HERE, "fault_server.py"), "--endpoints", str(a.endpoints),
            "--cert", cert, "--key", key, "--hosts", self.hosts, "--dnsmasq-pid", self.dnsmasq_pid,
            "--events", self.events, "--ready", ready, "--flip-min", str(a.flip_min), "--flip-max",
            str(a.flip_max), "--interval", str(a.interval), "--dns-cache", str(DNS_CACHE_S),
            "--seed", str(a.seed), "--https-every", str(a.https_every)))
        deadline = time.monotonic() + 60
        while not os.path.exists(ready):
            if self.server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("fault_server.py did not start: see " + self.path("server.log"))
            time.sleep(0.1)

    def collectd_config(self, ca):
        a = self.args
        plugins = self.path("plugins")
        os.makedirs(plugins, exist_ok=True)
        for p in ("logfile", "python"):
            shutil.copy(os.path.join(PLUGINS, p + ".so"), plugins)
        shutil.copy(a.plugin, os.path.join(plugins, "probewise.so"))
        shutil.copy(os.path.join(HERE, "soak_capture.py"), self.out)
        lines = ['Hostname "soak"', "FQDNLookup false", "Interval %g" % a.interval,
                 'BaseDir "%s"' % self.out, 'PluginDir "%s"' % plugins, 'TypesDB "%s"' % TYPES_DB,
                 "WriteQueueLimitHigh 1000000", "WriteQueueLimitLow 800000",
                 "LoadPlugin logfile", "<Plugin logfile>", "  LogLevel info",
                 '  File "%s"' % self.path("collectd.log"), "  PrintSeverity true", "</Plugin>",
                 "<LoadPlugin python>", "  Globals true", "</LoadPlugin>",
                 "<Plugin python>", '  ModulePath "%s"' % self.out, '  Import "soak_capture"', "</Plugin>",
                 "LoadPlugin probewise", "<Plugin probewise>", "  MaxConcurrency %d" % a.max_concurrency,
                 '  StateDir "%s"' % self.path("state")]
        os.makedirs(self.path("state"), exist_ok=True)
        for i in range(a.endpoints):
            https = i % a.https_every == 0
            url = "%s://ep%d.soak.test:%d/" % ("https" if https else "http", i, 8443 if https else 8080)
            lines += ['  <Endpoint "ep%d">' % i, '    URL "%s"' % url, "    Timeout %g" % a.timeout]
            if https:
                lines.append('    CACert "%s"' % ca)
            lines.append("  </Endpoint>")
        lines.append("</Plugin>")
        conf = self.path("collectd.conf")
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        return conf

    def start_collectd(self, conf):
        env = dict(os.environ, SOAK_NOTIFICATIONS=self.path("notifications.jsonl"), SOAK_GAPS=self.path("gaps.json"))
        # A sanitized plugin (scripts/test.sh's sanitizer trees) in Debian's
        # uninstrumented collectd needs the sanitizer's runtime first.
        if os.environ.get("PROBEWISE_SANITIZER_RUNTIME"):
            env["LD_PRELOAD"] = os.environ["PROBEWISE_SANITIZER_RUNTIME"]
        self.collectd = self.start("collectd", self.netns(COLLECTD, "-f", "-C", conf), env=env)

    # --- running ----------------------------------------------------------------

    def sample(self, pid, t0):
        try:
            with open("/proc/%d/status" % pid) as f:
                status = {l.split(":")[0]: l.split()[1] for l in f if ":" in l and len(l.split()) > 1}
            fds = len(os.listdir("/proc/%d/fd" % pid))
        except OSError:
            return None
        return {"t": round(time.monotonic() - t0, 1), "rss_kb": int(status["VmRSS"]), "fds": fds,
                "threads": int(status["Threads"])}

    def watch(self):
        a = self.args
        t0 = time.monotonic()
        samples = []
        with open(self.path("samples.jsonl"), "a") as f:
            while time.monotonic() - t0 < a.duration:
                if self.collectd.poll() is not None:
                    raise RuntimeError("collectd exited with %s: see %s" % (self.collectd.returncode,
                                                                           self.path("collectd.log")))
                s = self.sample(self.collectd.pid, t0)
                if s:
                    samples.append(s)
                    f.write(json.dumps(s) + "\n")
                    f.flush()
                time.sleep(min(a.sample_every, max(0.1, a.duration - (time.monotonic() - t0))))
        return samples

    def stop_collectd(self):
        t = time.monotonic()
        self.collectd.send_signal(signal.SIGTERM)
        try:
            self.collectd.wait(60)
        except subprocess.TimeoutExpired:
            self.collectd.kill()
            self.collectd.wait()
        return time.monotonic() - t

    def cleanup(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        run("ip", "netns", "del", self.ns, check=False)
        shutil.rmtree("/etc/netns/" + self.ns, ignore_errors=True)

    # --- judging ----------------------------------------------------------------

    def judge(self, samples, stop_s, end_wall, start_wall):
        a = self.args
        r = self.result
        checks = {}
        warm = max(a.warmup, a.duration * 0.1)
        r["samples"] = len(samples)
        if samples:
            r["rss_kb"] = {"first": samples[0]["rss_kb"], "after_warmup": next(
                (s["rss_kb"] for s in samples if s["t"] >= warm), None), "last": samples[-1]["rss_kb"],
                "max": max(s["rss_kb"] for s in samples)}
            r["fds"] = {"after_warmup": next((s["fds"] for s in samples if s["t"] >= warm), None),
                        "last": samples[-1]["fds"], "max": max(s["fds"] for s in samples)}
        r["rss_kb_per_hour"] = slope_per_hour(samples, "rss_kb", warm)
        r["fds_per_hour"] = slope_per_hour(samples, "fds", warm)
        r["stop_s"] = round(stop_s, 3)

        # Changes made vs notifications received, endpoint by endpoint.
        modes, stalls, lags, resets_on_close = {}, [], [], 0
        with open(self.events) as f:
            for line in f:
                e = json.loads(line)
                if "reset_on_close" in e:
                    # The server closed a listener with connections queued:
                    # a reset before the flip it made may be seen, or not.
                    modes.setdefault(e["ep"], []).append((e["t"], "reset_on_close"))
                    resets_on_close += 1
                elif "stall" in e:
                    stalls.append(e["stall"])
                elif "lag" in e:
                    lags.append((e["t"], e["lag"]))
                elif e.get("ep", -1) >= 0:
                    modes.setdefault(e["ep"], []).append((e["t"], e["mode"]))
        notes = {}
        with open(self.path("notifications.jsonl")) as f:
            for line in f:
                n = json.loads(line)
                if n["ep"].startswith("ep"):
                    notes.setdefault(int(n["ep"][2:]), []).append((n["t"], n["meta"].get("reason")))
        grace = a.interval + a.timeout + 5
        made = notified = matched = 0
        mismatches, delays = [], {}
        for ep in range(a.endpoints):
            seq = modes.get(ep, [])
            expected = []  # (time, reason, must be seen, mode, optional)
            for k, (t, m) in enumerate(seq):
                if k == 0 and m == "ok":
                    continue  # a healthy start is no news
                if m == "reset_on_close":
                    expected.append((t, REASON["reset"], False, "reset", True))
                    continue
                lag = DNS_CACHE_S if m == "nxdomain" else 0
                expected.append((t, REASON[m], t + lag + grace < end_wall, m, False))
            got = notes.get(ep, [])
            made += sum(1 for e in expected if e[2])
            notified += len(got)
            pairs, first = match_notifications(got, expected)
            if first is not None:
                at = got[first][0] if first < len(got) else None
                # Whether the fault server's own loop was late (by more than
                # a second) within the Timeout before that notification.
                server_late = at is not None and any(
                    at - a.timeout - a.interval - 1 <= t <= at and lag >= 1 for t, lag in lags)
                mismatches.append({"ep": ep, "first_difference": first, "at_s": round(at - start_wall)
                                   if at is not None else None,
                                   "expected": [(e[3], e[1]) for e in expected[max(0, first - 1):first + 2]],
                                   "got": [g[1] for g in got[max(0, first - 1):first + 2]],
                                   "server_loop_late": server_late})
                continue
            for g, e in pairs:
                matched += 1
                d = g[0] - e[0]
                delays[e[3]] = max(delays.get(e[3], 0), d)
        r["changes_made"] = made
        r["notifications"] = notified
        r["changes_matched"] = matched
        r["endpoints_mismatched"] = len(mismatches)
        r["resets_on_close"] = resets_on_close
        r["mismatched_while_server_late"] = sum(1 for m in mismatches if m["server_loop_late"])
        r["server_loop_late_events"] = len(lags)
        r["server_loop_worst_lag_s"] = max((lag for _, lag in lags), default=0)
        r["mismatch_examples"] = mismatches[:10]
        r["worst_notification_delay_s"] = {k: round(v, 1) for k, v in sorted(delays.items())}
        checks["every change notified exactly once"] = not mismatches and matched >= made

        r["stalls"] = len(stalls)
        r["worst_stall_s"] = max(stalls) if stalls else None
        checks["no transfer past its timeout"] = not stalls or max(stalls) <= a.timeout + 1.0

        with open(self.path("gaps.json")) as f:
            gaps = json.load(f)
        hist = [(b * gaps["bin_seconds"], c) for b, c in gaps["histogram"]]
        total = sum(c for _, c in hist)
        acc, p99 = 0, None
        for g, c in hist:
            acc += c
            if p99 is None and acc >= total * 0.99:
                p99 = g
        worst = gaps["worst"][0][0] if gaps["worst"] else None
        r["probe_gaps"] = total
        r["gap_p99_s"] = round(p99, 1) if p99 is not None else None
        r["worst_gap_s"] = round(worst, 2) if worst is not None else None
        r["worst_lateness_s"] = round(worst - a.interval, 2) if worst is not None else None
        r["gaps_over_interval_plus_timeout"] = sum(c for g, c in hist if g > a.interval + a.timeout + 0.5)
        r["endpoints_probed"] = gaps["endpoints"]
        r["wall_clock_step_s"] = gaps.get("clock_step_s")
        checks["every endpoint probed"] = gaps["endpoints"] == a.endpoints
        checks["the round kept"] = worst is not None and worst <= a.interval + a.timeout + a.lateness_slack
        checks["stops within 2 s"] = stop_s <= 2.0
        if r["rss_kb_per_hour"] is not None and a.duration >= 1800:
            checks["RSS flat"] = abs(r["rss_kb_per_hour"]) <= a.max_rss_slope_kb
            checks["fds flat"] = abs(r["fds_per_hour"] or 0) <= a.max_fd_slope
        with open(self.path("collectd.log"), errors="replace") as f:
            errors = [l.strip() for l in f if "[error]" in l]
        r["collectd_errors"] = errors[:10]
        checks["no error logged"] = not errors
        r["checks"] = checks
        return all(checks.values())

    def main(self):
        a = self.args
        try:
            self.make_namespace()
            ca, cert, key = self.make_certs()
            self.start_dnsmasq()
            self.start_server(cert, key)
            conf = self.collectd_config(ca)
            log("%d endpoints, interval %gs, timeout %gs, flips every %g-%gs, for %gs; files in %s"
                % (a.endpoints, a.interval, a.timeout, a.flip_min, a.flip_max, a.duration, self.out))
            self.start_collectd(conf)
            start_wall = time.time()
            samples = self.watch()
            end_wall = time.time()
            stop_s = self.stop_collectd()
            ok = self.judge(samples, stop_s, end_wall, start_wall)
        finally:
            self.cleanup()
        with open(self.path("result.json"), "w") as f:
            json.dump(self.result, f, indent=1)
        print(json.dumps(self.result, indent=1))
        return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--plugin", required=True)
    p.add_argument("--endpoints", type=int, default=2000)
    p.add_argument("--duration", type=float, default=3600)
    p.add_argument("--interval", type=float, default=10)
    p.add_argument("--timeout", type=float, default=2)
    p.add_argument("--flip-min", type=float, default=120)
    p.add_argument("--flip-max", type=float, default=300)
    p.add_argument("--https-every", type=int, default=4)
    p.add_argument("--max-concurrency", type=int, default=256)
    p.add_argument("--sample-every", type=float, default=15)
    p.add_argument("--warmup", type=float, default=300, help="seconds left out of the slopes")
    p.add_argument("--lateness-slack", type=float, default=2,
                   help="how much longer than interval + timeout a gap may be")
    p.add_argument("--max-rss-slope-kb", type=float, default=2048, help="KB per hour")
    p.add_argument("--max-fd-slope", type=float, default=2, help="fds per hour")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out")
    args = p.parse_args()
    missing = [t for t in ("ip", "dnsmasq", "openssl") if not shutil.which(t)]
    if os.geteuid() != 0 or missing or not os.path.exists(COLLECTD):
        print("soak: needs root, ip, dnsmasq, openssl and collectd (missing: %s): skipped"
              % (", ".join(missing) or "root"))
        return 77
    # SIGTERM (nohup'ed runs, ctest's timeout) ends the run through the
    # clean-up: the namespace, dnsmasq, the server and collectd go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return Soak(args).main()


if __name__ == "__main__":
    sys.exit(main())
