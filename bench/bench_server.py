#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A lean HTTP/1.1 server for bench/collectd_bench.sh: thousands of
concurrent connections on one asyncio loop, on 127.0.0.1 only.

    python3 bench_server.py --port-file FILE

Paths:
  /fast/...           200 "ok" at once
  /slow/...?ms=300    200 "ok" after ms milliseconds (timers, no threads)
  .../close/...       the same, with "Connection: close" (no keep-alive)
  /stats[?reset=1][&gap=S]
                      {"requests": N, "distinct": D, "kept_up": K}: requests and
                      distinct paths since the last reset (itself not counted);
                      K: paths never left unasked for more than S seconds
                      since the reset (first hit, between hits, until now)

Only the standard library. Stops on SIGTERM or SIGINT.
"""

import argparse
import asyncio
import json
import os
import resource
import signal
import time

STATS = {"requests": 0, "paths": {}, "since": time.monotonic()}  # path -> [first, last, longest gap]


class Http(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.closing = False

    def data_received(self, data):
        self.buffer += data
        while not self.closing:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self.transport.close()
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4:]
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            target = parts[1] if len(parts) > 1 else "/"
            self.handle(target)

    def handle(self, target):
        path, _, query = target.partition("?")
        now = time.monotonic()
        if path == "/stats":
            gap = None
            for item in query.split("&"):
                if item.startswith("gap="):
                    gap = float(item[4:])
            report = {"requests": STATS["requests"], "distinct": len(STATS["paths"])}
            if gap is not None:
                report["kept_up"] = sum(1 for first, last, longest in STATS["paths"].values()
                                        if max(first - STATS["since"], longest, now - last) <= gap)
            if "reset=1" in query:
                STATS["requests"] = 0
                STATS["paths"] = {}
                STATS["since"] = now
            return self.reply(json.dumps(report).encode(), False)
        STATS["requests"] += 1
        seen = STATS["paths"].get(path)
        if seen is None:
            STATS["paths"][path] = [now, now, 0.0]
        else:
            seen[2] = max(seen[2], now - seen[1])
            seen[1] = now
        close = "/close/" in path
        if path.startswith("/slow"):
            ms = 300
            for item in query.split("&"):
                if item.startswith("ms="):
                    ms = int(item[3:])
            if close:
                self.closing = True  # no pipelined request after this one
            asyncio.get_running_loop().call_later(ms / 1000.0, self.reply, b"ok", close)
        else:
            self.reply(b"ok", close)

    def reply(self, body, close):
        if self.transport.is_closing():
            return
        head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n%s\r\n"
                % (len(body), "Connection: close\r\n" if close else ""))
        self.transport.write(head.encode() + body)
        if close:
            self.transport.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Http, "127.0.0.1", 0, backlog=8192, reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, args.port_file)
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
