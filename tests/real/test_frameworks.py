#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/real: API frameworks (Debian's python3 packages and npm), with the
authentication, permission and rate-limit helpers they ship, against the
real check_probewise. See realsuite.py."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "products"))

from realsuite import RealTest, basic, bearer, expired_jwt, fresh_jwt, header, jwt, run_check  # noqa: E402
from frameworks import DjangoRest, Express, Fastify, FastAPI, Flask  # noqa: E402

DRF_TOKEN = "0123456789abcdef0123456789abcdef01234567"
OTHER_KEY = b"another-key-another-key-0123456789"


class DjangoRestFramework(RealTest):
    product = DjangoRest()

    def test_token_nothing_sent(self):
        self.expect("token-nothing-sent", "/token/", config="TokenAuthentication + IsAuthenticated",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_token_invalid(self):
        self.expect("token-invalid", "/token/", sent=header("Authorization: Token not-a-known-token"),
                    config="TokenAuthentication; an unknown token", state="WARNING",
                    reason="auth.invalid_credentials", basis="wording")

    def test_token_sent_as_bearer(self):
        # DRF's TokenAuthentication ignores the Bearer keyword and says nothing was sent.
        self.expect("token-sent-as-bearer", "/token/", sent=bearer(DRF_TOKEN),
                    config="TokenAuthentication (keyword Token); the right key sent as Bearer",
                    state="WARNING", reason="auth.malformed_credentials", basis="local",
                    line="the server asks for the Token scheme, the check sent Bearer")

    def test_token_valid(self):
        self.expect("token-valid", "/token/", sent=header("Authorization: Token " + DRF_TOKEN),
                    config="TokenAuthentication; a valid key", state="OK", reason="ok")

    def test_session_only_answers_403(self):
        # SessionAuthentication has no challenge, so DRF answers 403 (SPEC 1.3).
        self.expect("session-nothing-sent-403", "/session/", config="SessionAuthentication + IsAuthenticated",
                    state="WARNING", reason="auth.missing_credentials", basis="explicit",
                    line="missing credentials")

    def test_not_staff(self):
        self.expect("not-staff", "/admin/", sent=header("Authorization: Token " + DRF_TOKEN),
                    config="TokenAuthentication + IsAdminUser; a non-staff user's key", state="WARNING",
                    reason="forbidden.permission", basis="explicit", line="permission denied")

    def test_simplejwt_garbage(self):
        self.expect("simplejwt-invalid", "/jwt/", sent=bearer("abc.def.ghi"),
                    config="djangorestframework-simplejwt JWTAuthentication; a token that is no JWT",
                    state="WARNING", reason="auth.invalid_credentials", basis="explicit",
                    line="token_not_valid")

    def test_simplejwt_expired(self):
        token = jwt({"user_id": 1, "token_type": "access", "jti": "j1", "exp": 1700000000, "iat": 1699990000},
                    key=b"probewise-real-suite-shared-key-0123456789")
        self.expect("simplejwt-expired", "/jwt/", sent=bearer(token),
                    config="simplejwt; an access token whose exp passed", state="WARNING",
                    reason="auth.expired_credentials", basis="local")

    def test_throttled(self):
        run_check(["-H", "127.0.0.1", "-p", str(self.port()), "-u", "/throttled/", "--no-state"])
        self.expect("anon-throttled", "/throttled/", config="AnonRateThrottle 1/day, the second request",
                    state="WARNING", reason="throttled", line="retry in")

    def test_health_check(self):
        self.expect("django-health-check", "/ht/?format=json", options=("--health",),
                    config="django-health-check with the database backend", state="OK", reason="ok")


class FastAPIApp(RealTest):
    product = FastAPI()

    def test_http_bearer_nothing_sent_is_403(self):
        self.expect("http-bearer-nothing-sent-403", "/bearer", config="HTTPBearer()",
                    state="WARNING", reason="auth.missing_credentials", basis="wording",
                    line="missing credentials")

    def test_http_bearer_basic_sent(self):
        self.expect("http-bearer-basic-sent", "/bearer", sent=basic(),
                    config="HTTPBearer(); Basic credentials sent", state="WARNING",
                    reason="auth.invalid_credentials", basis="explicit")

    def test_http_bearer_wrong_token(self):
        self.expect("http-bearer-wrong-token", "/bearer", sent=bearer("wrong"),
                    config="HTTPBearer(); the app rejects the token with 401 Invalid token", state="WARNING",
                    reason="auth.invalid_credentials", basis="wording")

    def test_http_basic_nothing_sent(self):
        self.expect("http-basic-nothing-sent", "/basic", config="HTTPBasic()", state="WARNING",
                    reason="auth.missing_credentials", basis="local")

    def test_http_basic_wrong_password(self):
        self.expect("http-basic-wrong-password", "/basic", sent=basic("monitor", "wrong"),
                    config="HTTPBasic(); the docs' 'Incorrect username or password'", state="WARNING",
                    reason="auth.invalid_credentials", basis="wording")

    def test_oauth2_scope_missing(self):
        self.expect("oauth2-scope-missing", "/items", sent=bearer(fresh_jwt(scope="other")),
                    config="OAuth2PasswordBearer with SecurityScopes (the docs' example); a JWT without the scope",
                    state="WARNING", reason="forbidden.permission", basis="wording",
                    line="permission denied")

    def test_oauth2_expired(self):
        self.expect("oauth2-expired", "/items", sent=bearer(expired_jwt(scope="items:read")),
                    config="OAuth2PasswordBearer, PyJWT; an expired JWT ('Token has expired')",
                    state="WARNING", reason="auth.expired_credentials", basis="local")

    def test_oauth2_bad_signature(self):
        token = jwt({"sub": "monitor", "exp": 4102444800, "scope": "items:read"}, key=OTHER_KEY)
        self.expect("oauth2-bad-signature", "/items", sent=bearer(token),
                    config="OAuth2PasswordBearer, PyJWT; a JWT signed with another key ('Could not validate "
                           "credentials')",
                    state="WARNING", reason="auth.invalid_credentials", basis="wording")

    def test_not_enough_permissions_403(self):
        self.expect("not-enough-permissions-403", "/admin", sent=bearer(fresh_jwt(scope="items:read")),
                    config="a dependency raising 403 'Not enough permissions'", state="WARNING",
                    reason="forbidden.permission", basis="wording")


class FlaskApp(RealTest):
    product = Flask()

    def test_httpauth_basic_nothing_sent(self):
        self.expect("httpauth-basic-nothing-sent", "/basic", config="Flask-HTTPAuth HTTPBasicAuth",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_httpauth_basic_wrong_password(self):
        self.expect("httpauth-basic-wrong-password", "/basic", sent=basic("monitor", "wrong"),
                    config="Flask-HTTPAuth HTTPBasicAuth; a wrong password ('Unauthorized Access')",
                    state="WARNING", reason="auth.invalid_credentials", basis="status")

    def test_httpauth_token_wrong(self):
        self.expect("httpauth-token-wrong", "/token", sent=bearer("wrong"),
                    config="Flask-HTTPAuth HTTPTokenAuth(scheme='Bearer'); an unknown token",
                    state="WARNING", reason="auth.invalid_credentials", basis="status")

    def test_httpauth_token_as_basic(self):
        self.expect("httpauth-token-basic-sent", "/token", sent=basic(),
                    config="Flask-HTTPAuth HTTPTokenAuth(scheme='Bearer'); Basic credentials sent",
                    state="WARNING", reason="auth.malformed_credentials", basis="local",
                    line="asks for the Bearer scheme")

    def test_login_required(self):
        self.expect("login-required", "/login", config="Flask-Login login_required without a login view",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_limiter(self):
        run_check(["-H", "127.0.0.1", "-p", str(self.port()), "-u", "/limited", "--no-state"])
        self.expect("limiter-429", "/limited", config="Flask-Limiter '1 per day', the second request",
                    state="WARNING", reason="throttled")


class ExpressApp(RealTest):
    product = Express()

    def test_jwt_nothing_sent(self):
        self.expect("jwt-nothing-sent", "/api", config="express-jwt with the README's error handler (JSON)",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_jwt_expired(self):
        self.expect("jwt-expired", "/api", sent=bearer(expired_jwt()), config="express-jwt; an expired JWT",
                    state="WARNING", reason="auth.expired_credentials", basis="local")

    def test_jwt_bad_signature(self):
        token = jwt({"sub": "monitor", "exp": 4102444800}, key=OTHER_KEY)
        self.expect("jwt-bad-signature", "/api", sent=bearer(token), config="express-jwt; another key's JWT",
                    state="WARNING", reason="auth.invalid_credentials", basis="explicit")

    def test_jwt_basic_sent(self):
        self.expect("jwt-basic-sent", "/api", sent=basic(), config="express-jwt; Basic credentials sent",
                    state="WARNING", reason="auth.malformed_credentials", basis="explicit",
                    line="credentials_bad_scheme")

    def test_default_error_handler(self):
        token = jwt({"sub": "monitor", "exp": 4102444800}, key=OTHER_KEY)
        self.expect("jwt-default-error-handler", "/plain", sent=bearer(token),
                    config="express-jwt with Express's default error handler, NODE_ENV=production",
                    state="WARNING", reason="auth.invalid_credentials", basis="status")

    def test_session_guard(self):
        self.expect("session-not-logged-in", "/account",
                    config="express-session; a route that answers 401 'Not logged in' without a session",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_rate_limit(self):
        run_check(["-H", "127.0.0.1", "-p", str(self.port()), "-u", "/limited", "--no-state"])
        self.expect("rate-limit-429", "/limited",
                    config="express-rate-limit, limit 1 per minute, draft-7 RateLimit headers",
                    state="WARNING", reason="throttled", line="retry in")

    def test_terminus_healthy(self):
        self.expect("terminus-healthy", "/ready", options=("--health",),
                    config="@godaddy/terminus health check returning {db: 'up'}", state="OK", reason="ok")


class FastifyApp(RealTest):
    product = Fastify()

    def test_jwt_nothing_sent(self):
        self.expect("jwt-nothing-sent", "/api", config="@fastify/jwt request.jwtVerify()",
                    state="WARNING", reason="auth.missing_credentials", basis="local")

    def test_jwt_expired(self):
        self.expect("jwt-expired", "/api", sent=bearer(expired_jwt()), config="@fastify/jwt; an expired JWT",
                    state="WARNING", reason="auth.expired_credentials", basis="local")

    def test_jwt_bad_signature(self):
        token = jwt({"sub": "monitor", "exp": 4102444800}, key=OTHER_KEY)
        self.expect("jwt-bad-signature", "/api", sent=bearer(token), config="@fastify/jwt; another key's JWT",
                    state="WARNING", reason="auth.invalid_credentials", basis="explicit",
                    line="FST_JWT_AUTHORIZATION_TOKEN_INVALID")

    def test_jwt_basic_sent(self):
        self.expect("jwt-basic-sent", "/api", sent=basic(), config="@fastify/jwt; Basic credentials sent",
                    state="WARNING", reason="auth.malformed_credentials", basis="wording",
                    line="the server saw no credentials although Basic credentials were sent")

    def test_basic_auth_wrong_password(self):
        self.expect("basic-auth-wrong-password", "/basic", sent=basic("monitor", "wrong"),
                    config="@fastify/basic-auth", state="WARNING", reason="auth.invalid_credentials")

    def test_rate_limit(self):
        run_check(["-H", "127.0.0.1", "-p", str(self.port()), "-u", "/limited", "--no-state"])
        self.expect("rate-limit-429", "/limited", config="@fastify/rate-limit, max 1 per minute",
                    state="WARNING", reason="throttled")


if __name__ == "__main__":
    unittest.main()
