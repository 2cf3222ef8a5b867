# SPDX-License-Identifier: GPL-2.0-or-later
"""Products with auth or health endpoints that Debian packages and that start
within seconds: the Docker registry (htpasswd auth), Prometheus and
Alertmanager (web.config basic auth, /-/healthy), etcd (/health, auth)."""

import json
import os
import urllib.request

from realsuite import Product, free_port, wait_for_http, wait_for_port
from web_servers import bcrypt_hash


class DockerRegistry(Product):
    name = "registry"
    title = "Docker registry (distribution)"
    package = "docker-registry"
    binaries = ("/usr/bin/docker-registry", "htpasswd")

    def start(self):
        w = self.work
        users = self.write("htpasswd", "monitor:%s\n" % bcrypt_hash("secret"))
        self.write("config.yml", f"""version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: {w}/data
http:
  addr: 127.0.0.1:{self.port}
auth:
  htpasswd:
    realm: registry
    path: {users}
""")
        self.spawn(["/usr/bin/docker-registry", "serve", os.path.join(w, "config.yml")])
        wait_for_port(self.port, self.procs[-1], what="registry")


class PromWeb(Product):
    """Prometheus' exporter-toolkit web.config: basic_auth_users."""

    binary = ""

    def web_config(self):
        return self.write("web.yml", "basic_auth_users:\n  monitor: %s\n" % bcrypt_hash("secret"))

    def wait(self):
        wait_for_http("http://127.0.0.1:%d/-/healthy" % self.port, proc=self.procs[-1],
                      ok=lambda status: status in (200, 401))


class Prometheus(PromWeb):
    name = "prometheus"
    title = "Prometheus"
    package = "prometheus"
    binaries = ("/usr/bin/prometheus", "htpasswd")

    def start(self):
        w = self.work
        self.write("prometheus.yml", "global:\n  scrape_interval: 1h\nscrape_configs: []\n")
        self.spawn(["/usr/bin/prometheus", "--config.file", os.path.join(w, "prometheus.yml"),
                    "--storage.tsdb.path", os.path.join(w, "data"), "--web.listen-address",
                    "127.0.0.1:%d" % self.port, "--web.config.file", self.web_config(), "--log.level", "error"])
        self.wait()


class Alertmanager(PromWeb):
    name = "alertmanager"
    title = "Alertmanager"
    package = "prometheus-alertmanager"
    binaries = ("/usr/bin/prometheus-alertmanager", "htpasswd")

    def start(self):
        w = self.work
        self.write("alertmanager.yml", "route:\n  receiver: none\nreceivers:\n  - name: none\n")
        self.spawn(["/usr/bin/prometheus-alertmanager", "--config.file", os.path.join(w, "alertmanager.yml"),
                    "--storage.path", os.path.join(w, "data"), "--web.listen-address", "127.0.0.1:%d" % self.port,
                    "--cluster.listen-address=", "--web.config.file", self.web_config(), "--log.level", "error"])
        self.wait()


class Etcd(Product):
    name = "etcd"
    title = "etcd"
    package = "etcd-server"
    binaries = ("/usr/bin/etcd",)

    def start(self):
        w = self.work
        peer = free_port()
        client = "http://127.0.0.1:%d" % self.port
        self.spawn(["/usr/bin/etcd", "--name", "probe", "--data-dir", os.path.join(w, "data"),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", "http://127.0.0.1:%d" % peer,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:%d" % peer,
                    "--initial-cluster", "probe=http://127.0.0.1:%d" % peer, "--log-level", "error"],
                   )
        wait_for_http(client + "/health", proc=self.procs[-1], ok=lambda status: status == 200)
        # Authentication on, through the v3 gRPC gateway: a root user with
        # the root role, then auth enable.
        for path, body in (("/v3/auth/role/add", {"name": "root"}),
                           ("/v3/auth/user/add", {"name": "root", "password": "secret"}),
                           ("/v3/auth/user/grant", {"user": "root", "role": "root"}),
                           ("/v3/auth/enable", {})):
            req = urllib.request.Request(client + path, data=json.dumps(body).encode(), method="POST")
            urllib.request.urlopen(req, timeout=10).read()
