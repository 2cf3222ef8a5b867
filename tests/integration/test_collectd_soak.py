#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The bounded version of bench/collectd_soak.py for CI: a few hundred
endpoints flipping between faults (200, 401, 403, 429, 500, reset, stall,
TLS failure, refused, a name that does not resolve) for a few minutes, in a
network namespace with its own resolver. Every change is notified exactly
once, no transfer outlives its Timeout, the round is kept, every endpoint is
probed, collectd stops within 2 s and logs no error.

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/integration/test_collectd_soak.py -v

PROBEWISE_SOAK_ENDPOINTS (200) and PROBEWISE_SOAK_SECONDS (150) size it.
Exit code 77 (ctest: skipped) without root, ip, dnsmasq or collectd.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from collectd_run import PLUGIN, SANITIZE, main_or_skip  # noqa: E402

SOAK = os.path.normpath(os.path.join(HERE, "..", "..", "bench", "collectd_soak.py"))
ENDPOINTS = int(os.environ.get("PROBEWISE_SOAK_ENDPOINTS", "100" if SANITIZE else "200"))
SECONDS = int(os.environ.get("PROBEWISE_SOAK_SECONDS", "150"))


class Soak(unittest.TestCase):
    def test_bounded_soak(self):
        out = tempfile.mkdtemp(prefix="probewise-soak-")
        try:
            # Timeouts and intervals with room for a loaded CI machine: a
            # server slower than the Timeout would be a change of its own.
            cmd = [sys.executable, SOAK, "--plugin", PLUGIN, "--endpoints", str(ENDPOINTS), "--duration",
                   str(SECONDS), "--interval", "3", "--timeout", "2", "--flip-min", "15", "--flip-max", "30",
                   "--sample-every", "5", "--warmup", "20", "--out", out,
                   "--lateness-slack", "4" if SANITIZE else "2"]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=SECONDS + 240)
            if p.returncode == 77:
                self.skipTest(p.stdout.strip())
            with open(os.path.join(out, "result.json")) as f:
                r = json.load(f)
            summary = {k: r.get(k) for k in ("changes_made", "notifications", "changes_matched",
                                             "endpoints_mismatched", "worst_stall_s", "worst_lateness_s",
                                             "stop_s", "rss_kb", "fds", "worst_notification_delay_s",
                                             "wall_clock_step_s", "resets_on_close")}
            print("\n" + json.dumps(summary), file=sys.stderr)
            self.assertEqual(p.returncode, 0 if all(r["checks"].values()) else 1, p.stdout[-3000:])
            failed = [k for k, ok in r["checks"].items() if not ok]
            self.assertEqual(failed, [], json.dumps(r, indent=1)[-4000:])
            self.assertGreater(r["changes_made"], ENDPOINTS, "the schedule flipped every endpoint at least once")
            self.assertGreater(r["stalls"], 0, "stalls happened and were timed")
            self.assertEqual(r["endpoints_probed"], ENDPOINTS)
        finally:
            if not os.environ.get("PROBEWISE_KEEP_TMP"):
                shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main_or_skip(unittest.main)
