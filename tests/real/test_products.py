#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/real: products with auth or health endpoints (the Docker registry,
Prometheus, Alertmanager, etcd) against the real check_probewise. See
realsuite.py."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "products"))

from realsuite import RealTest, basic, bearer, header  # noqa: E402
from services import Alertmanager, DockerRegistry, Etcd, Prometheus  # noqa: E402


class Registry(RealTest):
    product = DockerRegistry()

    def test_nothing_sent(self):
        self.expect("v2-nothing-sent", "/v2/", config="auth: htpasswd (bcrypt)", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("v2-wrong-password", "/v2/", sent=basic("monitor", "wrong"),
                    config="auth: htpasswd; a wrong password (errors[].code UNAUTHORIZED)", state="WARNING",
                    reason="auth.invalid_credentials", basis="wording")

    def test_bearer_to_basic_realm(self):
        self.expect("v2-bearer-sent", "/v2/", sent=bearer("a-registry-token"),
                    config="auth: htpasswd (a Basic realm); a bearer token sent", state="WARNING",
                    reason="auth.malformed_credentials", basis="local", line="asks for the Basic scheme")

    def test_good_credentials(self):
        self.expect("v2-ok", "/v2/", sent=basic("monitor", "secret"), config="auth: htpasswd; valid credentials",
                    state="OK", reason="ok")


class PrometheusServer(RealTest):
    product = Prometheus()

    def test_nothing_sent(self):
        self.expect("nothing-sent", "/-/healthy", config="web.config.file basic_auth_users", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_wrong_password_with_health(self):
        # A denial's body is no health document: the 401 speaks, never UNKNOWN.
        self.expect("wrong-password-health", "/-/healthy", sent=basic("monitor", "wrong"), options=("--health",),
                    config="basic_auth_users; a wrong password, checked with --health", state="WARNING",
                    reason="auth.invalid_credentials", basis="status")

    def test_healthy(self):
        r = self.expect("healthy", "/-/healthy", sent=basic("monitor", "secret"), options=("--health",),
                        config="GET /-/healthy ('Prometheus Server is Healthy.')", state="OK", reason="ok")
        self.assertIn("Health (text): Prometheus Server is Healthy.", r.out)

    def test_ready(self):
        self.expect("ready", "/-/ready", sent=basic("monitor", "secret"), options=("--health",),
                    config="GET /-/ready ('Prometheus Server is Ready.')", state="OK", reason="ok")


class AlertmanagerServer(RealTest):
    product = Alertmanager()

    def test_nothing_sent(self):
        self.expect("nothing-sent", "/api/v2/status", config="web.config.file basic_auth_users",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_healthy(self):
        self.expect("healthy", "/-/healthy", sent=basic("monitor", "secret"), options=("--health",),
                    config="GET /-/healthy ('OK')", state="OK", reason="ok")


class EtcdServer(RealTest):
    product = Etcd()

    def test_health_text_plain(self):
        r = self.expect("health", "/health", options=("--health",),
                        config='GET /health ({"health":"true"} as text/plain)', state="OK", reason="ok")
        self.assertIn("Health (etcd): true", r.out)

    def test_kv_without_user(self):
        # The gRPC gateway answers 400 InvalidArgument when auth is on and no token was sent.
        self.expect("kv-nothing-sent-400", "/v3/kv/range", options=("-P", '{"key":"Zm9v"}'),
                    config="auth enabled; POST /v3/kv/range without a token ('user name is empty', 400)",
                    state="WARNING", reason="auth.missing_credentials", basis="explicit")

    def test_kv_invalid_token(self):
        # etcd takes the token without a scheme; its own words decide.
        self.expect("kv-invalid-token", "/v3/kv/range", options=("-P", '{"key":"Zm9v"}'),
                    sent=header("Authorization: not-a-token"),
                    config="auth enabled; a bare token etcd does not know ('invalid auth token')",
                    state="WARNING", reason="auth.invalid_credentials", basis="explicit")


if __name__ == "__main__":
    unittest.main()
