#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""probewise.so in a real collectd under faults of its own host: stopped with
thousands of transfers in flight, an open-file limit below MaxConcurrency.

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/integration/test_collectd_faults.py -v

PROBEWISE_INFLIGHT sets how many transfers are in flight at the stop (10000;
the sanitizer stage uses fewer: every handle costs it several times more).
Exit code 77 (ctest: skipped) when collectd is not installed.
"""

import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import collectd_run  # noqa: E402
from collectd_run import SANITIZE, main_or_skip, open_fds, proc_status  # noqa: E402

INFLIGHT = int(os.environ.get("PROBEWISE_INFLIGHT", "2000" if SANITIZE else "10000"))


Env = collectd_run.Servers("probewise-faults-")
setUpModule = Env.up
tearDownModule = Env.down


def Collectd(name, endpoints, **kw):
    state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
    return collectd_run.Collectd(Env.tmp, name, endpoints, state, **kw)


class Shutdown(unittest.TestCase):
    """SIGTERM with every transfer in flight: collectd is gone within 2 s."""

    def test_stop_with_transfers_in_flight(self):
        # A listener that never accepts: the kernel completes what its backlog
        # holds, the rest wait in SYN retries; none ever gets an answer.
        sink = socket.socket()
        sink.bind(("127.0.0.1", 0))
        sink.listen(65535)
        port = sink.getsockname()[1]
        try:
            eps = [("s%05d" % i, ['URL "http://127.0.0.1:%d/p%d"' % (port, i), "Timeout 120", "Interval 2",
                                  "PersistState false"])
                   for i in range(INFLIGHT)]
            # As many descriptors as this machine lets a process have (the
            # hard limit cannot be raised without CAP_SYS_RESOURCE; 20,000 in
            # the sandbox this was written in): every transfer's socket comes
            # first, the connections kept for the next round get the rest
            # (fd_budget.h), so 10,000 fit in 20,000.
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            nofile = min(3 * INFLIGHT + 1024, hard if hard != resource.RLIM_INFINITY else 1 << 20)
            c = Collectd("shutdown", eps, python=False, max_concurrency=INFLIGHT, nofile=nofile)
            started = c.wait_for("the plugin's start", lambda: re.search(
                r"probing %d endpoints, at most (\d+) at once" % INFLIGHT, c.log_text()), timeout=60)
            at_once = int(started.group(1))
            room = nofile - max(32, nofile // 8) - 64  # reserve, and what collectd holds open at init
            self.assertGreaterEqual(at_once, min(INFLIGHT, room * 4 // 5), c.log_text()[-2000:])
            # Every endpoint falls due within its first interval (2 s) and none ends.
            c.wait_for("%d transfers in flight" % at_once,
                       lambda: open_fds(c.pid()) >= at_once, timeout=120 if SANITIZE else 60)
            held = open_fds(c.pid())
            t = time.monotonic()
            rc = c.stop(timeout=60)
            took = time.monotonic() - t
            self.assertEqual(rc, 0, c.log_text()[-2000:])
            self.assertLess(took, 2.0 if not SANITIZE else 10.0,
                            "collectd took %.2f s to stop with %d sockets open" % (took, held))
            log = c.log_text()
            self.assertNotIn("[error]", log)
            # The shutdown callback's own account: every transfer was still in flight.
            summary = re.search(r"probewise plugin: stopped in ([\d.]+) ms: (\d+) transfers in flight stopped.*",
                                log)
            self.assertIsNotNone(summary, log[-2000:])
            self.assertEqual(int(summary.group(2)), at_once, summary.group(0))
            print("\nstopped with %d transfers in flight (%d descriptors open) in %.2f s; %s"
                  % (at_once, held, took, summary.group(0)), file=sys.stderr)
        finally:
            sink.close()


BLACKHOLE = """
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
open(__import__("sys").argv[1], "w").close()
while True:
    s.recvfrom(4096)  # every query is read and never answered
"""


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("ip"), "needs root and ip (a network namespace)")
class ShutdownWhileResolving(unittest.TestCase):
    """SIGTERM while every probe waits for a resolver that never answers (in
    a network namespace whose only resolver is a black hole): libcurl's
    resolver threads must not hold collectd up."""

    def test_stop_while_names_resolve(self):
        ns = "pwfaults%d" % os.getpid()
        etc = "/etc/netns/" + ns
        subprocess.run(["ip", "netns", "add", ns], check=True)
        hole = None
        try:
            subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
            os.makedirs(etc, exist_ok=True)
            with open(os.path.join(etc, "resolv.conf"), "w") as f:
                f.write("nameserver 127.0.0.1\noptions timeout:30 attempts:3\n")
            ready = os.path.join(Env.tmp, "blackhole.ready")
            hole = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", BLACKHOLE, ready])
            deadline = time.monotonic() + 10
            while not os.path.exists(ready) and time.monotonic() < deadline:
                time.sleep(0.05)
            eps = [("r%03d" % i, ['URL "http://name%d.blackhole.test/"' % i, "Timeout 60", "Interval 2",
                                  "PersistState false"]) for i in range(200)]
            c = Collectd("resolving", eps, python=False, max_concurrency=200, prefix=["ip", "netns", "exec", ns])
            c.wait_for("the plugin's start", lambda: "probing 200 endpoints" in c.log_text(), timeout=30)
            # Every probe is due within 2 s; give them time to reach the resolver.
            c.wait_for("resolver threads", lambda: proc_status(c.pid(), "Threads") >= 100, timeout=30)
            threads = proc_status(c.pid(), "Threads")
            t = time.monotonic()
            rc = c.stop(timeout=120)
            took = time.monotonic() - t
            self.assertEqual(rc, 0)
            self.assertLess(took, 2.0 if not SANITIZE else 10.0,
                            "collectd took %.2f s to stop with %d threads waiting for names" % (took, threads))
            print("\nstopped with %d threads (resolving) in %.2f s" % (threads, took), file=sys.stderr)
        finally:
            if hole:
                hole.kill()
                hole.wait()
            subprocess.run(["ip", "netns", "del", ns])
            shutil.rmtree(etc, ignore_errors=True)


class FileLimit(unittest.TestCase):
    """ulimit -n below what MaxConcurrency needs: one clear line, and the
    endpoints are still probed, as many at once as the limit allows."""

    def test_low_nofile(self):
        test = "http://127.0.0.1:%d" % Env.test_port
        eps = [("f%02d" % i, ['URL "%s/slow?ms=200"' % test, "Timeout 5"]) for i in range(20)]
        c = Collectd("nofile", eps, python=False, max_concurrency=256, nofile=64)
        try:
            c.wait_for("every endpoint probed", lambda: all(
                c.value(name, "gauge-state") is not None for name, _ in eps), timeout=60)
            time.sleep(3)
            for name, _ in eps:
                self.assertEqual(c.value(name, "bool-up"), 1, name)
                self.assertEqual(c.value(name, "response_code"), 200, name)
            log = c.log_text()
            lines = [l for l in log.splitlines() if "MaxConcurrency 256 needs" in l]
            self.assertEqual(len(lines), 1, log[-3000:])
            self.assertIn("[warning] probewise plugin: ", lines[0])
            self.assertRegex(lines[0], r"the limit is 64 \(ulimit -n; \d+ open already\): probing at most \d+ at once")
            self.assertIn("probing 20 endpoints, at most %s at once"
                          % re.search(r"probing at most (\d+) at once", lines[0]).group(1), log)
            self.assertNotIn("Too many open files", log)
        finally:
            self.assertEqual(c.stop(), 0)


if __name__ == "__main__":
    main_or_skip(unittest.main)
