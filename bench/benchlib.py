# SPDX-License-Identifier: GPL-2.0-or-later
"""What the collectd benches share: the start of a collectd.conf that keeps
every value in collectd's cache and no further, and reading a process's
CPU time and memory from /proc."""

import os
import shutil
import subprocess
import time

TYPES_DB = "/usr/share/collectd/types.db"
PLUGINS = "/usr/lib/collectd"
TICK = os.sysconf("SC_CLK_TCK")


def collectd_preamble(base_dir, plugin_dir, interval, read_threads=5, log_level="warning", timestamps=False):
    """Global options, the logfile plugin (BASE_DIR/collectd.log), and a
    post-cache chain that stops every value: no write plugin's cost in any
    figure, whichever read plugin runs."""
    lines = ['Hostname "bench"', "FQDNLookup false", "Interval %g" % interval, "ReadThreads %d" % read_threads,
             'BaseDir "%s"' % base_dir, 'PIDFile "%s/pid"' % base_dir, 'PluginDir "%s"' % plugin_dir,
             'TypesDB "%s"' % TYPES_DB,
             "LoadPlugin logfile", "<Plugin logfile>", "  LogLevel %s" % log_level,
             '  File "%s/collectd.log"' % base_dir]
    if timestamps:
        lines += ["  Timestamp true", "  PrintSeverity true"]
    lines += ["</Plugin>", 'PostCacheChain "PostCache"', '<Chain "PostCache">', '  Target "stop"', "</Chain>"]
    return lines


def plugin_dir(base_dir, plugin, probewise_so):
    """BASE_DIR/plugins with logfile.so and the read plugin: Debian's
    curl.so for "curl", else PROBEWISE_SO as probewise.so."""
    plugins = os.path.join(base_dir, "plugins")
    os.makedirs(plugins)
    shutil.copy(os.path.join(PLUGINS, "logfile.so"), plugins)
    if plugin == "curl":
        shutil.copy(os.path.join(PLUGINS, "curl.so"), plugins)
    else:
        shutil.copy(probewise_so, os.path.join(plugins, "probewise.so"))
    return plugins


def process_cpu_s(pid):
    """utime + stime of the whole process, threads that ended included
    (10 ms ticks: read over long windows)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def status_kib(pid, key="VmRSS"):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def open_fds(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return 0


def stop_process(proc, sig, timeout):
    """Sends `sig` and waits up to `timeout` s, then kills; returns the
    seconds it took."""
    t0 = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return time.monotonic() - t0
