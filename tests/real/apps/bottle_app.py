# SPDX-License-Identifier: GPL-2.0-or-later
"""Bottle with its auth_basic decorator, served by Bottle's own server.
Run: bottle_app.py PORT."""

import sys

from bottle import auth_basic, route, run


def check(user, password):
    return (user, password) == ("monitor", "secret")


@route("/private")
@auth_basic(check)
def private():
    return "hello"


run(host="127.0.0.1", port=int(sys.argv[1]), quiet=True)
