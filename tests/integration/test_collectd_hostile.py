#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The check's hostile servers (tests/servers/testserver.py) against
probewise.so in a real collectd, all at once beside healthy endpoints: each
hostile endpoint gets its verdict within its Timeout, the healthy ones keep
their one-second round, and collectd's memory stays bounded.

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/integration/test_collectd_hostile.py -v

PROBEWISE_HOSTILE_SECONDS: how long the mix runs (default 30).
Exit code 77 (ctest: skipped) when collectd is not installed.
"""

import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import collectd_run  # noqa: E402
from collectd_run import SANITIZE, by_instance, main_or_skip, proc_status  # noqa: E402

SECONDS = int(os.environ.get("PROBEWISE_HOSTILE_SECONDS", "30"))
TIMEOUT = 2

# endpoint: (path, https?, the reasons its verdict may have). Where curl may
# take a misbehaviour either way (headers it accepts or refuses), both count.
HOSTILE = {
    "drip": ("/drip", False, {"net.timeout"}),
    "endless": ("/endless", False, {"net.timeout", "ok"}),
    "loop": ("/loop", False, {"http.redirect", "net.error"}),
    "hugeheaders": ("/hugeheaders", False, {"ok", "net.error"}),
    "manyheaders": ("/manyheaders", False, {"ok", "net.error"}),
    "garbage": ("/garbage", False, {"net.error"}),
    "reset": ("/reset", False, {"net.error"}),
    "stall": ("/timeout", False, {"net.timeout"}),
    "shortbody": ("/shortbody", False, {"net.error"}),
    "gzipbomb": ("/gzipbomb", False, {"ok", "net.error"}),
    "badstatus": ("/badstatus", False, {"net.error"}),
    "tls_to_plain": ("/", True, {"tls.handshake", "net.error"}),
}


Env = collectd_run.Servers("probewise-hostile-")
setUpModule = Env.up
tearDownModule = Env.down


def csv_rows(c, endpoint, metric):
    path = os.path.join(c.dir, "csv", collectd_run.HOST, "probewise-" + endpoint)
    rows = []
    if not os.path.isdir(path):
        return rows
    for f in sorted(os.listdir(path)):
        if f.startswith(metric + "-"):
            with open(os.path.join(path, f)) as fh:
                rows += [float(l.split(",")[0]) for l in fh if l[:1].isdigit()]
    # In time order: collectd's write threads may append two rounds of one
    # endpoint that reached them in one batch the other way round.
    return sorted(rows)


class Hostile(unittest.TestCase):
    def test_every_hostile_server_at_once(self):
        http = "http://127.0.0.1:%d" % Env.test_port
        https = "https://127.0.0.1:%d" % Env.test_port  # TLS to the plain port
        eps = []
        for name, (path, tls, _) in sorted(HOSTILE.items()):
            keys = ['URL "%s%s"' % (https if tls else http, path), "Timeout %d" % TIMEOUT]
            if name == "loop":
                keys += ["FollowRedirects true", "MaxRedirects 5"]
            if name == "gzipbomb":
                keys += ['Header "Accept-Encoding: gzip"']
            eps.append((name, keys))
        healthy = ["healthy%d" % i for i in range(3)]
        eps += [(name, ['URL "%s/"' % http, "Timeout %d" % TIMEOUT]) for name in healthy]
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
        offsets = [collectd_run.wall_clock_offset()]
        c = collectd_run.Collectd(Env.tmp, "hostile", eps, state)
        try:
            c.wait_for("a verdict from every endpoint", lambda: all(
                c.value(name, "gauge-state") is not None for name, _ in eps), timeout=30)
            started = time.monotonic()
            rss = []
            while time.monotonic() - started < SECONDS:
                rss.append(proc_status(c.pid(), "VmRSS"))
                offsets.append(collectd_run.wall_clock_offset())
                time.sleep(1)
            offsets.append(collectd_run.wall_clock_offset())
            clock_step = max(offsets) - min(offsets)
            notes = c.notifications()
            seen = {}
            for name, (path, tls, reasons) in HOSTILE.items():
                with self.subTest(endpoint=name):
                    mine = by_instance(notes, name)
                    # An OK start is no news: no notification, and state 0.
                    got = {n["meta"].get("reason") for n in mine} or (
                        {"ok"} if c.value(name, "gauge-state") == 0 else {"no verdict"})
                    seen[name] = sorted(got)
                    self.assertTrue(got <= reasons, "%s: %s, expected one of %s: %s"
                                    % (name, got, reasons, [n["message"] for n in mine]))
                    # Every probe ends by its Timeout: the endpoint's values keep coming.
                    times = csv_rows(c, name, "gauge-state")
                    self.assertGreaterEqual(len(times), SECONDS // (TIMEOUT + 1), (name, len(times)))
            for name in healthy:
                with self.subTest(endpoint=name):
                    self.assertEqual(by_instance(notes, name), [], "healthy stays healthy")
                    times = csv_rows(c, name, "gauge-state")
                    gaps = [b - a for a, b in zip(times, times[1:])]
                    # Sanitized builds run several times slower (TSan 5-15x).
                    # The values carry the wall clock: a step of it adds to one gap.
                    limit = (1.6 if not SANITIZE else 3.0) + clock_step
                    self.assertTrue(gaps and max(gaps) < limit, "the healthy round (1 s) is kept: worst gap %.2f s "
                                    "(limit %.1f s, wall clock stepped %.2f s), at %d of %d: %s" % (
                                        max(gaps or [0]), limit, clock_step, gaps.index(max(gaps)) if gaps else -1,
                                        len(gaps), [round(g, 2) for g in gaps]))
            # Memory: the gzip bomb, the endless body and the huge headers
            # are all capped; after the first rounds RSS stays where it is.
            half = len(rss) // 2
            grown = max(rss[half:]) - max(rss[:half])
            self.assertLess(grown, 8 * 1024 if not SANITIZE else 64 * 1024,
                            "RSS grew by %d KB in the second half: %s" % (grown, rss))
            self.assertLess(max(rss), 150 * 1024 if not SANITIZE else 1024 * 1024, rss)
            print("\nverdicts: %s\nRSS KB: first %d, max %d, last %d" % (seen, rss[0], max(rss), rss[-1]),
                  file=sys.stderr)
        finally:
            self.assertEqual(c.stop(), 0)


if __name__ == "__main__":
    main_or_skip(unittest.main)
