# SPDX-License-Identifier: GPL-2.0-or-later
"""Web servers and proxies of tests/real, each configured the ways operators
deny access: Apache httpd (authn/authz, mod_auth_openidc as an OAuth 2.0
resource server, ModSecurity with the Core Rule Set), nginx, HAProxy,
Caddy, lighttpd, Squid as an authenticating forward proxy."""

import os
import subprocess

from realsuite import JWT_KEY, Product, free_port, wait_for_http, wait_for_port

APACHE_MODULES = "/usr/lib/apache2/modules"


def htpasswd(path, users, bcrypt=False):
    """An htpasswd file made by Apache's own htpasswd (bcrypt with -B)."""
    first = True
    for user, password in users.items():
        args = ["htpasswd", "-b"] + (["-B"] if bcrypt else []) + (["-c"] if first else []) + [path, user, password]
        subprocess.run(args, check=True, capture_output=True)
        first = False
    os.chmod(path, 0o644)


def bcrypt_hash(password):
    """A bcrypt hash at cost 4 (htpasswd -B -C 4), not the 5 of htpasswd or
    the 14 of caddy hash-password: the products check it on every request,
    and the machines are shared."""
    line = subprocess.run(["htpasswd", "-nbB", "-C", "4", "x", password], capture_output=True, text=True,
                          check=True).stdout.strip()
    return line.split(":", 1)[1]


class Apache(Product):
    name = "apache"
    title = "Apache httpd"
    package = "apache2"
    binaries = ("/usr/sbin/apache2", "htpasswd", APACHE_MODULES + "/mod_auth_openidc.so",
                APACHE_MODULES + "/mod_security2.so", "/usr/share/modsecurity-crs/rules")

    def start(self):
        htpasswd(os.path.join(self.work, "users"), {"monitor": "secret", "alice": "wonderland"})
        self.write("groups", "ops: alice\n")
        self.write("htdocs/index.html", "<html><body>hello</body></html>\n")
        for d in ("basic", "basic403", "group", "iponly", "denied", "oauth", "waf", "waf/app"):
            self.write("htdocs/%s/index.html" % d, "<html><body>%s</body></html>\n" % d)
        modules = ["mpm_event", "authz_core", "authz_host", "authz_user", "authz_groupfile", "authn_core",
                   "authn_file", "auth_basic", "alias", "mime", "dir", "headers",
                   "unique_id", "security2", "auth_openidc"]
        load = "\n".join("LoadModule %s_module %s/mod_%s.so" % (m, APACHE_MODULES, m) for m in modules)
        w = self.work
        self.write("httpd.conf", f"""{load}
ServerRoot {w}
ServerName 127.0.0.1
Listen 127.0.0.1:{self.port}
PidFile {w}/httpd.pid
Mutex file:{w} default
ErrorLog {w}/error.log
LogLevel warn
User www-data
Group www-data
TypesConfig /etc/mime.types
DocumentRoot {w}/htdocs
DirectoryIndex index.html
<Directory {w}/htdocs>
  Require all granted
</Directory>

# Basic authentication against a user file; only alice is allowed. By
# default httpd answers an authorization failure with 401 (so that the
# browser asks again), not 403.
<Location /basic/>
  AuthType Basic
  AuthName "monitoring"
  AuthBasicProvider file
  AuthUserFile {w}/users
  Require user alice
</Location>
<Location /basic403/>
  AuthType Basic
  AuthName "monitoring"
  AuthBasicProvider file
  AuthUserFile {w}/users
  AuthzSendForbiddenOnFailure On
  Require user alice
</Location>
<Location /group/>
  AuthType Basic
  AuthName "ops"
  AuthBasicProvider file
  AuthUserFile {w}/users
  AuthGroupFile {w}/groups
  AuthzSendForbiddenOnFailure On
  Require group ops
</Location>
<Location /iponly/>
  Require ip 10.0.0.0/8
</Location>
<Location /denied/>
  Require all denied
</Location>

# mod_auth_openidc as an OAuth 2.0 resource server: JWT access tokens
# verified locally with a shared key, a scope claim required.
OIDCOAuthVerifySharedKeys plain##{JWT_KEY.decode()}
OIDCOAuthRemoteUserClaim sub
<Location /oauth/>
  AuthType oauth20
  Require claim scope:monitoring
</Location>

# ModSecurity with the OWASP Core Rule Set, blocking (anomaly scoring).
<IfModule security2_module>
  SecDataDir {w}
  SecTmpDir {w}
  SecAuditEngine Off
  SecRequestBodyAccess On
  # The engine runs server-wide (the CRS initialisation is a phase 1 rule,
  # which a <Location> does not reach) and is off outside /waf/.
  SecRuleEngine On
  <LocationMatch "^/(?!waf/)">
    SecRuleEngine Off
  </LocationMatch>
  Include /etc/modsecurity/crs/crs-setup.conf
  Include /usr/share/modsecurity-crs/rules/*.conf
</IfModule>
""")
        subprocess.run(["chown", "-R", "www-data:www-data", self.work], check=True)
        self.spawn(["/usr/sbin/apache2", "-f", os.path.join(w, "httpd.conf"), "-DFOREGROUND"],
                   env={"APACHE_RUN_DIR": w, "APACHE_LOCK_DIR": w, "APACHE_LOG_DIR": w})
        wait_for_http("http://127.0.0.1:%d/" % self.port, proc=self.procs[-1])


