# SPDX-License-Identifier: GPL-2.0-or-later
"""API frameworks of tests/real: Django REST framework, FastAPI and Flask
from Debian's python3 packages; Express and Fastify from npm (installed by
`npm ci` into a private directory from tests/real/apps/node/package-lock.json)."""

import fcntl
import os
import shutil
import subprocess

from realsuite import HERE, Product, deb_version, wait_for_http, wait_for_port

APPS = os.path.join(HERE, "apps")
NODE_APPS = os.path.join(APPS, "node")
# Debian's interpreter, where Debian's python3-* packages are (another
# python3 may come first on PATH).
PYTHON = "/usr/bin/python3"
NODE_MODULES = os.environ.get("PROBEWISE_REAL_NODE_MODULES", "/tmp/probewise-real-node")


class PythonApp(Product):
    script = ""
    modules = ()  # importable modules the app needs

    def missing(self):
        for m in self.modules:
            p = subprocess.run([PYTHON, "-c", "import " + m], capture_output=True)
            if p.returncode != 0:
                return "python3 module " + m
        return None

    def start(self):
        args = [PYTHON, os.path.join(APPS, self.script), str(self.port)] + self.extra_args()
        self.spawn(args)
        wait_for_port(self.port, self.procs[-1], what=self.title)

    def extra_args(self):
        return []


class DjangoRest(PythonApp):
    name = "drf"
    title = "Django REST framework"
    package = "python3-djangorestframework"
    script = "drf_app.py"
    modules = ("rest_framework", "rest_framework_simplejwt", "health_check", "django")

    def version(self):
        return "%s (Django %s, simplejwt %s, django-health-check %s)" % (
            deb_version(self.package), deb_version("python3-django"),
            deb_version("python3-djangorestframework-simplejwt"), deb_version("python3-django-health-check"))

    def extra_args(self):
        return [self.work]


class FastAPI(PythonApp):
    name = "fastapi"
    title = "FastAPI"
    package = "python3-fastapi"
    script = "fastapi_app.py"
    modules = ("fastapi", "uvicorn", "jwt")

    def version(self):
        return "%s (Starlette %s, uvicorn %s)" % (deb_version(self.package), deb_version("python3-starlette"),
                                                  deb_version("python3-uvicorn"))


class Flask(PythonApp):
    name = "flask"
    title = "Flask"
    package = "python3-flask"
    script = "flask_app.py"
    modules = ("flask", "flask_httpauth", "flask_login", "flask_limiter")

    def version(self):
        return "%s (Flask-HTTPAuth %s, Flask-Login %s, Flask-Limiter %s)" % (
            deb_version(self.package), deb_version("python3-flask-httpauth"), deb_version("python3-flask-login"),
            deb_version("python3-flask-limiter"))


def node_modules():
    """node_modules for tests/real/apps/node, installed once with `npm ci`
    (the lock file pins every version) into PROBEWISE_REAL_NODE_MODULES."""
    os.makedirs(NODE_MODULES, exist_ok=True)
    with open(os.path.join(NODE_MODULES, ".lock"), "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # test files run in parallel
        return install_node_modules()


def install_node_modules():
    target = os.path.join(NODE_MODULES, "node_modules")
    lock = os.path.join(NODE_APPS, "package-lock.json")
    stamp = os.path.join(NODE_MODULES, "package-lock.json")
    if os.path.isdir(target) and os.path.exists(stamp) and open(stamp).read() == open(lock).read():
        return target
    for name in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(NODE_APPS, name), os.path.join(NODE_MODULES, name + ".new"))
        os.replace(os.path.join(NODE_MODULES, name + ".new"), os.path.join(NODE_MODULES, name))
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_MODULES, check=True,
                   capture_output=True, timeout=600)
    return target


class NodeApp(Product):
    binaries = ("node", "npm")
    script = ""

    def version(self):
        import json
        lock = json.load(open(os.path.join(NODE_APPS, "package-lock.json")))
        pkgs = lock.get("packages", {})
        names = [self.package] + list(self.companions)
        parts = ["%s %s" % (n, pkgs.get("node_modules/" + n, {}).get("version", "?")) for n in names]
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
        return "%s (node %s)" % (", ".join(parts), node)

    def start(self):
        modules = node_modules()
        self.spawn(["node", os.path.join(NODE_APPS, self.script), str(self.port)],
                   env={"NODE_PATH": modules, "NODE_ENV": "production"})
        wait_for_port(self.port, self.procs[-1], what=self.title)


class Express(NodeApp):
    name = "express"
    title = "Express"
    package = "express"
    companions = ("express-jwt", "express-session", "express-rate-limit", "@godaddy/terminus")
    script = "express_app.js"


class Fastify(NodeApp):
    name = "fastify"
    title = "Fastify"
    package = "fastify"
    companions = ("@fastify/jwt", "@fastify/basic-auth", "@fastify/rate-limit")
    script = "fastify_app.js"
