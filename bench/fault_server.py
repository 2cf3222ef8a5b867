#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Endpoints that flip between faults, for bench/collectd_soak.py.

Endpoint i listens on its own loopback address (127.1.x.y, port 8080 for
http and 8443 for https) under the name ep<i>.soak.test, which the soak's
own dnsmasq answers from a hosts file this server rewrites. Each endpoint
holds one mode for a random dwell time, then moves to a different one:

    ok 401 403 429 500   an answer with that status (Connection: close)
    reset                the request is read, then the connection is reset
    stall                the request is read and never answered
    tls                  (https only) plain text where a TLS handshake belongs
    refused              the listener is closed
    nxdomain             the name is removed from the resolver

Every connection gets a fresh answer in the mode of that moment. A name
leaves the resolver only for longer than libcurl's DNS cache lives (60 s)
plus two intervals: a shorter removal could never be seen. While a name is
away, the endpoint keeps serving its previous mode, as a real server would.

Writes one JSON line per event to --events: {"t", "ep", "mode"} for every
mode taken (the first ones at start), and {"t", "ep", "stall": seconds} for
every stalled connection when the client gives up (how long the probe kept
it), {"t", "lag": seconds} when its own loop woke more than 0.25 s late,
{"t", "ep", "reset_on_close": n} when closing a listener reset n queued
connections (see close_listener).
Runs until SIGTERM or --duration seconds.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import ssl
import struct
import sys
import time

HTTP_MODES = ["ok", "401", "403", "429", "500", "reset", "stall", "refused", "nxdomain"]
HTTPS_MODES = HTTP_MODES + ["tls"]
STATUS = {"ok": (200, "OK", b"ok\n", []),
          "401": (401, "Unauthorized", b"unauthorized\n", []),
          "403": (403, "Forbidden", b"forbidden\n", []),
          "429": (429, "Too Many Requests", b"slow down\n", [("Retry-After", "60")]),
          "500": (500, "Internal Server Error", b"oops\n", [])}


def accept_queue(sock):
    """Connections the kernel has completed for a listening socket and the
    program has not accepted yet (Linux: tcp_info.tcpi_unacked of a listener)."""
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    except OSError:
        return 0
    return struct.unpack_from("I", info, 24)[0]


