#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/real: Apache Tomcat and the frameworks of app_servers.py (CherryPy,
Bottle, Falcon, hapi, Koa, Passport) against the real check_probewise. See
realsuite.py."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "products"))

from realsuite import RealTest, basic, bearer, expired_jwt, fresh_jwt, header, jwt  # noqa: E402
from app_servers import Bottle, CherryPy, Falcon, Hapi, Koa, Passport, Tomcat  # noqa: E402

OTHER_KEY = b"another-key-another-key-0123456789"


class TomcatServer(RealTest):
    product = Tomcat()

    def test_manager_nothing_sent(self):
        self.expect("manager-nothing-sent", "/manager/status", config="the Manager, tomcat-users.xml",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_manager_wrong_password(self):
        self.expect("manager-wrong-password", "/manager/status", sent=basic("monitor", "wrong"),
                    config="the Manager; a wrong password ('You are not authorized to view this page')",
                    state="WARNING", reason="auth.invalid_credentials")

    def test_manager_role_missing(self):
        self.expect("manager-role-missing", "/manager/text/list", sent=basic("monitor", "secret"),
                    config="the Manager; a manager-status user on the text interface (manager-script)",
                    state="WARNING", reason="forbidden.permission")

    def test_manager_ok(self):
        self.expect("manager-text-ok", "/manager/text/serverinfo", sent=basic("deployer", "secret"),
                    config="the Manager's text interface; a manager-script user", state="OK", reason="ok")

    def test_address_valve(self):
        self.expect("remote-cidr-valve-403", "/internal/", config="an application with a RemoteCIDRValve for "
                    "another network", state="WARNING", reason="forbidden.unspecified")


class CherryPyApp(RealTest):
    product = CherryPy()

    def test_nothing_sent(self):
        self.expect("auth-basic-nothing-sent", "/", config="tools.auth_basic", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("auth-basic-wrong-password", "/", sent=basic("monitor", "wrong"),
                    config="tools.auth_basic; a wrong password ('You are not authorized to access that resource')",
                    state="WARNING", reason="auth.invalid_credentials")

    def test_ok(self):
        self.expect("auth-basic-ok", "/", sent=basic("monitor", "secret"), config="tools.auth_basic",
                    state="OK", reason="ok")


class BottleApp(RealTest):
    product = Bottle()

    def test_nothing_sent(self):
        self.expect("auth-basic-nothing-sent", "/private", config="@auth_basic(check)", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("auth-basic-wrong-password", "/private", sent=basic("monitor", "wrong"),
                    config="@auth_basic(check); a wrong password ('Access denied')", state="WARNING",
                    reason="auth.invalid_credentials")

    def test_ok(self):
        self.expect("auth-basic-ok", "/private", sent=basic("monitor", "secret"), config="@auth_basic(check)",
                    state="OK", reason="ok")


class FalconApp(RealTest):
    product = Falcon()

    def test_nothing_sent(self):
        self.expect("token-nothing-sent", "/things", config="the README's AuthMiddleware (a Token challenge)",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_wrong_token(self):
        self.expect("token-wrong", "/things", sent=header("Authorization: Token wrong-token"),
                    config="AuthMiddleware; an unknown token", state="WARNING", reason="auth.invalid_credentials")

    def test_bearer_sent(self):
        self.expect("bearer-sent", "/things", sent=bearer("monitor-token"),
                    config="AuthMiddleware (Token challenge); the token sent as Bearer, 'not valid' in the answer",
                    state="WARNING", reason="auth.invalid_credentials")

    def test_role(self):
        self.expect("role-403", "/admin", sent=header("Authorization: Token monitor-token"),
                    config="HTTPForbidden for a user without the administrator role", state="WARNING",
                    reason="forbidden.permission")

    def test_ok(self):
        self.expect("token-ok", "/things", sent=header("Authorization: Token monitor-token"),
                    config="AuthMiddleware; a known token", state="OK", reason="ok")


class HapiApp(RealTest):
    product = Hapi()

    def test_basic_nothing_sent(self):
        self.expect("basic-nothing-sent", "/basic", config="@hapi/basic", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_basic_wrong_password(self):
        self.expect("basic-wrong-password", "/basic", sent=basic("monitor", "wrong"),
                    config="@hapi/basic; a wrong password", state="WARNING", reason="auth.invalid_credentials")

    def test_jwt_nothing_sent(self):
        self.expect("jwt-nothing-sent", "/api", config="hapi-auth-jwt2", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_jwt_expired(self):
        self.expect("jwt-expired", "/api", sent=bearer(expired_jwt()), config="hapi-auth-jwt2; an expired JWT",
                    state="WARNING", reason="auth.expired_credentials")

    def test_jwt_bad_signature(self):
        token = jwt({"sub": "monitor", "exp": 4102444800}, key=OTHER_KEY)
        self.expect("jwt-bad-signature", "/api", sent=bearer(token), config="hapi-auth-jwt2; another key's JWT",
                    state="WARNING", reason="auth.invalid_credentials")

    def test_jwt_scope(self):
        self.expect("jwt-insufficient-scope", "/admin", sent=bearer(fresh_jwt(scope=["read"])),
                    config="hapi-auth-jwt2; a route that needs scope admin", state="WARNING",
                    reason="forbidden.permission")

    def test_jwt_ok(self):
        self.expect("jwt-ok", "/api", sent=bearer(fresh_jwt()), config="hapi-auth-jwt2; a valid JWT",
                    state="OK", reason="ok")


class KoaApp(RealTest):
    product = Koa()

    def test_nothing_sent(self):
        self.expect("jwt-nothing-sent", "/api", config="koa-jwt", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_expired(self):
        self.expect("jwt-expired", "/api", sent=bearer(expired_jwt()), config="koa-jwt; an expired JWT",
                    state="WARNING", reason="auth.expired_credentials", basis="local")

    def test_bad_signature(self):
        token = jwt({"sub": "monitor", "exp": 4102444800}, key=OTHER_KEY)
        self.expect("jwt-bad-signature", "/api", sent=bearer(token), config="koa-jwt; another key's JWT",
                    state="WARNING", reason="auth.invalid_credentials")

    def test_ok(self):
        self.expect("jwt-ok", "/api", sent=bearer(fresh_jwt()), config="koa-jwt; a valid JWT", state="OK",
                    reason="ok")


class PassportApp(RealTest):
    product = Passport()

    def test_basic_nothing_sent(self):
        self.expect("basic-nothing-sent", "/basic", config="passport-http BasicStrategy", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_basic_wrong_password(self):
        self.expect("basic-wrong-password", "/basic", sent=basic("monitor", "wrong"),
                    config="BasicStrategy; a wrong password", state="WARNING", reason="auth.invalid_credentials")

    def test_bearer_nothing_sent(self):
        self.expect("bearer-nothing-sent", "/bearer", config="passport-http-bearer", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_bearer_wrong(self):
        self.expect("bearer-wrong", "/bearer", sent=bearer("wrong-token"),
                    config="passport-http-bearer; an unknown token (error=\"invalid_token\")", state="WARNING",
                    reason="auth.invalid_credentials")

    def test_basic_to_bearer(self):
        self.expect("bearer-basic-sent", "/bearer", sent=basic(), config="passport-http-bearer; Basic sent",
                    state="WARNING", reason="auth.malformed_credentials")

    def test_bearer_ok(self):
        self.expect("bearer-ok", "/bearer", sent=bearer("monitor-token"), config="passport-http-bearer",
                    state="OK", reason="ok")


if __name__ == "__main__":
    unittest.main()
