#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/real: web servers and proxies, configured to deny access the ways
operators do, against the real check_probewise. See realsuite.py."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "products"))

from realsuite import NOTHING, RealTest, Sent, basic, bearer, expired_jwt, fresh_jwt, jwt, run_check  # noqa: E402
from web_servers import Apache, Caddy, HAProxy, Lighttpd, Nginx, Squid  # noqa: E402


class ApacheHttpd(RealTest):
    product = Apache()

    def test_basic_nothing_sent(self):
        self.expect("basic-nothing-sent", "/basic/", config="AuthType Basic, AuthUserFile, Require user alice",
                    state="WARNING", reason="auth.missing_credentials", basis="local", line="missing credentials")

    def test_basic_wrong_password(self):
        self.expect("basic-wrong-password", "/basic/", sent=basic("monitor", "wrong"),
                    config="AuthType Basic, AuthUserFile, Require user alice; a wrong password",
                    state="WARNING", reason="auth.invalid_credentials", basis="status",
                    line="likely invalid credentials: the Basic credentials were sent and rejected")

    def test_basic_valid_user_not_allowed_is_still_401(self):
        # httpd answers an authorization failure with 401 unless AuthzSendForbiddenOnFailure:
        # the second hint says so.
        r = self.expect("basic-user-not-allowed-401", "/basic/", sent=basic("monitor", "secret"),
                        config="Require user alice; valid credentials of another user (httpd's default 401)",
                        state="WARNING", reason="auth.invalid_credentials", basis="status",
                        line="likely invalid credentials")
        self.assertIn("not allowed", r.hints[1], str(r))

    def test_basic_allowed_user(self):
        self.expect("basic-allowed", "/basic/", sent=basic("alice", "wonderland"),
                    config="Require user alice; alice's credentials", state="OK", reason="ok")

    def test_authz_forbidden_on_failure(self):
        self.expect("basic-user-not-allowed-403", "/basic403/", sent=basic("monitor", "secret"),
                    config="Require user alice with AuthzSendForbiddenOnFailure On; another user's credentials",
                    state="WARNING", reason="forbidden.permission", basis="presence",
                    line="likely permission denied: Basic credentials were sent",
                    hint="Apache httpd refused with its own default page")

    def test_group_required(self):
        self.expect("group-not-member", "/group/", sent=basic("monitor", "secret"),
                    config="Require group ops (AuthGroupFile), AuthzSendForbiddenOnFailure On; a user outside it",
                    state="WARNING", reason="forbidden.permission", basis="presence", line="likely permission denied")

    def test_ip_allowlist_nothing_sent(self):
        r = self.expect("require-ip-nothing-sent", "/iponly/", config="Require ip 10.0.0.0/8",
                        state="WARNING", reason="forbidden.unspecified", basis="presence",
                        not_line="likely", hint="Apache httpd refused with its own default page")
        self.assertIn("IP allowlist", r.hints[1], str(r))
        self.assertRegex(r.out, r"Reason: forbidden.unspecified \(forbidden, cause unknown\)")

    def test_ip_allowlist_with_credentials(self):
        self.expect("require-ip-with-credentials", "/iponly/", sent=basic("monitor", "secret"),
                    config="Require ip 10.0.0.0/8; Basic credentials sent anyway",
                    state="WARNING", reason="forbidden.permission", basis="presence", line="likely permission denied")

    def test_all_denied(self):
        self.expect("require-all-denied", "/denied/", config="Require all denied", state="WARNING",
                    reason="forbidden.unspecified", basis="presence")

    def test_oauth_no_token(self):
        self.expect("openidc-no-token", "/oauth/", config="mod_auth_openidc AuthType oauth20, shared-key JWTs",
                    state="WARNING", reason="auth.missing_credentials", basis="local",
                    evidence=['error="invalid_request"'])

    def test_oauth_basic_instead_of_bearer(self):
        self.expect("openidc-basic-sent", "/oauth/", sent=basic("monitor", "secret"),
                    config="mod_auth_openidc AuthType oauth20; Basic credentials sent",
                    state="WARNING", reason="auth.malformed_credentials", basis="explicit",
                    line="malformed credentials")

    def test_oauth_expired_token(self):
        self.expect("openidc-expired-jwt", "/oauth/", sent=bearer(expired_jwt(scope="monitoring")),
                    config="mod_auth_openidc AuthType oauth20; a JWT whose exp passed an hour ago",
                    state="WARNING", reason="auth.expired_credentials", basis="local",
                    line="expired credentials: the bearer token expired")

    def test_oauth_bad_signature(self):
        token = jwt({"sub": "monitor", "exp": 4102444800, "scope": "monitoring"}, key=b"another-key-another-key-0123")
        self.expect("openidc-bad-signature", "/oauth/", sent=bearer(token),
                    config="mod_auth_openidc AuthType oauth20; a JWT signed with another key",
                    state="WARNING", reason="auth.invalid_credentials", basis="explicit",
                    line="invalid credentials")

    def test_oauth_missing_scope(self):
        self.expect("openidc-missing-scope", "/oauth/", sent=bearer(fresh_jwt(scope="other")),
                    config="mod_auth_openidc, Require claim scope:monitoring; a valid JWT with another scope",
                    state="WARNING", reason="auth.invalid_credentials", basis="status", line="likely")

    def test_oauth_good_token(self):
        self.expect("openidc-good-jwt", "/oauth/", sent=bearer(fresh_jwt(scope="monitoring")),
                    config="mod_auth_openidc; a valid JWT with the scope", state="OK", reason="ok")

    def test_modsecurity_crs_blocks_sql_injection(self):
        # ModSecurity answers with httpd's own 403 page: nothing names the WAF.
        self.expect("modsecurity-crs-sqli", "/waf/?id=1%27%20OR%201=1--",
                    config="ModSecurity 2.9 with the OWASP CRS 3.3 (anomaly scoring, blocking); SQL injection in the query",
                    state="WARNING", reason="forbidden.unspecified", basis="presence")

    def test_modsecurity_crs_blocks_scanner_user_agent(self):
        r = self.expect("modsecurity-crs-scanner", "/waf/", options=("-A", "Nikto/2.5"),
                        config="ModSecurity with the CRS; a scanner's User-Agent",
                        state="WARNING", reason="forbidden.unspecified", basis="presence")
        self.assertIn("Check whether a WAF or bot rule", "\n".join(r.hints))
        self.assertTrue(any(e.startswith("User-Agent sent: Nikto") for e in r.evidence), str(r))

    def test_modsecurity_passes_clean_requests(self):
        self.expect("modsecurity-crs-clean", "/waf/", config="ModSecurity with the CRS; a clean request",
                    state="OK", reason="ok")


