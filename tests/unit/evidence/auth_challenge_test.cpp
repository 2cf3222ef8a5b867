// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/auth_challenge.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace probewise {
namespace {

// ---- parse_challenges ----

// A challenge written compactly: "Scheme" then "name=value" params, or
// "Scheme #token68" for a token68.
struct ParseCase {
  const char* origin;
  const char* value;
  std::vector<std::vector<std::string>> expect;  // per challenge: scheme, then params or "#token68"
};

std::vector<std::vector<std::string>> compact(const std::vector<Challenge>& challenges) {
  std::vector<std::vector<std::string>> out;
  for (const auto& c : challenges) {
    std::vector<std::string> one{c.scheme};
    if (!c.token68.empty()) one.push_back("#" + c.token68);
    for (const auto& [n, v] : c.params) one.push_back(n + "=" + v);
    out.push_back(one);
  }
  return out;
}

void PrintTo(const ParseCase& c, std::ostream* os) {
  *os << c.origin;
}

class ParseChallenges : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseChallenges, ReadsEveryChallenge) {
  const auto& c = GetParam();
  EXPECT_EQ(compact(parse_challenges(c.value)), c.expect) << c.origin << ": " << c.value;
}

const ParseCase kParseCases[] = {
    // RFC 7617 2: the Basic example.
    {"RFC 7617 2", R"(Basic realm="WallyWorld")", {{"Basic", "realm=WallyWorld"}}},
    // RFC 7617 2.1: charset param.
    {"RFC 7617 2.1", R"(Basic realm="foo", charset="UTF-8")", {{"Basic", "realm=foo", "charset=UTF-8"}}},
    // RFC 9110 11.6.1: two challenges in one value, an escaped quote, a token value.
    {"RFC 9110 11.6.1",
     R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")",
     {{"Newauth", "realm=apps", "type=1", "title=Login to \"apps\""}, {"Basic", "realm=simple"}}},
    // RFC 6750 3: the bare and the error examples.
    {"RFC 6750 3, bare", R"(Bearer realm="example")", {{"Bearer", "realm=example"}}},
    {"RFC 6750 3, error",
     R"(Bearer realm="example", error="invalid_token", error_description="The access token expired")",
     {{"Bearer", "realm=example", "error=invalid_token", "error_description=The access token expired"}}},
    // The brief: Basic and Bearer in one value.
    {"two schemes, one line",
     R"(Basic realm="a", Bearer realm="b", error="invalid_token")",
     {{"Basic", "realm=a"}, {"Bearer", "realm=b", "error=invalid_token"}}},
    // RFC 4559 4.2: Negotiate with a token68 (SPNEGO blob), with and without padding.
    {"RFC 4559 4.2",
     "Negotiate YIIBZgYGKwYBBQUCoIIBWjCC+/==",
     {{"Negotiate", "#YIIBZgYGKwYBBQUCoIIBWjCC+/=="}}},
    {"token68 without padding", "Negotiate abc123", {{"Negotiate", "#abc123"}}},
    {"token68 with one pad", "NTLM TlRMTVNTUAACAAAA=", {{"NTLM", "#TlRMTVNTUAACAAAA="}}},
    {"token68 then a challenge",
     R"(Negotiate abc==, Basic realm="x")",
     {{"Negotiate", "#abc=="}, {"Basic", "realm=x"}}},
    // RFC 7616 3.9.1: Digest with several params, qop list in a quoted string.
    {"RFC 7616 3.9.1",
     R"(Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")",
     {{"Digest", "realm=http-auth@example.org", "qop=auth, auth-int", "algorithm=SHA-256",
       "nonce=7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
       "opaque=FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"}}},
    // RFC 9110 11.6.1: BWS around "=", param names are case-insensitive.
    {"BWS around =",
     R"(Bearer Realm = "api" , Error= invalid_token)",
     {{"Bearer", "realm=api", "error=invalid_token"}}},
    // Microsoft's documented Azure AD example: trailing comma, two spaces between params.
    {"Azure AD (Microsoft docs, RFC 6750 errors)",
     R"(Bearer authorization_uri="https://login.window.net/contoso.com/oauth2/authorize",  error="invalid_token",  error_description="The access token is missing.",)",
     {{"Bearer", "authorization_uri=https://login.window.net/contoso.com/oauth2/authorize",
       "error=invalid_token", "error_description=The access token is missing."}}},
    // Google APIs: realm is a URL.
    {"Google APIs",
     R"(Bearer realm="https://accounts.google.com/", error="invalid_token")",
     {{"Bearer", "realm=https://accounts.google.com/", "error=invalid_token"}}},
    // Non-standard servers.
    {"Bearer alone", "Bearer", {{"Bearer"}}},
    {"lower-case scheme", R"(bearer realm="x")", {{"bearer", "realm=x"}}},
    {"no commas between params",
     "Bearer realm=api error=invalid_token",
     {{"Bearer", "realm=api", "error=invalid_token"}}},
    {"no comma between challenges",
     R"(Basic realm="a" Bearer realm="b")",
     {{"Basic", "realm=a"}, {"Bearer", "realm=b"}}},
    {"quoted values run together", R"(Bearer realm="a"error="b")", {{"Bearer", "realm=a", "error=b"}}},
    {"unquoted URL realm",
     "Bearer realm=https://auth.example.com/token,service=registry",
     {{"Bearer", "realm=https://auth.example.com/token", "service=registry"}}},
    {"empty list elements", R"(, ,Basic realm="a",, ,Bearer,)", {{"Basic", "realm=a"}, {"Bearer"}}},
    {"unterminated quote",
     R"(Bearer error="invalid_token", error_description="The token expired)",
     {{"Bearer", "error=invalid_token", "error_description=The token expired"}}},
    {"quote opened in the wrong place",
     R"(Bearer realm="api, error="invalid_token)",
     {{"Bearer", "realm=api, error="}, {"invalid_token"}}},
    {"trailing backslash in quote (kept: it escapes nothing)",
     "Bearer realm=\"a\\",
     {{"Bearer", "realm=a\\"}}},
    {"empty value",
     R"(Bearer realm="", error="invalid_token")",
     {{"Bearer", "realm=", "error=invalid_token"}}},
    {"empty header", "", {}},
    {"only separators", " , ,\t", {}},
    {"param before any scheme is dropped", R"(realm="x", Basic)", {{"Basic"}}},
    {"stray characters", R"("junk" = ; Basic realm="x")", {{"Basic", "realm=x"}}},
    {"params after a token68 are dropped", "Negotiate abc==, realm=x", {{"Negotiate", "#abc=="}}},
};

