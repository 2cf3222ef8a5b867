# SPDX-License-Identifier: GPL-2.0-or-later
"""Application servers and frameworks of tests/real beyond frameworks.py:
Apache Tomcat (the Manager application with tomcat-users.xml, a
RemoteCIDRValve on an application), CherryPy, Bottle and Falcon from
Debian's python3 packages, and hapi, Koa and Passport from npm."""

import os

from frameworks import NodeApp, PythonApp
from realsuite import Product, deb_version, wait_for_http

TOMCAT_HOME = "/usr/share/tomcat10"
TOMCAT_MANAGER = "/usr/share/tomcat10-admin/manager"


class Tomcat(Product):
    """A private CATALINA_BASE: the packaged manager webapp with its stock
    context (RemoteCIDRValve for 127.0.0.0/8), users in tomcat-users.xml,
    and an application whose context allows one other network only."""

    name = "tomcat"
    title = "Apache Tomcat"
    package = "tomcat10"
    binaries = (TOMCAT_HOME + "/bin/catalina.sh", TOMCAT_MANAGER)

    def version(self):
        return "%s (tomcat10-admin %s)" % (deb_version("tomcat10"), deb_version("tomcat10-admin"))

    def start(self):
        w = self.work
        for name in ("web.xml", "catalina.properties", "logging.properties", "context.xml"):
            with open(os.path.join("/etc/tomcat10", name)) as f:
                self.write("conf/" + name, f.read())
        self.write("conf/server.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<Server port="-1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector port="{self.port}" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000"/>
    <Engine name="Catalina" defaultHost="localhost">
      <Realm className="org.apache.catalina.realm.MemoryRealm" pathname="conf/tomcat-users.xml"/>
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false"/>
    </Engine>
  </Service>
</Server>
""")
        self.write("conf/tomcat-users.xml", """<?xml version="1.0" encoding="UTF-8"?>
<tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
  <role rolename="manager-gui"/>
  <role rolename="manager-script"/>
  <role rolename="manager-status"/>
  <user username="monitor" password="secret" roles="manager-status"/>
  <user username="deployer" password="secret" roles="manager-script"/>
</tomcat-users>
""")
        self.write("conf/Catalina/localhost/manager.xml",
                   '<Context docBase="%s" privileged="true" antiResourceLocking="false">\n'
                   '  <Valve className="org.apache.catalina.valves.RemoteCIDRValve" allow="127.0.0.0/8, ::1/128"/>\n'
                   '</Context>\n' % TOMCAT_MANAGER)
        self.write("apps/internal/index.html", "<html><body>internal</body></html>\n")
        self.write("conf/Catalina/localhost/internal.xml",
                   '<Context docBase="%s/apps/internal">\n'
                   '  <Valve className="org.apache.catalina.valves.RemoteCIDRValve" allow="192.0.2.0/24"/>\n'
                   '</Context>\n' % w)
        for d in ("logs", "webapps", "work", "temp"):
            os.makedirs(os.path.join(w, d), exist_ok=True)
        env = {"CATALINA_HOME": TOMCAT_HOME, "CATALINA_BASE": w, "CATALINA_TMPDIR": os.path.join(w, "temp"),
               "JAVA_OPTS": "-Xmx256m -XX:TieredStopAtLevel=1"}
        self.spawn([TOMCAT_HOME + "/bin/catalina.sh", "run"], env=env)
        wait_for_http("http://127.0.0.1:%d/manager/status" % self.port, proc=self.procs[-1], timeout=120,
                      ok=lambda status: status == 401)


class CherryPy(PythonApp):
    name = "cherrypy"
    title = "CherryPy"
    package = "python3-cherrypy3"
    script = "cherrypy_app.py"
    modules = ("cherrypy",)


class Bottle(PythonApp):
    name = "bottle"
    title = "Bottle"
    package = "python3-bottle"
    script = "bottle_app.py"
    modules = ("bottle",)


class Falcon(PythonApp):
    name = "falcon"
    title = "Falcon"
    package = "python3-falcon"
    script = "falcon_app.py"
    modules = ("falcon", "waitress")

    def version(self):
        return "%s (waitress %s)" % (deb_version(self.package), deb_version("python3-waitress"))


class Hapi(NodeApp):
    name = "hapi"
    title = "hapi"
    package = "@hapi/hapi"
    companions = ("@hapi/basic", "hapi-auth-jwt2")
    script = "hapi_app.js"


class Koa(NodeApp):
    name = "koa"
    title = "Koa"
    package = "koa"
    companions = ("koa-jwt", "@koa/router")
    script = "koa_app.js"


class Passport(NodeApp):
    name = "passport"
    title = "Passport (on Express)"
    package = "passport"
    companions = ("passport-http", "passport-http-bearer", "express")
    script = "passport_app.js"