class Nginx(Product):
    name = "nginx"
    title = "nginx"
    package = "nginx-light"
    binaries = ("/usr/sbin/nginx", "htpasswd")

    def version(self):
        from realsuite import deb_version
        return deb_version("nginx-light") or deb_version("nginx-core") or deb_version("nginx")

    def start(self):
        w = self.work
        htpasswd(os.path.join(w, "users"), {"monitor": "secret"})
        for d in ("logs", "tmp", "html"):
            os.makedirs(os.path.join(w, d), exist_ok=True)
        self.write("html/index.html", "hello\n")
        self.write("nginx.conf", f"""daemon off;
master_process off;
worker_processes 1;
pid {w}/nginx.pid;
error_log {w}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {w}/tmp/body;
  proxy_temp_path {w}/tmp/proxy;
  fastcgi_temp_path {w}/tmp/fastcgi;
  uwsgi_temp_path {w}/tmp/uwsgi;
  scgi_temp_path {w}/tmp/scgi;
  limit_req_zone $binary_remote_addr zone=probe:1m rate=1r/m;
  server {{
    listen 127.0.0.1:{self.port};
    root {w}/html;
    # Basic authentication with a user file.
    location /basic/ {{
      auth_basic "monitoring";
      auth_basic_user_file {w}/users;
      try_files /index.html =404;
    }}
    # An IP allowlist.
    location /allowlist/ {{
      allow 10.0.0.0/8;
      deny all;
    }}
    # auth_request to an authorization endpoint that knows one token.
    location /gated/ {{
      auth_request /_auth;
      try_files /index.html =404;
    }}
    location = /_auth {{
      internal;
      if ($http_authorization = "") {{ return 401; }}
      if ($http_authorization != "Bearer good-token") {{ return 403; }}
      return 204;
    }}
    # Rate limiting with the status operators set (the default is 503).
    location /limited/ {{
      limit_req zone=probe burst=1 nodelay;
      limit_req_status 429;
      try_files /index.html =404;
    }}
    location /limited503/ {{
      limit_req zone=probe burst=1 nodelay;
      try_files /index.html =404;
    }}
    # A plain-text health endpoint.
    location = /healthz {{
      default_type text/plain;
      return 200 "OK\\n";
    }}
  }}
}}
""")
        self.spawn(["/usr/sbin/nginx", "-p", w, "-c", os.path.join(w, "nginx.conf")])
        wait_for_port(self.port, self.procs[-1], what="nginx")


class HAProxy(Product):
    name = "haproxy"
    title = "HAProxy"
    package = "haproxy"
    binaries = ("/usr/sbin/haproxy",)

    def start(self):
        self.write("haproxy.cfg", f"""global
  log stderr format short local0 warning
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
userlist monitors
  user monitor insecure-password secret
frontend web
  bind 127.0.0.1:{self.port}
  stick-table type ip size 100 expire 60s store http_req_rate(60s)
  acl admin_net src 10.0.0.0/8
  acl authed http_auth(monitors)
  # Basic authentication against a userlist.
  http-request auth realm monitoring if {{ path_beg /auth/ }} !authed
  # An IP allowlist and a blanket deny.
  http-request deny if {{ path_beg /admin/ }} !admin_net
  http-request deny deny_status 403 if {{ path_beg /blocked/ }}
  # Rate limiting with a stick table.
  http-request track-sc0 src if {{ path_beg /limited/ }}
  http-request deny deny_status 429 if {{ path_beg /limited/ }} {{ sc_http_req_rate(0) gt 1 }}
  # Health: the monitor-uri and a plain "OK".
  monitor-uri /haproxy-health
  http-request return status 200 content-type text/plain string "OK" if {{ path /ok }}
  http-request return status 200 content-type text/plain string "hello" if {{ path_beg /auth/ }} or {{ path_beg /limited/ }}
  default_backend none
backend none
""")
        self.spawn(["/usr/sbin/haproxy", "-db", "-f", os.path.join(self.work, "haproxy.cfg")])
        wait_for_port(self.port, self.procs[-1], what="haproxy")