def address(i):
    return "127.1.%d.%d" % (i // 250, i % 250 + 1)


def name(i):
    return "ep%d.soak.test" % i


class Endpoint:
    def __init__(self, index, https):
        self.index = index
        self.https = https
        self.mode = None        # what the server does
        self.before = None      # the mode before it
        self.listening = None   # asyncio server, None while refused
        self.listening_tls = False
        self.resolvable = True
        self.next_flip = 0.0


class FaultServer:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.events = open(args.events, "a", buffering=1)
        self.tls = None
        if args.cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(args.cert, args.key)
        self.endpoints = [Endpoint(i, self.tls is not None and i % args.https_every == 0)
                          for i in range(args.endpoints)]
        self.hosts_dirty = True
        self.stalled = set()

    def log(self, **event):
        event["t"] = round(time.time(), 3)
        self.events.write(json.dumps(event) + "\n")

    # --- connections ------------------------------------------------------

    async def read_request(self, reader):
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            return True
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError,
                ssl.SSLError, OSError):
            return False

    async def serve(self, ep, tls_failure, reader, writer):
        mode = ep.mode
        try:
            if tls_failure:
                writer.write(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nthis is not TLS\n")
                await writer.drain()
                return
            if mode in ("tls", "refused"):
                # Accepted by the listener while it closed (close_listener
                # lets the queued connections in after take() set the new
                # mode): served in the old mode, not closed without an answer.
                mode = ep.before
            if not await self.read_request(reader):
                return
            if ep.mode in STATUS or ep.mode in ("reset", "stall"):
                mode = ep.mode  # the mode when the request arrived
            if mode in STATUS:
                code, phrase, body, extra = STATUS[mode]
                head = "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n" % (
                    code, phrase, len(body))
                head += "".join("%s: %s\r\n" % h for h in extra)
                writer.write(head.encode() + b"\r\n" + body)
                await writer.drain()
            elif mode == "reset":
                sock = writer.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            elif mode == "stall":
                # Held until the client gives up.
                started = time.monotonic()
                self.stalled.add(writer)
                try:
                    await reader.read()
                finally:
                    self.stalled.discard(writer)
                self.log(ep=ep.index, stall=round(time.monotonic() - started, 3))
        except (ConnectionError, OSError, asyncio.TimeoutError, ssl.SSLError):
            pass
        except asyncio.CancelledError:
            raise
        finally:
            try:
                writer.close()
            except Exception:
                pass

    async def close_listener(self, ep):
        """Closing a listener resets the connections the kernel has queued
        for it: let the loop accept those first (they are served in the old
        mode), so that a flip is one change and not a reset on the way. The
        queue is read from the listening socket (TCP_INFO: tcpi_unacked is
        its accept queue); what is still queued after 0.5 s is logged as
        {"ep", "reset_on_close": n}: a reset the client may rightly report."""
        queued = 0
        for _ in range(100):
            await asyncio.sleep(0.005 if queued else 0)
            queued = sum(accept_queue(s) for s in ep.listening.sockets)
            if not queued:
                break
        ep.listening.close()
        ep.listening = None
        if queued:
            self.log(ep=ep.index, reset_on_close=queued)

    async def listen(self, ep, mode):
        """(Re)opens the endpoint's listener: TLS for an https endpoint,
        except in the tls mode, where plain text answers the handshake."""
        tls = self.tls if ep.https and mode != "tls" else None
        if ep.listening is not None and ep.listening_tls is (tls is not None):
            return
        if ep.listening is not None:
            await self.close_listener(ep)
        port = 8443 if ep.https else 8080
        failure = ep.https and tls is None
        ep.listening = await asyncio.start_server(lambda r, w: self.serve(ep, failure, r, w), address(ep.index), port,
                                                  backlog=128, reuse_address=True, ssl=tls,
                                                  ssl_handshake_timeout=30 if tls else None)
        ep.listening_tls = tls is not None

    # --- the schedule -------------------------------------------------------

    def dwell(self, mode):
        d = self.rng.uniform(self.args.flip_min, self.args.flip_max)
        if mode == "nxdomain":
            d = max(d, self.args.dns_cache + 2 * self.args.interval + 5)
        return d

    async def take(self, ep, mode, now):
        old = ep.mode
        ep.next_flip = now + self.dwell(mode)
        if mode == "nxdomain":
            # The server keeps its previous behaviour; the name goes away.
            ep.resolvable = False
            self.hosts_dirty = True
            ep.mode = old if old not in (None, "nxdomain") else "ok"
            ep.shown = "nxdomain"
            self.log(ep=ep.index, mode="nxdomain")
            return
        ep.shown = mode
        ep.before = ep.mode
        ep.mode = mode
        if mode == "refused":
            if ep.listening:
                await self.close_listener(ep)
        else:
            await self.listen(ep, mode)
        if not ep.resolvable:
            ep.resolvable = True
            self.hosts_dirty = True
        self.log(ep=ep.index, mode=mode)

    def pick(self, ep):
        modes = HTTPS_MODES if ep.https else HTTP_MODES
        current = getattr(ep, "shown", None)
        return self.rng.choice([m for m in modes if m != current])

    def write_hosts(self):
        tmp = self.args.hosts + ".tmp"
        with open(tmp, "w") as f:
            for ep in self.endpoints:
                if ep.resolvable:
                    f.write("%s %s\n" % (address(ep.index), name(ep.index)))
        os.replace(tmp, self.args.hosts)
        if self.args.dnsmasq_pid:
            try:
                with open(self.args.dnsmasq_pid) as f:
                    os.kill(int(f.read().strip()), signal.SIGHUP)
            except (OSError, ValueError):
                pass
        self.hosts_dirty = False

    async def run(self):
        now = time.time()
        for ep in self.endpoints:
            await self.take(ep, "ok" if self.rng.random() < self.args.start_ok else self.pick(ep), now)
            # Spread the first flips over the first dwell.
            ep.next_flip = now + self.rng.uniform(self.args.flip_min / 2, self.args.flip_max)
        self.write_hosts()
        with open(self.args.ready, "w") as f:
            f.write("ready\n")
        end = time.monotonic() + self.args.duration if self.args.duration else None
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        while not stop.is_set() and (end is None or time.monotonic() < end):
            now = time.time()
            if not self.args.no_flips:
                for ep in self.endpoints:
                    if ep.next_flip <= now:
                        await self.take(ep, self.pick(ep), now)
            if self.hosts_dirty:
                self.write_hosts()
            woke = time.monotonic()
            try:
                await asyncio.wait_for(stop.wait(), 0.5)
            except asyncio.TimeoutError:
                pass
            # How late the loop woke: a server too slow to answer within a
            # probe's Timeout makes changes of its own (logged, so that the
            # judge can tell them from the plugin's).
            lag = time.monotonic() - woke - 0.5
            if lag > 0.25:
                self.log(ep=-1, lag=round(lag, 3))
        self.log(ep=-1, mode="end")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--endpoints", type=int, default=2000)
    p.add_argument("--https-every", type=int, default=4, help="every Nth endpoint is https")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--hosts", required=True, help="the hosts file dnsmasq reads (--addn-hosts)")
    p.add_argument("--dnsmasq-pid", help="dnsmasq's pid file: SIGHUP after each rewrite")
    p.add_argument("--events", required=True)
    p.add_argument("--ready", required=True, help="written once every endpoint listens")
    p.add_argument("--flip-min", type=float, default=120)
    p.add_argument("--flip-max", type=float, default=300)
    p.add_argument("--interval", type=float, default=10, help="the probes' interval (for the nxdomain dwell)")
    p.add_argument("--dns-cache", type=float, default=60, help="how long libcurl keeps a resolved name")
    p.add_argument("--start-ok", type=float, default=0.5, help="share of endpoints that start at ok")
    p.add_argument("--duration", type=float, default=0)
    p.add_argument("--no-flips", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = max(soft, min(hard, 4 * args.endpoints + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
    asyncio.run(FaultServer(args).run())


if __name__ == "__main__":
    main()
