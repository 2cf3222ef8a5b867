# SPDX-License-Identifier: GPL-2.0-or-later
"""What the distributed tests (and the benchmarks bench/icinga_bench.py and
bench/fanin_bench.py) share: waiting, running commands, the test servers of
tests/servers, free ports on 127.0.0.1, daemons in their own process groups,
icinga2 instances, keeping a benchmark's results as they come."""

import base64
import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SERVERS_DIR = os.path.join(ROOT, "tests", "servers")
USER = "nagios"  # Debian's icinga2 runs as nagios, and so do its checks


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


def chown_tree(path, user=USER):
    uid, gid = pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid
    for dirpath, _, filenames in os.walk(path):
        os.chown(dirpath, uid, gid)
        for f in filenames:
            os.chown(os.path.join(dirpath, f), uid, gid)


class Icinga2Node:
    """One icinga2 instance with all of its paths under base/name (config,
    data, certificates, log, cache, run, spool), so that several run side by
    side and none touches /etc/icinga2 or /var/lib/icinga2."""

    def __init__(self, name, base):
        self.name = name
        self.dir = os.path.join(base, name)
        self.data = os.path.join(self.dir, "data")
        self.certs = os.path.join(self.data, "certs")
        self.log = os.path.join(self.dir, "log")
        for d in ("data", "data/certs", "log", "cache", "run", "spool"):
            os.makedirs(os.path.join(self.dir, d), exist_ok=True)
        self.conf = os.path.join(self.dir, "icinga2.conf")
        self.daemon = None

    def defines(self):
        d = self.dir
        paths = {
            "DataDir": self.data, "LogDir": self.log, "CacheDir": d + "/cache", "SpoolDir": d + "/spool",
            "InitRunDir": d + "/run", "PidPath": d + "/run/icinga2.pid", "StatePath": self.data + "/icinga2.state",
            "ObjectsPath": d + "/cache/icinga2.debug", "VarsPath": d + "/cache/icinga2.vars",
            "ModAttrPath": self.data + "/modified-attributes.conf",
        }
        return ["-D%s=%s" % kv for kv in paths.items()]

    def cli(self, *args):
        """An icinga2 CLI command for this node (it runs as nagios, like the daemon)."""
        chown_tree(self.dir)
        return run(["icinga2"] + list(args) + self.defines())

    def make_ca_and_certificate(self):
        """A CA (icinga2 pki new-ca) and this node's certificate signed by it; returns the CA's path."""
        self.cli("pki", "new-ca")
        key, csr, crt = (os.path.join(self.certs, self.name + ext) for ext in (".key", ".csr", ".crt"))
        self.cli("pki", "new-cert", "--cn", self.name, "--key", key, "--csr", csr)
        self.cli("pki", "sign-csr", "--csr", csr, "--cert", crt)
        ca = os.path.join(self.certs, "ca.crt")
        shutil.copy(os.path.join(self.data, "ca", "ca.crt"), ca)
        return ca

    def start(self, config, wrapper=()):
        """Starts the daemon with config, through wrapper (a command that execs its arguments)."""
        with open(self.conf, "w") as f:
            f.write(config)
        chown_tree(self.dir)
        self.daemon = Daemon(list(wrapper) + ["icinga2", "daemon", "-c", self.conf, "--log-level", "warning"] +
                             self.defines(), os.path.join(self.dir, "stdout.log"))

    def log_text(self):
        try:
            with open(os.path.join(self.log, "icinga2.log"), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def listener_port(self, timeout=60):
        """The port of the API listener (configured with bind_port = 0), from the log."""
        def port():
            if not self.daemon.running():
                raise AssertionError("icinga2 on %s exited:\n%s" % (self.name, self.output_tail()))
            m = re.search(r"Started new listener on '\[127\.0\.0\.1\]:(\d+)'", self.log_text())
            return m and int(m.group(1))
        return wait_for("the API listener of %s" % self.name, port, timeout=timeout)

    def output_tail(self):
        return self.daemon.output_tail() + self.log_text()[-3000:]

    def stop(self):
        if self.daemon:
            self.daemon.stop()


# --- Icinga 2 with the check package's files in place --------------------------

LAYOUT = os.path.join(HERE, "package_layout.sh")
CHECKCOMMAND = os.path.join(ROOT, "packaging", "icinga2", "probewise.conf")
CHECK = os.environ.get("PROBEWISE_CHECK") or os.path.join(ROOT, "build", "check_plugin", "check_probewise")
# PROBEWISE_DISTRIBUTED_INSTALLED=1: the installed package's files, not the build's.
INSTALLED = os.environ.get("PROBEWISE_DISTRIBUTED_INSTALLED") == "1"


# What every node's icinga2.conf starts with (%(node)s: its name): the
# constants, the ITL with the package's CheckCommands, a log file.
ICINGA_COMMON = """
const NodeName = "%(node)s"
const ZoneName = "%(node)s"
const PluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
const ManubulonPluginDir = "/usr/lib/nagios/plugins"
include <itl>
include <plugins>
include <plugins-contrib>

object FileLogger "main" {
  path = LogDir + "/icinga2.log"
  severity = "notice"
}
"""


def icinga_missing_requirements():
    """Why the Icinga 2 tests cannot run here (None when they can)."""
    if os.geteuid() != 0:
        return "needs root (icinga2 drops to nagios; the mount namespace needs CAP_SYS_ADMIN)"
    for tool in ("icinga2", "unshare", "openssl"):
        if not shutil.which(tool):
            return "%s is not installed" % tool
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return "no %s user" % USER
    return None


def layers(node):
    """Where the overlays of node's mount namespace keep what differs from the machine."""
    return node.dir + "-layers"


def package_layout(node):
    """The wrapper that runs node's daemon with the package's files in place (package_layout.sh)."""
    os.makedirs(layers(node), exist_ok=True)
    check = "-" if INSTALLED else CHECK
    checkcommand = "-" if INSTALLED else CHECKCOMMAND
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", LAYOUT, layers(node), check,
            checkcommand, "--"]


