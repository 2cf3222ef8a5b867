# SPDX-License-Identifier: GPL-2.0-or-later
"""collectd python module of bench/collectd_soak.py: every notification as a
JSON line (SOAK_NOTIFICATIONS), and for every endpoint the times of its
gauge-state values, summed up as the gaps between consecutive probes
(SOAK_GAPS, rewritten every 30 s and at shutdown): the round is kept when no
gap is much longer than the interval.

A gap is the shorter of two measures: between the values' own times (the
plugin's wall clock when each check finished) and between their arrivals
here (the monotonic clock, which includes collectd's write queue). A step of
the wall clock (a virtual machine's clock set while the run goes on) makes
the first long, a slow write queue the second; a missed round makes both
long. The largest step seen is reported as clock_step_s."""

import json
import os
import threading
import time

import collectd

NOTIFICATIONS = os.environ["SOAK_NOTIFICATIONS"]
GAPS = os.environ["SOAK_GAPS"]
BIN = 0.1  # seconds per histogram bin

lock = threading.Lock()
last = {}           # endpoint -> (value time, monotonic arrival)
clock = {"offset": None, "step": 0.0}  # wall minus monotonic: first seen, largest change
worst = {}          # endpoint -> (gap, at)
histogram = {}      # bin -> count
values = [0]


def write(vl, data=None):
    if vl.plugin != "probewise" or vl.type != "gauge" or vl.type_instance != "state":
        return
    with lock:
        values[0] += 1
        arrived = time.monotonic()
        offset = time.time() - arrived
        if clock["offset"] is None:
            clock["offset"] = offset
        clock["step"] = max(clock["step"], abs(offset - clock["offset"]))
        before = last.get(vl.plugin_instance)
        last[vl.plugin_instance] = (vl.time, arrived)
        if before is None:
            return
        gap = min(vl.time - before[0], arrived - before[1])
        b = int(gap / BIN)
        histogram[b] = histogram.get(b, 0) + 1
        if gap > worst.get(vl.plugin_instance, (0, 0))[0]:
            worst[vl.plugin_instance] = (gap, vl.time)


def notify(n):
    with lock:
        with open(NOTIFICATIONS, "a") as f:
            f.write(json.dumps({"t": n.time, "severity": n.severity, "ep": n.plugin_instance,
                                "message": n.message, "meta": dict(n.meta)}) + "\n")


def dump(data=None):
    with lock:
        out = {"values": values[0], "endpoints": len(last), "bin_seconds": BIN,
               "clock_step_s": round(clock["step"], 3),
               "histogram": sorted(histogram.items()),
               "worst": sorted(((g, at, ep) for ep, (g, at) in worst.items()), reverse=True)[:20]}
    tmp = GAPS + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, GAPS)


collectd.register_write(write)
collectd.register_notification(notify)
collectd.register_read(dump, 30)
collectd.register_shutdown(dump)
