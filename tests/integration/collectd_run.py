# SPDX-License-Identifier: GPL-2.0-or-later
"""What the collectd tests share: a real collectd (Debian's collectd-core) in
a directory of its own with the built probewise.so beside collectd's unixsock,
csv, logfile and python plugins; values read back through the unix socket
(GETVAL), notifications through a small python plugin that writes each one,
with its meta data, as a JSON line; the test servers started and stopped.

A sanitized build (PROBEWISE_SANITIZE, set by ctest in scripts/test.sh's
second tree) runs in the same uninstrumented collectd with the sanitizer's
runtime preloaded (PROBEWISE_SANITIZER_RUNTIME); a report of it fails stop().
"""

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS_DIR = os.path.normpath(os.path.join(HERE, "..", "servers"))
PLUGIN = os.environ.get("PROBEWISE_COLLECTD_PLUGIN") or os.path.normpath(
    os.path.join(HERE, "..", "..", "build", "collectd_plugin", "probewise.so"))
COLLECTD = shutil.which("collectd") or "/usr/sbin/collectd"
COLLECTD_PLUGINS = "/usr/lib/collectd"
TYPES_DB = "/usr/share/collectd/types.db"
HOST = "testhost"

SANITIZE = os.environ.get("PROBEWISE_SANITIZE", "")
SANITIZER_RUNTIME = os.environ.get("PROBEWISE_SANITIZER_RUNTIME", "")
SANITIZER_REPORTS = os.environ.get("PROBEWISE_SANITIZER_REPORTS", "")

FAILURE, WARNING, OKAY = 1, 2, 4  # collectd's NOTIF_* severities


def collectd_missing():
    needed = [COLLECTD, TYPES_DB] + [os.path.join(COLLECTD_PLUGINS, p + ".so")
                                     for p in ("unixsock", "csv", "logfile", "python")]
    return [p for p in needed if not os.path.exists(p)]


def main_or_skip(unittest_main):
    """Exit 77 (ctest: skipped) when collectd is not installed."""
    missing = collectd_missing()
    if missing:
        print("collectd is not installed (missing %s): skipped" % ", ".join(missing))
        sys.exit(77)
    unittest_main()


def start_server(tmp, script, procs, extra=()):
    """Starts tests/servers/<script> on an ephemeral port; returns the port."""
    port_file = os.path.join(tmp, os.path.basename(script) + ".port")
    log = open(os.path.join(tmp, os.path.basename(script) + ".log"), "wb")
    args = [sys.executable, os.path.join(SERVERS_DIR, script), "--port-file", port_file] + list(extra)
    if script == "testserver.py":
        args.append("--exit-with-parent")
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    log.close()
    procs.append(proc)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if os.path.exists(port_file):
            with open(port_file) as f:
                text = f.read().strip()
            if text:
                return int(text)
        if proc.poll() is not None:
            raise RuntimeError("%s exited with %s" % (script, proc.returncode))
        time.sleep(0.05)
    raise RuntimeError("%s did not start" % script)