class NginxServer(RealTest):
    product = Nginx()

    def test_basic_nothing_sent(self):
        self.expect("basic-nothing-sent", "/basic/", config="auth_basic with auth_basic_user_file",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_basic_wrong_password(self):
        self.expect("basic-wrong-password", "/basic/", sent=basic("monitor", "wrong"),
                    config="auth_basic; a wrong password", state="WARNING", reason="auth.invalid_credentials",
                    basis="presence", line="likely invalid credentials")

    def test_allowlist_nothing_sent(self):
        self.expect("deny-all-nothing-sent", "/allowlist/", config="allow 10.0.0.0/8; deny all", state="WARNING",
                    reason="forbidden.unspecified", basis="presence", not_line="likely",
                    hint="nginx refused with its own default page")

    def test_allowlist_with_credentials(self):
        self.expect("deny-all-with-credentials", "/allowlist/", sent=basic("monitor", "secret"),
                    config="allow 10.0.0.0/8; deny all; Basic credentials sent", state="WARNING",
                    reason="forbidden.permission", basis="presence", line="likely permission denied")

    def test_auth_request_no_token(self):
        self.expect("auth-request-nothing-sent", "/gated/",
                    config="auth_request to a location that answers 401 without Authorization",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_auth_request_refuses_token(self):
        self.expect("auth-request-refused", "/gated/", sent=bearer("another-token"),
                    config="auth_request answering 403 to an unknown token", state="WARNING",
                    reason="forbidden.permission", basis="presence", line="likely permission denied")

    def test_limit_req_429(self):
        for _ in range(2):  # the rate (1/min) and the burst (1) used up
            run_check(["-H", "127.0.0.1", "-p", str(self.port()), "-u", "/limited/", "--no-state"])
        self.expect("limit-req-429", "/limited/", config="limit_req rate=1r/m burst=1 nodelay, limit_req_status 429",
                    state="WARNING", reason="throttled", line="rate limited")

    def test_plain_ok_health(self):
        self.expect("plain-ok-health", "/healthz", options=("--health",), config='return 200 "OK" as text/plain',
                    state="OK", reason="ok")


class HAProxyFrontend(RealTest):
    product = HAProxy()

    def test_http_auth_nothing_sent(self):
        self.expect("http-auth-nothing-sent", "/auth/", config="http-request auth with a userlist",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_http_auth_wrong_password(self):
        self.expect("http-auth-wrong-password", "/auth/", sent=basic("monitor", "wrong"),
                    config="http-request auth; a wrong password", state="WARNING",
                    reason="auth.invalid_credentials", basis="status", line="likely invalid credentials")

    def test_deny_by_source(self):
        self.expect("deny-by-source", "/admin/", config="http-request deny unless src 10.0.0.0/8",
                    state="WARNING", reason="forbidden.unspecified", basis="presence",
                    hint="HAProxy refused with its own default page")

    def test_deny_with_credentials(self):
        self.expect("deny-with-credentials", "/blocked/", sent=bearer("monitor-token"),
                    config="http-request deny; a bearer token sent", state="WARNING",
                    reason="forbidden.permission", basis="presence", line="likely permission denied")

    def test_stick_table_rate_limit(self):
        run_check(["-H", "127.0.0.1", "-p", str(self.port()), "-u", "/limited/", "--no-state"])
        self.expect("rate-limit-429", "/limited/", config="stick-table http_req_rate, deny_status 429",
                    state="WARNING", reason="throttled")

    def test_no_backend_server(self):
        self.expect("no-server-503", "/other", config="a backend without servers",
                    state="CRITICAL", reason="http.server_error", basis="status")

    def test_no_backend_server_with_health_stays_critical(self):
        self.expect("no-server-503-health", "/other", options=("--health",),
                    config="a backend without servers, checked with --health", state="CRITICAL",
                    reason="http.server_error")


class CaddyServer(RealTest):
    product = Caddy()

    def test_basicauth_nothing_sent(self):
        self.expect("basicauth-nothing-sent", "/basic/", config="basicauth with a bcrypt hash",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_basicauth_wrong_password(self):
        self.expect("basicauth-wrong-password", "/basic/", sent=basic("monitor", "wrong"),
                    config="basicauth; a wrong password", state="WARNING", reason="auth.invalid_credentials",
                    basis="status")

    def test_remote_ip_403(self):
        self.expect("remote-ip-403", "/allowlist/", config='not remote_ip 10.0.0.0/8 -> respond "Access denied" 403',
                    state="WARNING", reason="forbidden.unspecified", basis="status")

    def test_empty_403_with_token(self):
        self.expect("empty-403-with-token", "/forbidden", sent=bearer("monitor-token"),
                    config='respond 403 with an empty body; a bearer token sent', state="WARNING",
                    reason="forbidden.permission", basis="status", line="likely permission denied")

    def test_plain_ok_health(self):
        self.expect("plain-ok-health", "/health", options=("--health",), config='respond "OK" 200',
                    state="OK", reason="ok")


class LighttpdServer(RealTest):
    product = Lighttpd()

    def test_auth_nothing_sent(self):
        self.expect("auth-nothing-sent", "/basic/", config="mod_auth basic, plain user file",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_auth_wrong_password(self):
        self.expect("auth-wrong-password", "/basic/", sent=basic("monitor", "wrong"),
                    config="mod_auth basic; a wrong password", state="WARNING", reason="auth.invalid_credentials",
                    basis="status")

    def test_access_deny(self):
        self.expect("access-deny", "/private/", config='url.access-deny unless remoteip 10.0.0.0/8',
                    state="WARNING", reason="forbidden.unspecified", basis="status")


class SquidProxy(RealTest):
    product = Squid()

    def through(self, case, port, sent, **kw):
        p = self.product
        return self.expect(case, "http://127.0.0.1:%d/" % port, port=port, sent=sent,
                           options=("-x", "http://127.0.0.1:%d" % p.port), **kw)

    def test_proxy_credentials_missing(self):
        self.through("no-proxy-credentials", self.product.origin_port, NOTHING,
                     config="forward proxy, auth_param basic (basic_ncsa_auth), proxy_auth REQUIRED",
                     state="WARNING", reason="auth.proxy_required", basis="explicit")

    def test_proxy_credentials_wrong(self):
        self.through("wrong-proxy-credentials", self.product.origin_port, Sent(proxy_basic="monitor:wrong"),
                     config="proxy_auth REQUIRED; a wrong proxy password", state="WARNING",
                     reason="auth.proxy_required", line="refused the proxy credentials that were sent")

    def test_acl_denies_user(self):
        r = self.through("acl-denies-user", self.product.origin_port, Sent(proxy_basic="intern:student"),
                         config="http_access allow staff origin_port; deny all; a proxy user outside staff",
                         state="WARNING", reason="forbidden.permission", basis="explicit",
                         line="the proxy (Squid) refused the request itself",
                         evidence=["X-Squid-Error: ERR_ACCESS_DENIED", "sent: proxy credentials"])
        self.assertNotIn("sent: no credentials", r.evidence, str(r))

    def test_acl_denies_port(self):
        self.through("acl-denies-port", self.product.other_port, Sent(basic="monitor:secret",
                                                                      proxy_basic="monitor:secret"),
                     config="http_access allows staff to one port only; another port",
                     state="WARNING", reason="forbidden.permission", basis="explicit", line="the proxy (Squid)")

    def test_allowed_through_proxy(self):
        self.through("allowed", self.product.origin_port, Sent(proxy_basic="monitor:secret"),
                     config="a staff proxy user to the allowed port", state="OK", reason="ok")


if __name__ == "__main__":
    unittest.main()
