# SPDX-License-Identifier: GPL-2.0-or-later
"""Caches and filtering proxies of tests/real, from Debian's packages:
Varnish (the VCL recipes operators copy: an ACL, a Basic-auth check and
vmod_vsthrottle from varnish-modules, answered with synth()), tinyproxy (Allow,
BasicAuth, Filter) and Privoxy (a +block action)."""

import os

from realsuite import Product, free_port, wait_for_http, wait_for_port

VARNISH_VCL = """vcl 4.1;
import vsthrottle;

backend default { .host = "127.0.0.1"; .port = "%(backend)d"; }

acl monitoring { "192.0.2.10"; }

sub vcl_recv {
  if (req.url ~ "^/acl" && !(client.ip ~ monitoring)) {
    return (synth(403, "Forbidden"));
  }
  if (req.url ~ "^/limited" && vsthrottle.is_denied(client.identity, 1, 60s)) {
    return (synth(429, "Too Many Requests"));
  }
  if (req.url ~ "^/private" && req.http.Authorization != "Basic bW9uaXRvcjpzZWNyZXQ=") {
    return (synth(401, "Authentication required"));
  }
  return (synth(200, "OK"));
}

sub vcl_synth {
  if (resp.status == 401) {
    set resp.http.WWW-Authenticate = {"Basic realm="cache""};
  }
}
"""


class Varnish(Product):
    name = "varnish"
    title = "Varnish Cache"
    package = "varnish"
    binaries = ("/usr/sbin/varnishd", "/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_vsthrottle.so")

    def version(self):
        from realsuite import deb_version
        return "%s (varnish-modules %s)" % (deb_version("varnish"), deb_version("varnish-modules"))

    def start(self):
        vcl = self.write("default.vcl", VARNISH_VCL % {"backend": free_port()})
        self.spawn(["/usr/sbin/varnishd", "-F", "-a", "127.0.0.1:%d" % self.port, "-f", vcl,
                    "-n", os.path.join(self.work, "varnish"), "-T", "none", "-s", "malloc,16m"])
        wait_for_http("http://127.0.0.1:%d/" % self.port, proc=self.procs[-1], ok=lambda status: status == 200)


class Tinyproxy(Product):
    """Two tinyproxy instances: one whose Allow list does not include the
    probe, one with BasicAuth and a Filter list."""

    name = "tinyproxy"
    title = "tinyproxy"
    package = "tinyproxy"
    binaries = ("/usr/bin/tinyproxy",)

    def instance(self, name, port, extra):
        conf = self.write(name + ".conf", f"""Port {port}
Listen 127.0.0.1
Timeout 30
MaxClients 8
LogFile "{self.work}/{name}.log"
PidFile "{self.work}/{name}.pid"
{extra}""")
        self.spawn(["/usr/bin/tinyproxy", "-d", "-c", conf], name=name)
        wait_for_port(port, self.procs[-1], what="tinyproxy")

    def start(self):
        self.filter_port = free_port()
        self.instance("acl", self.port, "Allow 192.0.2.10\n")
        self.write("filter", "^blocked\\.example$\n")
        self.instance("filter", self.filter_port,
                      f'Allow 127.0.0.1\nBasicAuth monitor secret\nFilter "{self.work}/filter"\n'
                      "FilterDefaultDeny No\n")


class Privoxy(Product):
    name = "privoxy"
    title = "Privoxy"
    package = "privoxy"
    binaries = ("/usr/sbin/privoxy",)

    def start(self):
        w = self.work
        self.write("block.action", "{+block{Monitoring probes of this host are not wanted.}}\nblocked.example\n")
        conf = self.write("config", f"""listen-address 127.0.0.1:{self.port}
confdir {w}
templdir /etc/privoxy/templates
logdir {w}
actionsfile block.action
toggle 1
enable-remote-toggle 0
enable-edit-actions 0
""")
        self.spawn(["/usr/sbin/privoxy", "--no-daemon", conf])
        wait_for_port(self.port, self.procs[-1], what="privoxy")