class Caddy(Product):
    name = "caddy"
    title = "Caddy"
    package = "caddy"
    binaries = ("/usr/bin/caddy", "htpasswd")

    def start(self):
        w = self.work
        hashed = bcrypt_hash("secret").replace("$2y$", "$2a$", 1)
        self.write("Caddyfile", f"""{{
  admin off
  auto_https off
}}
http://127.0.0.1:{self.port} {{
  @outsiders {{
    path /allowlist/*
    not remote_ip 10.0.0.0/8
  }}
  basicauth /basic/* {{
    monitor {hashed}
  }}
  respond /basic/* "hello" 200
  respond @outsiders "Access denied" 403
  respond /allowlist/* "hello" 200
  respond /forbidden "" 403
  respond /health "OK" 200
  respond "hello" 200
}}
""")
        env = {"XDG_DATA_HOME": os.path.join(w, "data"), "XDG_CONFIG_HOME": os.path.join(w, "config"),
               "HOME": w}
        self.spawn(["/usr/bin/caddy", "run", "--config", os.path.join(w, "Caddyfile"), "--adapter", "caddyfile"],
                   env=env)
        wait_for_port(self.port, self.procs[-1], what="caddy")


class Lighttpd(Product):
    name = "lighttpd"
    title = "lighttpd"
    package = "lighttpd"
    binaries = ("/usr/sbin/lighttpd",)

    def start(self):
        w = self.work
        os.makedirs(os.path.join(w, "html/basic"), exist_ok=True)
        os.makedirs(os.path.join(w, "html/private"), exist_ok=True)
        self.write("html/index.html", "hello\n")
        self.write("html/basic/index.html", "hello\n")
        self.write("html/private/index.html", "hello\n")
        self.write("users", "monitor:secret\n")
        self.write("lighttpd.conf", f"""server.modules = ("mod_access", "mod_auth", "mod_authn_file")
server.document-root = "{w}/html"
server.bind = "127.0.0.1"
server.port = {self.port}
server.pid-file = "{w}/lighttpd.pid"
server.errorlog = "{w}/error.log"
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html")
auth.backend = "plain"
auth.backend.plain.userfile = "{w}/users"
auth.require = ("/basic/" => ("method" => "basic", "realm" => "monitoring", "require" => "valid-user"))
$HTTP["url"] =~ "^/private/" {{
  $HTTP["remoteip"] != "10.0.0.0/8" {{
    url.access-deny = ("")
  }}
}}
""")
        self.spawn(["/usr/sbin/lighttpd", "-D", "-f", os.path.join(w, "lighttpd.conf")])
        wait_for_port(self.port, self.procs[-1], what="lighttpd")


class Squid(Product):
    """Squid as an authenticating forward proxy in front of a small origin
    (Python's http.server) on 127.0.0.1: who may use it is decided by
    proxy_auth and destination-port ACLs."""

    name = "squid"
    title = "Squid"
    package = "squid"
    binaries = ("/usr/sbin/squid", "/usr/lib/squid/basic_ncsa_auth", "htpasswd")

    def start(self):
        w = self.work
        htpasswd(os.path.join(w, "users"), {"monitor": "secret", "intern": "student"})
        self.origin_port = free_port()
        self.other_port = free_port()
        os.makedirs(os.path.join(w, "site"), exist_ok=True)
        self.write("site/index.html", "hello\n")
        for port in (self.origin_port, self.other_port):
            self.spawn(["python3", "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory",
                        os.path.join(w, "site")], name="origin-%d" % port)
            wait_for_port(port, self.procs[-1], what="origin")
        self.write("squid.conf", f"""http_port 127.0.0.1:{self.port}
pid_filename {w}/squid.pid
cache_log {w}/cache.log
access_log none
cache deny all
shutdown_lifetime 0 seconds
cache_effective_user proxy
auth_param basic program /usr/lib/squid/basic_ncsa_auth {w}/users
auth_param basic realm monitoring proxy
acl authed proxy_auth REQUIRED
acl staff proxy_auth monitor
acl origin_port port {self.origin_port}
acl Safe_ports port 80 443 {self.origin_port} {self.other_port}
http_access deny !Safe_ports
http_access deny !authed
http_access allow staff origin_port
http_access deny all
""")
        subprocess.run(["chown", "-R", "proxy:proxy", w], check=True)
        self.spawn(["/usr/sbin/squid", "-N", "-f", os.path.join(w, "squid.conf")])
        wait_for_port(self.port, self.procs[-1], what="squid")
