# SPDX-License-Identifier: GPL-2.0-or-later
"""Message brokers, time-series databases and daemons with an HTTP API of
tests/real, from Debian's packages, each in its stock configuration with
authentication turned on the way its documentation shows: RabbitMQ's
management API, InfluxDB 1.x (auth-enabled, JWT shared secret),
VictoriaMetrics (-httpAuth.*), the NATS monitoring port, Syncthing's REST API
(API key), Transmission's RPC (rpc-whitelist, rpc-authentication) and
Radicale (htpasswd, rights)."""

import base64
import json
import os
import re
import urllib.parse
import urllib.request

from realsuite import Product, free_port, wait_for_http, wait_for_port
from web_servers import htpasswd


def post_json(url, body, user=None, method="POST"):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method=method,
                                 headers={"Content-Type": "application/json"})
    if user:
        req.add_header("Authorization", "Basic " + base64.b64encode(user.encode()).decode())
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


class RabbitMQ(Product):
    """rabbitmq-server with the management plugin; its own epmd in the
    foreground on a free port, so that nothing outlives the test."""

    name = "rabbitmq"
    title = "RabbitMQ management API"
    package = "rabbitmq-server"
    binaries = ("/usr/lib/rabbitmq/bin/rabbitmq-server", "/usr/bin/epmd")

    def start(self):
        w = self.work
        epmd_port, dist_port, amqp_port = free_port(), free_port(), free_port()
        self.write("rabbitmq.conf", f"""listeners.tcp.default = 127.0.0.1:{amqp_port}
management.tcp.ip = 127.0.0.1
management.tcp.port = {self.port}
default_user = admin
default_pass = secret
""")
        self.write("enabled_plugins", "[rabbitmq_management].\n")
        self.write("rabbitmq-env.conf", "")
        env = {"HOME": w, "RABBITMQ_HOME": "/usr/lib/rabbitmq", "RABBITMQ_MNESIA_BASE": os.path.join(w, "mnesia"),
               "RABBITMQ_LOG_BASE": os.path.join(w, "log"), "RABBITMQ_NODENAME": "probewise@localhost",
               "RABBITMQ_CONFIG_FILE": os.path.join(w, "rabbitmq.conf"),
               "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(w, "enabled_plugins"),
               "RABBITMQ_CONF_ENV_FILE": os.path.join(w, "rabbitmq-env.conf"),
               "RABBITMQ_ADVANCED_CONFIG_FILE": os.path.join(w, "advanced.config"),
               "RABBITMQ_PID_FILE": os.path.join(w, "rabbitmq.pid"),
               "RABBITMQ_DIST_PORT": str(dist_port), "ERL_EPMD_PORT": str(epmd_port)}
        self.spawn(["/usr/bin/epmd", "-port", str(epmd_port)], name="epmd", env=env)
        wait_for_port(epmd_port, self.procs[-1], what="epmd")
        self.spawn(["/usr/lib/rabbitmq/bin/rabbitmq-server"], env=env)
        base = "http://127.0.0.1:%d" % self.port
        wait_for_http(base + "/api/overview", proc=self.procs[-1], timeout=180, ok=lambda status: status == 401)
        # A user without tags may not use the management API; "monitoring"
        # may, but not the administrator's endpoints.
        post_json(base + "/api/users/monitor", {"password": "secret", "tags": ""}, "admin:secret", "PUT")
        post_json(base + "/api/users/viewer", {"password": "secret", "tags": "monitoring"}, "admin:secret", "PUT")


class InfluxDB(Product):
    """InfluxDB 1.x with auth-enabled and a shared secret for JWTs (the
    documented [http] settings); an admin and a non-admin user."""

    name = "influxdb"
    title = "InfluxDB"
    package = "influxdb"
    binaries = ("/usr/bin/influxd",)
    shared_secret = "probewise-real-suite-shared-key-0123456789"

    def start(self):
        w = self.work
        self.write("influxdb.conf", f"""reporting-disabled = true
bind-address = "127.0.0.1:{free_port()}"
[meta]
  dir = "{w}/meta"
[data]
  dir = "{w}/data"
  wal-dir = "{w}/wal"
[http]
  enabled = true
  bind-address = "127.0.0.1:{self.port}"
  auth-enabled = true
  log-enabled = false
  shared-secret = "{self.shared_secret}"
""")
        self.spawn(["/usr/bin/influxd", "run", "-config", os.path.join(w, "influxdb.conf")])
        base = "http://127.0.0.1:%d" % self.port
        wait_for_http(base + "/ping", proc=self.procs[-1], ok=lambda status: status == 204)
        for user, query in ((None, "CREATE USER admin WITH PASSWORD 'secret' WITH ALL PRIVILEGES"),
                            ("admin:secret", "CREATE USER monitor WITH PASSWORD 'secret'")):
            data = urllib.parse.urlencode({"q": query}).encode()
            req = urllib.request.Request(base + "/query", data=data, method="POST")
            if user:
                req.add_header("Authorization", "Basic " + base64.b64encode(user.encode()).decode())
            urllib.request.urlopen(req, timeout=30).read()


class VictoriaMetrics(Product):
    name = "victoriametrics"
    title = "VictoriaMetrics"
    package = "victoria-metrics"
    binaries = ("/usr/bin/victoria-metrics",)

    def start(self):
        self.spawn(["/usr/bin/victoria-metrics", "-httpListenAddr=127.0.0.1:%d" % self.port,
                    "-storageDataPath=" + os.path.join(self.work, "data"), "-httpAuth.username=monitor",
                    "-httpAuth.password=secret", "-loggerLevel=ERROR"])
        wait_for_http("http://127.0.0.1:%d/health" % self.port, proc=self.procs[-1],
                      ok=lambda status: status == 200)