INSTANTIATE_TEST_SUITE_P(Cases, ParseChallenges, ::testing::ValuesIn(kParseCases));

TEST(ParseChallengesBounds, CapsChallengesParamsAndValues) {
  std::string many;
  for (int k = 0; k < 200; ++k) many += "S" + std::to_string(k) + ", ";
  EXPECT_EQ(parse_challenges(many).size(), kMaxChallenges);

  std::string params = "Bearer ";
  for (int k = 0; k < 200; ++k) params += "p" + std::to_string(k) + "=v, ";
  auto p = parse_challenges(params);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].params.size(), kMaxChallengeParams);

  std::string long_value = "Bearer realm=\"" + std::string(5000, 'x') + "\", error=invalid_token";
  auto v = parse_challenges(long_value);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].param("realm")->size(), kMaxChallengeValue);
  EXPECT_EQ(v[0].param("error"), "invalid_token");  // the rest is still read

  std::string huge(1 << 20, 'a');  // one 1 MiB "scheme"
  auto h = parse_challenges(huge);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].scheme.size(), kMaxChallengeValue);
}

TEST(ChallengeParam, IsCaseInsensitive) {
  auto c = parse_challenges(R"(Bearer ERROR="invalid_token")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("error"), "invalid_token");
  EXPECT_EQ(c[0].param("Error"), "invalid_token");
  EXPECT_FALSE(c[0].param("scope").has_value());
}

TEST(RenderChallenge, NeverRepeatsAToken68) {
  auto c = parse_challenges("Negotiate c2VjcmV0LXRva2Vu==");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(render_challenge(c[0]), "Negotiate <token68 omitted>");
  auto p = parse_challenges(R"(Bearer realm="a \"b\"")");
  EXPECT_EQ(render_challenge(p[0]), R"(Bearer realm="a \"b\"")");
}

// ---- challenge_signals ----

struct SignalCase {
  const char* origin;
  int status;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> reasons;  // in order
  const char* detail_has;            // in the first signal's detail ("" = no check)
  Strength strength;                 // of the first signal
};

HeaderMap headers_of(const std::vector<std::pair<std::string, std::string>>& list) {
  HeaderMap h;
  for (const auto& [n, v] : list) h.add(n, v);
  return h;
}

void PrintTo(const SignalCase& c, std::ostream* os) {
  *os << c.origin;
}

class ChallengeSignals : public ::testing::TestWithParam<SignalCase> {};

TEST_P(ChallengeSignals, MapsErrorsToReasons) {
  const auto& c = GetParam();
  Signals s = challenge_signals(headers_of(c.headers), c.status);
  std::vector<std::string> reasons;
  for (const auto& one : s) reasons.push_back(one.reason);
  EXPECT_EQ(reasons, c.reasons) << c.origin;
  if (s.empty()) return;
  EXPECT_NE(s[0].detail.find(c.detail_has), std::string::npos) << c.origin << ": " << s[0].detail;
  EXPECT_EQ(s[0].strength, c.strength) << c.origin;
  EXPECT_FALSE(s[0].evidence.empty());
  EXPECT_LE(s[0].evidence.size(), 200u);
}

const SignalCase kSignalCases[] = {
    // RFC 6750 3: the expired-token example.
    {"RFC 6750 3",
     401,
     {{"WWW-Authenticate",
       R"(Bearer realm="example", error="invalid_token", error_description="The access token expired")"}},
     {"auth.expired_credentials"},
     "the access token expired",
     Strength::explicit_},
    {"RFC 6750 3.1 invalid_token, no description",
     401,
     {{"WWW-Authenticate", R"(Bearer realm="example", error="invalid_token")"}},
     {"auth.invalid_credentials"},
     "the server rejected the bearer token (invalid_token)",
     Strength::explicit_},
    {"RFC 6750 3.1 invalid_token, bad signature",
     401,
     {{"WWW-Authenticate", R"(Bearer error="invalid_token", error_description="The signature is invalid")"}},
     {"auth.invalid_credentials"},
     "(invalid_token: The signature is invalid)",
     Strength::explicit_},
    {"RFC 6750 3.1 invalid_request",
     400,
     {{"WWW-Authenticate", R"(Bearer error="invalid_request")"}},
     {"auth.malformed_credentials"},
     "malformed",
     Strength::explicit_},
    {"RFC 6750 3.1 insufficient_scope",
     403,
     {{"WWW-Authenticate", R"(Bearer realm="example", error="insufficient_scope", scope="admin:write")"}},
     {"forbidden.permission"},
     "scope needed: admin:write",
     Strength::explicit_},
    // ASP.NET Core JwtBearer's description of an expired token.
    {"ASP.NET Core JwtBearer",
     401,
     {{"WWW-Authenticate",
       R"(Bearer error="invalid_token", error_description="The token expired at '01/15/2026 10:00:00'")"}},
     {"auth.expired_credentials"},
     "expired",
     Strength::explicit_},
    // Azure Resource Manager's expiry wording.
    {"Azure Resource Manager",
     401,
     {{"WWW-Authenticate",
       R"(Bearer authorization_uri="https://login.windows.net/tenant", error="invalid_token", error_description="The access token expiry UTC time '1/1/2026 10:00:00 AM' is earlier than current UTC time '1/2/2026 10:00:00 AM'.")"}},
     {"auth.expired_credentials"},
     "the access token expired",
     Strength::explicit_},
    // Microsoft Entra ID: AADSTS in the description names the provider.
    {"Microsoft Entra ID AADSTS",
     401,
     {{"WWW-Authenticate",
       R"(Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token", error_description="AADSTS50013: Assertion failed signature validation.")"}},
     {"auth.invalid_credentials"},
     "Microsoft Entra ID rejected the bearer token (invalid_token: AADSTS50013",
     Strength::explicit_},
    // Microsoft's documented "missing" example.
    {"Azure AD docs, token missing",
     401,
     {{"WWW-Authenticate",
       R"(Bearer authorization_uri="https://login.window.net/contoso.com/oauth2/authorize",  error="invalid_token",  error_description="The access token is missing.",)"}},
     {"auth.missing_credentials"},
     "no access token",
     Strength::explicit_},
    // Google APIs.
    {"Google APIs",
     401,
     {{"WWW-Authenticate", R"(Bearer realm="https://accounts.google.com/", error="invalid_token")"}},
     {"auth.invalid_credentials"},
     "Google rejected the bearer token",
     Strength::explicit_},
    // Non-RFC codes.
    {"error=expired_token",
     401,
     {{"WWW-Authenticate", R"(Bearer error="expired_token")"}},
     {"auth.expired_credentials"},
     "the access token expired",
     Strength::explicit_},
    {"error=token_expired",
     401,
     {{"WWW-Authenticate", R"(Bearer error="token_expired")"}},
     {"auth.expired_credentials"},
     "the access token expired",
     Strength::explicit_},
    {"Envoy jwt_authn, no commas",
     401,
     {{"WWW-Authenticate", "Bearer realm=api error=invalid_token"}},
     {"auth.invalid_credentials"},
     "invalid_token",
     Strength::explicit_},
    {"unknown code with expiry words",
     401,
     {{"WWW-Authenticate", R"(Bearer error="unauthorized", error_description="Jwt is expired")"}},
     {"auth.expired_credentials"},
     "expired",
     Strength::wording},
    {"unknown code",
     401,
     {{"WWW-Authenticate", R"(Bearer error="denied")"}},
     {"auth.invalid_credentials"},
     "(denied)",
     Strength::wording},
    {"unknown code on a 403 says nothing",
     403,
     {{"WWW-Authenticate", R"(Bearer error="denied")"}},
     {},
     "",
     Strength::wording},
    {"RFC 6749 temporarily_unavailable on a 503",
     503,
     {{"WWW-Authenticate", R"(Bearer error="temporarily_unavailable")"}},
     {"auth.service_unavailable"},
     "temporarily unavailable",
     Strength::explicit_},
    // A bare challenge on a 401: credentials are wanted, nothing more.
    {"RFC 7617 bare Basic",
     401,
     {{"WWW-Authenticate", R"(Basic realm="WallyWorld")"}},
     {"auth.missing_credentials"},
     "the server asks for credentials (Basic)",
     Strength::wording},
    {"two headers, two schemes",
     401,
     {{"WWW-Authenticate", R"(Basic realm="a")"}, {"WWW-Authenticate", "Bearer"}},
     {"auth.missing_credentials"},
     "(Basic, Bearer)",
     Strength::wording},
    {"one error among several challenges",
     401,
     {{"WWW-Authenticate", R"(Basic realm="a", Bearer realm="b", error="invalid_token")"}},
     {"auth.invalid_credentials"},
     "invalid_token",
     Strength::explicit_},
    {"bare challenge on a 403 says nothing",
     403,
     {{"WWW-Authenticate", R"(Basic realm="a")"}},
     {},
     "",
     Strength::wording},
    {"challenge on a 200 is ignored",
     200,
     {{"WWW-Authenticate", R"(Bearer error="invalid_token")"}},
     {},
     "",
     Strength::wording},
    {"401 without a challenge", 401, {}, {}, "", Strength::wording},
    {"garbage challenge", 401, {{"WWW-Authenticate", R"(" = ,)"}}, {}, "", Strength::wording},
    // RFC 9110 11.7.1: 407 is always the proxy's.
    {"RFC 9110 407 with Proxy-Authenticate",
     407,
     {{"Proxy-Authenticate", R"(Basic realm="Squid proxy-caching web server")"}},
     {"auth.proxy_required"},
     "the proxy asks for credentials (Basic)",
     Strength::explicit_},
    {"407 without Proxy-Authenticate",
     407,
     {},
     {"auth.proxy_required"},
     "the proxy asks for credentials",
     Strength::explicit_},
    {"407 ignores WWW-Authenticate errors",
     407,
     {{"WWW-Authenticate", R"(Bearer error="invalid_token")"}, {"Proxy-Authenticate", "Negotiate"}},
     {"auth.proxy_required"},
     "(Negotiate)",
     Strength::explicit_},
};

INSTANTIATE_TEST_SUITE_P(Cases, ChallengeSignals, ::testing::ValuesIn(kSignalCases));

TEST(ChallengeSignalsEvidence, QuotesTheChallenge) {
  HeaderMap h;
  h.add("WWW-Authenticate", R"(Bearer realm="example", error="invalid_token")");
  Signals s = challenge_signals(h, 401);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].evidence, R"(WWW-Authenticate: Bearer realm="example", error="invalid_token")");
}

TEST(ChallengeSignalsEvidence, NeverQuotesAToken68) {
  HeaderMap h;
  h.add("WWW-Authenticate", "Negotiate c2VjcmV0LXRva2Vu==");
  h.add("Proxy-Authenticate", "NTLM c2VjcmV0LXRva2Vu");
  for (int status : {401, 407}) {
    for (const auto& s : challenge_signals(h, status)) {
      EXPECT_EQ(s.evidence.find("c2VjcmV0"), std::string::npos) << s.evidence;
      EXPECT_NE(s.evidence.find("<token68 omitted>"), std::string::npos) << s.evidence;
    }
  }
}

TEST(ChallengeSignalsEvidence, IsShortAndPrintable) {
  HeaderMap h;
  h.add("WWW-Authenticate",
        "Bearer error=\"invalid_token\", error_description=\"line\x01one " + std::string(2000, 'x') + "\"");
  Signals s = challenge_signals(h, 401);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_LE(s[0].evidence.size(), 200u);
  EXPECT_LE(s[0].detail.size(), 250u);
  for (char ch : s[0].evidence + s[0].detail) EXPECT_GE(static_cast<unsigned char>(ch), 0x20);
}

}  // namespace
}  // namespace probewise
