# SPDX-License-Identifier: GPL-2.0-or-later
"""Falcon with the token middleware of its README's "more complex example"
(HTTPUnauthorized with a Token challenge, HTTPForbidden for a role), served
by waitress. Run: falcon_app.py PORT."""

import sys

import falcon
from waitress import serve

TOKENS = {"Token monitor-token": "monitor", "Token admin-token": "admin"}


class AuthMiddleware:
    def process_request(self, req, resp):
        token = req.get_header("Authorization")
        challenges = ['Token type="Fernet"']
        if token is None:
            raise falcon.HTTPUnauthorized(title="Auth token required",
                                          description="Please provide an auth token as part of the request.",
                                          challenges=challenges)
        if token not in TOKENS:
            raise falcon.HTTPUnauthorized(title="Authentication required",
                                          description="The provided auth token is not valid. "
                                                      "Please request a new token and try again.",
                                          challenges=challenges)
        req.context.user = TOKENS[token]


class Things:
    def on_get(self, req, resp):
        resp.media = {"things": []}


class Admin:
    def on_get(self, req, resp):
        if req.context.user != "admin":
            raise falcon.HTTPForbidden(title="Forbidden", description="Administrator role required.")
        resp.media = {"ok": True}


app = falcon.App(middleware=[AuthMiddleware()])
app.add_route("/things", Things())
app.add_route("/admin", Admin())
serve(app, host="127.0.0.1", port=int(sys.argv[1]), _quiet=True)
