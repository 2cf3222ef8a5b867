# SPDX-License-Identifier: GPL-2.0-or-later
"""CherryPy with its auth_basic tool as its documentation configures it.
Run: cherrypy_app.py PORT."""

import sys

import cherrypy
from cherrypy.lib import auth_basic


class Root:
    @cherrypy.expose
    def index(self):
        return "hello"


cherrypy.config.update({"server.socket_host": "127.0.0.1", "server.socket_port": int(sys.argv[1]),
                        "environment": "production", "log.screen": False})
cherrypy.quickstart(Root(), "/", {"/": {
    "tools.auth_basic.on": True,
    "tools.auth_basic.realm": "monitoring",
    "tools.auth_basic.checkpassword": auth_basic.checkpassword_dict({"monitor": "secret"}),
    "tools.auth_basic.accept_charset": "UTF-8",
}})