class Nats(Product):
    name = "nats"
    title = "NATS server (monitoring port)"
    package = "nats-server"
    binaries = ("/usr/sbin/nats-server",)

    def start(self):
        self.spawn(["/usr/sbin/nats-server", "-a", "127.0.0.1", "-p", str(free_port()), "-m", str(self.port)])
        wait_for_port(self.port, self.procs[-1], what="nats-server")


class Syncthing(Product):
    """Syncthing's GUI/REST address with an API key (the stock config that
    `syncthing generate` writes, the key set to a known value)."""

    name = "syncthing"
    title = "Syncthing REST API"
    package = "syncthing"
    binaries = ("/usr/bin/syncthing",)
    api_key = "probewise-monitor-key-0123"

    def start(self):
        home = os.path.join(self.work, "home")
        p = self.spawn(["/usr/bin/syncthing", "generate", "--home=" + home], name="generate",
                       env={"STNODEFAULTFOLDER": "1", "HOME": self.work})
        p.proc.wait(60)
        path = os.path.join(home, "config.xml")
        with open(path) as f:
            config = f.read()
        # Loopback only: no discovery, relays, NAT traversal, usage reports
        # or upgrades; no default folder.
        for element, value in (("apikey", self.api_key), ("globalAnnounceEnabled", "false"),
                               ("localAnnounceEnabled", "false"), ("relaysEnabled", "false"),
                               ("natEnabled", "false"), ("crashReportingEnabled", "false"),
                               ("urAccepted", "-1"), ("autoUpgradeIntervalH", "0"), ("startBrowser", "false")):
            config = re.sub(r"<%s>[^<]*</%s>" % (element, element), "<%s>%s</%s>" % (element, value, element),
                            config)
        config = re.sub(r"<gui ([^>]*)>\s*<address>[^<]*</address>",
                        r"<gui \1>\n        <address>127.0.0.1:%d</address>" % self.port, config)
        config = re.sub(r"<listenAddress>[^<]*</listenAddress>",
                        "<listenAddress>tcp://127.0.0.1:%d</listenAddress>" % free_port(), config)
        config = re.sub(r"<folder id=\"default\".*?</folder>", "", config, flags=re.S)
        with open(path, "w") as f:
            f.write(config)
        self.spawn(["/usr/bin/syncthing", "serve", "--home=" + home, "--no-browser", "--no-restart",
                    "--no-upgrade", "--gui-address=127.0.0.1:%d" % self.port],
                   env={"STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1", "HOME": self.work})
        wait_for_http("http://127.0.0.1:%d/rest/system/ping" % self.port, proc=self.procs[-1],
                      headers={"X-API-Key": self.api_key}, ok=lambda status: status == 200)


class Transmission(Product):
    """transmission-daemon's RPC; settings.json as the manual describes:
    one instance with rpc-authentication, one whose rpc-whitelist does not
    include 127.0.0.1."""

    name = "transmission"
    title = "Transmission RPC"
    package = "transmission-daemon"
    binaries = ("/usr/bin/transmission-daemon",)

    def instance(self, name, port, **settings):
        conf = {"rpc-enabled": True, "rpc-bind-address": "127.0.0.1", "rpc-port": port,
                "rpc-host-whitelist-enabled": False, "dht-enabled": False, "lpd-enabled": False,
                "pex-enabled": False, "port-forwarding-enabled": False, "peer-port": free_port(),
                "download-dir": os.path.join(self.work, name, "downloads")}
        conf.update(settings)
        self.write(name + "/settings.json", json.dumps(conf, indent=1))
        self.spawn(["/usr/bin/transmission-daemon", "-f", "-g", os.path.join(self.work, name)], name=name)
        wait_for_port(port, self.procs[-1], what="transmission-daemon")

    def start(self):
        self.whitelist_port = free_port()
        self.instance("auth", self.port, **{"rpc-authentication-required": True, "rpc-username": "monitor",
                                            "rpc-password": "secret", "rpc-whitelist-enabled": False})
        self.instance("whitelist", self.whitelist_port,
                      **{"rpc-authentication-required": False, "rpc-whitelist-enabled": True,
                         "rpc-whitelist": "192.0.2.10"})


class Radicale(Product):
    name = "radicale"
    title = "Radicale"
    package = "radicale"
    binaries = ("/usr/bin/radicale", "htpasswd")

    def start(self):
        w = self.work
        htpasswd(os.path.join(w, "users"), {"monitor": "secret", "alice": "wonderland"}, bcrypt=True)
        # The rights file of the documentation's "owner only" example.
        self.write("rights", "[root]\nuser: .+\ncollection:\npermissions: R\n\n"
                             "[principal]\nuser: .+\ncollection: {user}\npermissions: RW\n\n"
                             "[calendars]\nuser: .+\ncollection: {user}/[^/]+\npermissions: rw\n")
        self.write("config", f"""[server]
hosts = 127.0.0.1:{self.port}
[auth]
type = htpasswd
htpasswd_filename = {w}/users
htpasswd_encryption = bcrypt
delay = 0
[rights]
type = from_file
file = {w}/rights
[storage]
filesystem_folder = {w}/collections
""")
        self.spawn(["/usr/bin/radicale", "-C", os.path.join(w, "config")])
        wait_for_port(self.port, self.procs[-1], what="radicale")