def stop_servers(procs):
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Servers:
    """What a collectd test file starts once (setUpModule) and stops at the
    end (tearDownModule): a temporary directory and the test servers."""

    def __init__(self, prefix, scripts=("testserver.py",)):
        self.prefix = prefix
        self.scripts = scripts
        self.tmp = None
        self.procs = []
        self.ports = {}

    def up(self):
        if not os.path.exists(PLUGIN):
            raise RuntimeError("no plugin at %s (set PROBEWISE_COLLECTD_PLUGIN)" % PLUGIN)
        self.tmp = tempfile.mkdtemp(prefix=self.prefix)
        for script in self.scripts:
            self.ports[script] = start_server(self.tmp, script, self.procs)

    def down(self):
        stop_servers(self.procs)
        if self.tmp and not os.environ.get("PROBEWISE_KEEP_TMP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def test_port(self):
        return self.ports["testserver.py"]


def by_instance(notifications, name):
    return [n for n in notifications if n["plugin_instance"] == name]


NOTIFY_MODULE = '''
import collectd, json, os
PATH = os.environ["PROBEWISE_NOTIFICATIONS"]
def notify(n):
    with open(PATH, "a") as f:
        f.write(json.dumps({"severity": n.severity, "message": n.message, "host": n.host,
                            "plugin": n.plugin, "plugin_instance": n.plugin_instance,
                            "time": n.time, "meta": dict(n.meta)}) + "\\n")
collectd.register_notification(notify)
'''


def sanitizer_reports(pid):
    """The sanitizer reports that process `pid` wrote (empty without a sanitizer)."""
    if not SANITIZER_REPORTS:
        return []
    return sorted(glob.glob(os.path.join(SANITIZER_REPORTS, "*.%d" % pid)))


class Collectd:
    """One collectd run in its own directory, with its own plugins and state.

    endpoints: [(name, [key lines])]; plugin_lines: more lines for the
    <Plugin probewise> block (they may be Include lines); raw_plugin_block:
    the whole block's text instead (a test of the config itself); prefix: a
    command to run collectd under (valgrind, ip netns exec ...); nofile: the
    RLIMIT_NOFILE collectd starts with."""

    def __init__(self, tmp, name, endpoints, state_dir, python=True, valgrind=False, max_concurrency=16,
                 plugin_lines=(), raw_plugin_block=None, prefix=(), nofile=None, env=None, interval=1,
                 log_level="info"):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir, exist_ok=True)
        self.plugins = os.path.join(self.dir, "plugins")
        os.makedirs(self.plugins, exist_ok=True)
        # collectd loads plugins from one directory and refuses symlinks.
        for p in ("unixsock", "csv", "logfile", "python"):
            shutil.copy(os.path.join(COLLECTD_PLUGINS, p + ".so"), self.plugins)
        shutil.copy(PLUGIN, os.path.join(self.plugins, "probewise.so"))
        self.socket = os.path.join(self.dir, "sock")
        self.log = os.path.join(self.dir, "collectd.log")
        self.notifications_file = os.path.join(self.dir, "notifications.jsonl")
        self.valgrind_log = os.path.join(self.dir, "valgrind.%p.log")
        with open(os.path.join(self.dir, "notify_capture.py"), "w") as f:
            f.write(NOTIFY_MODULE)
        lines = [
            'Hostname "%s"' % HOST,
            'FQDNLookup false',
            'Interval %g' % interval,
            'BaseDir "%s"' % self.dir,
            'PIDFile "%s/collectd.pid"' % self.dir,
            'PluginDir "%s"' % self.plugins,
            'TypesDB "%s"' % TYPES_DB,
            'LoadPlugin logfile',
            '<Plugin logfile>',
            '  LogLevel %s' % log_level,
            '  File "%s"' % self.log,
            '  PrintSeverity true',
            '</Plugin>',
            'LoadPlugin unixsock',
            '<Plugin unixsock>',
            '  SocketFile "%s"' % self.socket,
            '</Plugin>',
            'LoadPlugin csv',
            '<Plugin csv>',
            '  DataDir "%s/csv"' % self.dir,
            '</Plugin>',
        ]
        if python:
            lines += [
                '<LoadPlugin python>',
                '  Globals true',
                '</LoadPlugin>',
                '<Plugin python>',
                '  ModulePath "%s"' % self.dir,
                '  Import "notify_capture"',
                '</Plugin>',
            ]
        lines.append('LoadPlugin probewise')
        if raw_plugin_block is not None:
            lines.append(raw_plugin_block)
        else:
            lines += ['<Plugin probewise>', '  MaxConcurrency %d' % max_concurrency,
                      '  StateDir "%s"' % state_dir]
            lines += ["  " + l for l in plugin_lines]
            for ep_name, keys in endpoints:
                lines.append('  <Endpoint "%s">' % ep_name)
                lines += ["    " + k for k in keys]
                lines.append('  </Endpoint>')
            lines.append('</Plugin>')
        self.conf = os.path.join(self.dir, "collectd.conf")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        run_env = dict(os.environ, PROBEWISE_NOTIFICATIONS=self.notifications_file)
        if env:
            run_env.update(env)
        cmd = [COLLECTD, "-f", "-C", self.conf]
        if valgrind:
            cmd = ["valgrind", "--tool=memcheck", "--leak-check=full", "--show-leak-kinds=definite,indirect,possible",
                   "--errors-for-leak-kinds=definite,indirect,possible", "--num-callers=40",
                   "--log-file=" + self.valgrind_log] + cmd
        elif SANITIZER_RUNTIME:
            # Debian's collectd is not instrumented: the runtime must come first.
            run_env["LD_PRELOAD"] = SANITIZER_RUNTIME
        cmd = list(prefix) + cmd

        def limit():
            if nofile is not None:
                import resource
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        self.out = open(os.path.join(self.dir, "stdout.log"), "ab")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.out, env=run_env,
                                     preexec_fn=limit if nofile is not None else None)

    def pid(self):
        return self.proc.pid

    def stop(self, timeout=30):
        """SIGTERM, as an init system would; returns collectd's exit code.
        A sanitizer report of the run fails here."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("collectd did not stop within %d s of SIGTERM" % timeout)
        if not self.out.closed:
            self.out.close()
        reports = sanitizer_reports(self.proc.pid)
        if reports:
            with open(reports[0], errors="replace") as f:
                raise AssertionError("sanitizer report from collectd %d (%s):\n%s"
                                     % (self.proc.pid, reports[0], f.read()[-6000:]))
        return self.proc.returncode

    def command(self, text):
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(self.socket)
            with s.makefile("rw") as f:
                f.write(text + "\n")
                f.flush()
                count = int(f.readline().split()[0])
                lines = [f.readline().rstrip("\n") for _ in range(max(count, 0))]
        return count, lines

    def value(self, endpoint, metric):
        """The cached value of host/probewise-<endpoint>/<metric>, None if there is none."""
        try:
            count, lines = self.command('GETVAL "%s/probewise-%s/%s"' % (HOST, endpoint, metric))
        except OSError:
            return None
        if count < 1:
            return None
        value = lines[0].split("=", 1)[1]
        return float("nan") if value == "NaN" else float(value)

    def metrics(self, endpoint):
        try:
            count, lines = self.command("LISTVAL")
        except OSError:
            return set()
        prefix = "%s/probewise-%s/" % (HOST, endpoint)
        return {l.split(" ", 1)[1][len(prefix):] for l in lines if l.split(" ", 1)[1].startswith(prefix)}

    def listval(self):
        """{identifier: last update time} of every cached value."""
        count, lines = self.command("LISTVAL")
        out = {}
        for l in lines:
            t, ident = l.split(" ", 1)
            out[ident] = float(t)
        return out

    def notifications(self):
        if not os.path.exists(self.notifications_file):
            return []
        with open(self.notifications_file) as f:
            return [json.loads(l) for l in f if l.strip()]

    def log_text(self):
        if not os.path.exists(self.log):
            return ""
        with open(self.log, errors="replace") as f:
            return f.read()

    def wait_for(self, what, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("collectd exited (%s) while waiting for %s:\n%s"
                                     % (self.proc.returncode, what, self.log_text()[-3000:]))
            result = predicate()
            if result:
                return result
            time.sleep(0.2)
        raise AssertionError("timed out waiting for %s\nlog:\n%s\nnotifications:\n%s"
                             % (what, self.log_text()[-3000:], json.dumps(self.notifications(), indent=1)))


def proc_status(pid, field):
    """A number from /proc/PID/status (VmRSS, VmHWM, Threads ...), in its unit."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def wall_clock_offset():
    """The wall clock minus the monotonic one: collectd stamps values with
    the wall clock, so a step of it (a virtual machine's clock set while a
    test runs) shows as a gap between values that the plugin never made.
    Sample this during a run; max - min is the step to allow for."""
    return time.time() - time.monotonic()


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))