def request_agent_certificate(master, agent, master_port, salt):
    """The agent's side of the CA/ticket flow, as `icinga2 node setup` does it."""
    ticket = master.cli("pki", "ticket", "--cn", agent.name, "--salt", salt).strip()
    key, crt, ca = (os.path.join(agent.certs, f) for f in (agent.name + ".key", agent.name + ".crt", "ca.crt"))
    trusted = os.path.join(agent.dir, "trusted-parent.crt")
    agent.cli("pki", "new-cert", "--cn", agent.name, "--key", key, "--cert", crt)
    agent.cli("pki", "save-cert", "--host", "127.0.0.1", "--port", str(master_port), "--trustedcert", trusted)
    agent.cli("pki", "request", "--host", "127.0.0.1", "--port", str(master_port), "--ticket", ticket,
              "--key", key, "--cert", crt, "--trustedcert", trusted, "--ca", ca)
    issuer = run(["openssl", "x509", "-in", crt, "-noout", "-issuer"])
    if "Icinga CA" not in issuer:
        raise RuntimeError("the agent's certificate was not signed by the master's CA: " + issuer)


class IcingaApi:
    """A node's REST API as one ApiUser, verifying the node's certificate
    against its CA (the certificate names the endpoint, not 127.0.0.1)."""

    def __init__(self, port, ca, user, password):
        self.port, self.ca, self.user, self.password = port, ca, user, password

    def __call__(self, path, method="GET", body=None):
        context = ssl.create_default_context(cafile=self.ca)
        context.check_hostname = False
        request = urllib.request.Request("https://127.0.0.1:%d%s" % (self.port, path), method=method,
                                         data=json.dumps(body).encode() if body is not None else None)
        request.add_header("Accept", "application/json")
        request.add_header("Authorization", "Basic " + base64.b64encode(
            (self.user + ":" + self.password).encode()).decode())
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return json.load(response)


# --- collectd daemons --------------------------------------------------------

COLLECTD = shutil.which("collectd") or "/usr/sbin/collectd"
COLLECTD_PLUGINS = "/usr/lib/collectd"
TYPES_DB = "/usr/share/collectd/types.db"


def collectd_forwarding(port, username, password):
    """A probing collectd's network plugin, forwarding (encrypted) to 127.0.0.1:port."""
    return "\n".join(["<LoadPlugin network>", "  FlushInterval 1", "</LoadPlugin>", "<Plugin network>",
                      '  <Server "127.0.0.1" "%d">' % port, "    SecurityLevel Encrypt",
                      '    Username "%s"' % username, '    Password "%s"' % password, "  </Server>", "</Plugin>",
                      ""])


