# SPDX-License-Identifier: GPL-2.0-or-later
"""What the distributed tests share: waiting, running commands, the test
servers of tests/servers, free ports on 127.0.0.1, daemons in their own
process groups."""

import os
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SERVERS_DIR = os.path.join(ROOT, "tests", "servers")


def wait_for(what, predicate, timeout=60, interval=0.2):
    """predicate()'s first true value, polled until timeout seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %ds waiting for %s" % (timeout, what))
        time.sleep(interval)


def run(args, **kwargs):
    """stdout of a command that must succeed (its output is in the error otherwise)."""
    proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise RuntimeError("%s: exit %d\n%s%s" % (" ".join(args), proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


def free_port(kind=socket.SOCK_STREAM):
    """A port nobody uses on 127.0.0.1 right now, for daemons that cannot be
    given port 0 (collectd): bound, read back and released."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servers:
    """The test servers of tests/servers, each on an ephemeral port."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []

    def start(self, script, *extra):
        port_file = os.path.join(self.tmp, "%s-%d.port" % (script, len(self.procs)))
        log = open(port_file + ".log", "wb")
        args = [sys.executable, os.path.join(SERVERS_DIR, script), "--port-file", port_file] + list(extra)
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        self.procs.append(proc)

        def port():
            if proc.poll() is not None:
                raise RuntimeError("%s exited with %s" % (script, proc.returncode))
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read().strip()
                return text and int(text)
        return wait_for(script, port, timeout=15, interval=0.05)

    def stop(self):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class Daemon:
    """A daemon in its own process group (its children stop with it), output to a file."""

    def __init__(self, args, output, env=None):
        self.output = output
        with open(output, "ab") as out:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env,
                                         start_new_session=True)

    def running(self):
        return self.proc.poll() is None

    def output_tail(self, lines=30):
        with open(self.output, errors="replace") as f:
            return "".join(f.readlines()[-lines:])

    def stop(self, timeout=20):
        """SIGTERM to the group, as an init system would; SIGKILL after timeout. Returns the exit code."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # whatever of the group outlived its leader
        except ProcessLookupError:
            pass
        return self.proc.returncode
