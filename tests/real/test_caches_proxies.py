#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/real: caches and filtering proxies (Varnish, tinyproxy, Privoxy)
against the real check_probewise. See realsuite.py."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "products"))

from realsuite import RealTest, Sent, basic, run_check  # noqa: E402
from caches_proxies import Privoxy, Tinyproxy, Varnish  # noqa: E402


class VarnishCache(RealTest):
    product = Varnish()

    def test_acl(self):
        # Varnish puts Retry-After on every synthetic answer: a detail of the
        # denial, not a rate limit.
        self.expect("acl-403", "/acl", config="an acl without the probe's address, synth(403)",
                    state="WARNING", reason="forbidden.unspecified", not_line="rate")

    def test_throttled(self):
        run_check(["-H", "127.0.0.1", "-p", str(self.port()), "-u", "/limited", "--no-state"])
        self.expect("vsthrottle-429", "/limited", config="vsthrottle.is_denied(client.identity, 1, 60s), synth(429)",
                    state="WARNING", reason="throttled")

    def test_nothing_sent(self):
        self.expect("basic-nothing-sent", "/private", config="a Basic-auth check in vcl_recv, synth(401)",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_wrong_password(self):
        self.expect("basic-wrong-password", "/private", sent=basic("monitor", "wrong"),
                    config="a Basic-auth check in vcl_recv; a wrong password ('Authentication required')",
                    state="WARNING", reason="auth.invalid_credentials")

    def test_good_password(self):
        self.expect("basic-ok", "/private", sent=basic("monitor", "secret"),
                    config="a Basic-auth check in vcl_recv; the right password", state="OK", reason="ok")


class TinyproxyProxy(RealTest):
    product = Tinyproxy()

    def via(self, port):
        return ("-x", "http://127.0.0.1:%d" % port)

    def test_acl(self):
        self.expect("allow-403", "/", host="monitored.example", port=80, options=self.via(self.port()),
                    config="Allow without the probe's address", state="WARNING", reason="forbidden.ip")

    def test_proxy_auth(self):
        self.expect("basicauth-407", "/", host="monitored.example", port=80,
                    options=self.via(self.product.filter_port), config="BasicAuth; no proxy credentials",
                    state="WARNING", reason="auth.proxy_required")

    def test_filtered(self):
        self.expect("filtered-403", "/", host="blocked.example", port=80,
                    sent=Sent(proxy_basic="monitor:secret"), options=self.via(self.product.filter_port),
                    config="BasicAuth and a Filter list with the host", state="WARNING", reason="forbidden.waf")


class PrivoxyProxy(RealTest):
    product = Privoxy()

    def test_blocked(self):
        r = self.expect("blocked-403", "/health", host="blocked.example", port=80,
                        options=("-x", "http://127.0.0.1:%d" % self.port()),
                        config="a +block{reason} action for the host", state="WARNING", reason="forbidden.waf")
        self.assertIn("Privoxy", r.status_line, str(r))


if __name__ == "__main__":
    unittest.main()
