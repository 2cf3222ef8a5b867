#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/real: message brokers, time-series databases and daemons with an
HTTP API (RabbitMQ, InfluxDB, VictoriaMetrics, NATS, Syncthing, Transmission,
Radicale) against the real check_probewise. See realsuite.py."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "products"))

from realsuite import RealTest, basic, bearer, header, jwt  # noqa: E402
from stores_brokers import InfluxDB, Nats, RabbitMQ, Radicale, Syncthing, Transmission, VictoriaMetrics  # noqa: E402

OTHER_KEY = b"another-key-another-key-0123456789"


class RabbitMQManagement(RealTest):
    product = RabbitMQ()

    def test_nothing_sent(self):
        self.expect("nothing-sent", "/api/overview", config="management plugin, stock auth (internal users)",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("wrong-password", "/api/overview", sent=basic("monitor", "wrong"),
                    config="a wrong password ('Login failed')", state="WARNING",
                    reason="auth.invalid_credentials")

    def test_unknown_user(self):
        self.expect("unknown-user", "/api/overview", sent=basic("ghost", "secret"),
                    config="a user that does not exist ('Login failed')", state="WARNING",
                    reason="auth.invalid_credentials")

    def test_not_management_user(self):
        self.expect("not-management-user", "/api/overview", sent=basic("monitor", "secret"),
                    config="a user without the management tag (401 'Not management user')", state="WARNING",
                    reason="forbidden.permission")

    def test_not_administrator(self):
        self.expect("not-administrator", "/api/users", sent=basic("viewer", "secret"),
                    config="a 'monitoring' user on an administrator's endpoint (401 'Not administrator user')",
                    state="WARNING", reason="forbidden.permission")

    def test_vhost_not_authorised(self):
        self.expect("vhost-not-authorised", "/api/aliveness-test/%2F", sent=basic("viewer", "secret"),
                    config="a user without permissions on the vhost", state="WARNING",
                    reason="forbidden.permission")

    def test_bearer_to_basic(self):
        self.expect("bearer-sent", "/api/overview", sent=bearer("a-rabbitmq-token"),
                    config="no OAuth 2.0 plugin; a bearer token sent", state="WARNING",
                    reason="auth.malformed_credentials")

    def test_health(self):
        self.expect("health-alarms", "/api/health/checks/alarms", sent=basic("viewer", "secret"),
                    options=("--health",), config="GET /api/health/checks/alarms ({\"status\":\"ok\"})",
                    state="OK", reason="ok")


class InfluxDBServer(RealTest):
    product = InfluxDB()

    def jwt_for(self, user="monitor", exp=3600, key=None):
        now = int(time.time())
        return jwt({"username": user, "iat": now - 7200 if exp < 0 else now - 60, "exp": now + exp},
                   key=key or InfluxDB.shared_secret.encode())

    def test_nothing_sent(self):
        self.expect("nothing-sent", "/query?q=SHOW+DATABASES", config="auth-enabled = true",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("wrong-password", "/query?q=SHOW+DATABASES", sent=basic("monitor", "wrong"),
                    config="auth-enabled; a wrong password ('authorization failed')", state="WARNING",
                    reason="auth.invalid_credentials")

    def test_not_admin(self):
        self.expect("not-admin-403", "/query?q=SHOW+USERS", sent=basic("monitor", "secret"),
                    config="auth-enabled; a non-admin user runs SHOW USERS ('requires admin privilege')",
                    state="WARNING", reason="forbidden.permission")

    def test_jwt_expired(self):
        self.expect("jwt-expired", "/query?q=SHOW+DATABASES", sent=bearer(self.jwt_for(exp=-3600)),
                    config="shared-secret; a JWT whose exp passed ('Token is expired')", state="WARNING",
                    reason="auth.expired_credentials")

    def test_jwt_bad_signature(self):
        self.expect("jwt-bad-signature", "/query?q=SHOW+DATABASES", sent=bearer(self.jwt_for(key=OTHER_KEY)),
                    config="shared-secret; a JWT signed with another key, a Basic challenge and "
                           "'signature is invalid'", state="WARNING", reason="auth.invalid_credentials")

    def test_jwt_unknown_user(self):
        self.expect("jwt-unknown-user", "/query?q=SHOW+DATABASES", sent=bearer(self.jwt_for(user="ghost")),
                    config="shared-secret; a JWT for a user that does not exist ('user not found')",
                    state="WARNING", reason="auth.invalid_credentials")

    def test_jwt_malformed(self):
        self.expect("jwt-malformed", "/query?q=SHOW+DATABASES", sent=bearer("not-a-jwt"),
                    config="shared-secret; a bearer value that is no JWT", state="WARNING",
                    reason="auth.malformed_credentials")

    def test_jwt_ok(self):
        self.expect("jwt-ok", "/query?q=SHOW+DATABASES", sent=bearer(self.jwt_for()),
                    config="shared-secret; a valid JWT", state="OK", reason="ok")

    def test_ping_health(self):
        self.expect("ping-health", "/ping", options=("--health",),
                    config="GET /ping, the documented health check (204 No Content)", state="OK", reason="ok")


class VictoriaMetricsServer(RealTest):
    product = VictoriaMetrics()

    def test_nothing_sent(self):
        self.expect("nothing-sent", "/api/v1/query?query=up", config="-httpAuth.username/-httpAuth.password",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("wrong-password", "/api/v1/query?query=up", sent=basic("monitor", "wrong"),
                    config="-httpAuth.*; a wrong password", state="WARNING", reason="auth.invalid_credentials")

    def test_bearer_sent(self):
        self.expect("bearer-sent", "/api/v1/query?query=up", sent=bearer("a-token"),
                    config="-httpAuth.*; a bearer token sent", state="WARNING",
                    reason="auth.malformed_credentials", line="asks for the Basic scheme")

    def test_health(self):
        self.expect("health", "/health", options=("--health",), config="GET /health ('OK')", state="OK",
                    reason="ok")


class NatsMonitoring(RealTest):
    product = Nats()

    def test_healthz(self):
        self.expect("healthz", "/healthz", options=("--health",), config="-m PORT; GET /healthz",
                    state="OK", reason="ok")


class SyncthingRest(RealTest):
    product = Syncthing()

    def test_nothing_sent(self):
        self.expect("nothing-sent-403", "/rest/system/status", config="GUI address with an API key",
                    state="WARNING", reason="auth.missing_credentials")

    def test_wrong_key(self):
        self.expect("wrong-key", "/rest/system/status", sent=header("X-API-Key: wrong-key"),
                    config="a wrong X-API-Key ('CSRF Error')", state="WARNING", reason="auth.invalid_credentials")

    def test_good_key(self):
        self.expect("good-key", "/rest/system/status", sent=header("X-API-Key: " + Syncthing.api_key),
                    config="the right X-API-Key", state="OK", reason="ok")


class TransmissionRpc(RealTest):
    product = Transmission()

    def test_whitelist(self):
        self.expect("whitelist-403", "/transmission/rpc", port=self.product.whitelist_port,
                    config="rpc-whitelist without 127.0.0.1", state="WARNING", reason="forbidden.ip")

    def test_nothing_sent(self):
        self.expect("nothing-sent", "/transmission/web/", config="rpc-authentication-required",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("wrong-password", "/transmission/web/", sent=basic("monitor", "wrong"),
                    config="rpc-authentication-required; a wrong password", state="WARNING",
                    reason="auth.invalid_credentials")

    def test_good_password(self):
        self.expect("good-password", "/transmission/web/", sent=basic("monitor", "secret"),
                    config="rpc-authentication-required; the right password", state="OK", reason="ok")


class RadicaleServer(RealTest):
    product = Radicale()

    def test_nothing_sent(self):
        self.expect("nothing-sent", "/alice/", config="auth htpasswd (bcrypt), rights from_file",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("wrong-password", "/alice/", sent=basic("monitor", "wrong"),
                    config="a wrong password (401 'Access to the requested resource forbidden.')",
                    state="WARNING", reason="auth.invalid_credentials")

    def test_other_users_collection(self):
        self.expect("other-users-collection", "/alice/", sent=basic("monitor", "secret"),
                    config="rights: owner only; another user's collection", state="WARNING",
                    reason="forbidden.permission")

    def test_web_interface(self):
        self.expect("web-ok", "/.web/", sent=basic("monitor", "secret"), config="the web interface",
                    state="OK", reason="ok")


if __name__ == "__main__":
    unittest.main()