def collectd_listening(port, auth_file):
    """The central collectd's network plugin, taking what authenticates against auth_file."""
    return """LoadPlugin network
<Plugin network>
  <Listen "127.0.0.1" "%d">
    SecurityLevel Encrypt
    AuthFile "%s"
  </Listen>
</Plugin>
""" % (port, auth_file)


def collectd_missing_requirements(plugins):
    """Why collectd with these of its plugins cannot run here (None when it can)."""
    needed = [COLLECTD, TYPES_DB] + [os.path.join(COLLECTD_PLUGINS, p + ".so") for p in plugins]
    missing = [p for p in needed if not os.path.exists(p)]
    if missing:
        return "missing: " + ", ".join(missing)
    # write_prometheus needs libmicrohttpd and protobuf-c, which collectd-core only suggests.
    if "write_prometheus" in plugins:
        ldd = run(["ldd", os.path.join(COLLECTD_PLUGINS, "write_prometheus.so")])
        if "not found" in ldd:
            return "write_prometheus.so cannot load: " + " ".join(line.split()[0] for line in ldd.splitlines()
                                                                  if "not found" in line)
    return None


class CollectdNode:
    """One collectd (Interval 1, a logfile at info) with its own directory
    under base; the plugins it loads copied into it (collectd loads them
    from one PluginDir and refuses symlinks), probewise.so from `probewise`."""

    def __init__(self, base, hostname, plugins, body, probewise):
        self.hostname = hostname
        self.dir = os.path.join(base, hostname)
        self.plugins = os.path.join(self.dir, "plugins")
        os.makedirs(self.plugins)
        for p in plugins:
            shutil.copy(probewise if p == "probewise" else os.path.join(COLLECTD_PLUGINS, p + ".so"), self.plugins)
        self.log = os.path.join(self.dir, "collectd.log")
        self.conf = os.path.join(self.dir, "collectd.conf")
        with open(self.conf, "w") as f:
            f.write("""Hostname "%(host)s"
FQDNLookup false
Interval 1
BaseDir "%(dir)s"
PIDFile "%(dir)s/collectd.pid"
PluginDir "%(dir)s/plugins"
TypesDB "%(types)s"
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "%(log)s"
  PrintSeverity true
</Plugin>
""" % {"host": hostname, "dir": self.dir, "types": TYPES_DB, "log": self.log} + body)
        run([COLLECTD, "-t", "-C", self.conf])
        self.daemon = Daemon([COLLECTD, "-f", "-C", self.conf], os.path.join(self.dir, "stdout.log"))

    def log_text(self):
        if not os.path.exists(self.log):
            return ""
        with open(self.log, errors="replace") as f:
            return f.read()

    def check_running(self):
        if not self.daemon.running():
            raise AssertionError("collectd %s exited:\n%s%s" % (self.hostname, self.daemon.output_tail(),
                                                                self.log_text()[-3000:]))

    def stop(self):
        return self.daemon.stop()


def tear_down(nodes, servers, tmp, sockets=()):
    """A test module's end: its daemons (anything with stop()), its servers and
    sockets stopped, its directory removed unless PROBEWISE_KEEP_TMP is set."""
    for node in nodes:
        if node:
            node.stop()
    if servers:
        servers.stop()
    for s in sockets:
        if s:
            s.close()
    if tmp and not os.environ.get("PROBEWISE_KEEP_TMP"):
        shutil.rmtree(tmp, ignore_errors=True)


def keep_result(runs, result, out, render, tag):
    """Appends result to runs and rewrites OUT (render(runs), markdown) and
    OUT's .json beside it, so that an interrupted benchmark keeps what it measured."""
    print("[%s] %s" % (tag, json.dumps(result)), file=sys.stderr, flush=True)
    runs.append(result)
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump(runs, f, indent=1)
    with open(out, "w") as f:
        f.write(render(runs))


@contextlib.contextmanager
def work_dir(prefix):
    """A temporary directory (mode 0755: the daemons' users read it), removed
    afterwards unless BENCH_KEEP or PROBEWISE_KEEP_TMP is set."""
    path = tempfile.mkdtemp(prefix=prefix)
    os.chmod(path, 0o755)
    try:
        yield path
    finally:
        if os.environ.get("BENCH_KEEP") or os.environ.get("PROBEWISE_KEEP_TMP"):
            print("kept: " + path, file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)
