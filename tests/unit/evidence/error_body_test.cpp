// SPDX-License-Identifier: GPL-2.0-or-later
// error_body_signals and the shared body-text helpers; and the recorded
// denials under data/denials, read by both body readers together.
#include "evidence/error_body.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "base/text.h"
#include "evidence/vendor_fingerprints.h"
#include "support/recorded.h"

namespace probewise {
namespace {

HeaderMap headers(const std::string& block) {
  return parse_header_block("HTTP/1.1 000 X\r\n" + block);
}

// The signal a diagnosis would start from: the strongest, first among equals.
const Signal* strongest(const Signals& s) {
  const Signal* best = nullptr;
  for (const auto& x : s)
    if (x.strength != Strength::presence && (!best || x.strength > best->strength)) best = &x;
  return best;
}

std::string best_reason(const std::string& body, int status, const std::string& hdrs = "") {
  auto s = error_body_signals(headers(hdrs), body, status);
  const Signal* b = strongest(s);
  return b ? b->reason : "";
}

// ---------------------------------------------------------------------------
// Table-driven dialects (origin in each comment; the recorded answers under
// data/denials cover the same dialects with whole answers).

struct Case {
  const char* origin;
  int status;
  const char* body;
  const char* reason;
};

TEST(ErrorBody, Dialects) {
  const Case cases[] = {
      // Recorded from real software (tests/real, issue 11).
      {"FastAPI 0.92 HTTPBearer, nothing sent", 403, R"({"detail":"Not authenticated"})",
       "auth.missing_credentials"},
      {"FastAPI docs' scopes example", 401, R"({"detail":"Not enough permissions"})", "forbidden.permission"},
      {"express-jwt 8 credentials_required", 401,
       R"({"error":"credentials_required","message":"No authorization token was found"})",
       "auth.missing_credentials"},
      {"express-jwt 8 credentials_bad_scheme", 401,
       R"({"error":"credentials_bad_scheme","message":"Format is Authorization: Bearer [token]"})",
       "auth.malformed_credentials"},
      {"@fastify/jwt expired", 401,
       R"({"statusCode":401,"code":"FST_JWT_AUTHORIZATION_TOKEN_EXPIRED","error":"Unauthorized","message":"Authorization token expired"})",
       "auth.expired_credentials"},
      {"@fastify/jwt nothing sent", 401,
       R"({"statusCode":401,"code":"FST_JWT_NO_AUTHORIZATION_IN_HEADER","error":"Unauthorized","message":"No Authorization was found in request.headers"})",
       "auth.missing_credentials"},
      {"a wrong scheme named in words", 401, R"({"message":"Invalid authentication scheme"})",
       "auth.malformed_credentials"},
      {"RFC 6749 5.2", 400, R"({"error":"invalid_grant","error_description":"Refresh token expired"})",
       "auth.expired_credentials"},
      {"RFC 6749 5.2", 400, R"({"error":"invalid_grant","error_description":"Invalid user credentials"})",
       "auth.invalid_credentials"},
      {"RFC 6749 5.2", 400, R"({"error":"unsupported_grant_type"})", "auth.malformed_credentials"},
      {"RFC 6749 5.2", 401, R"({"error":"unauthorized_client","error_description":"Invalid client secret"})",
       "auth.invalid_credentials"},
      {"RFC 6750 3.1", 401, R"({"error":"invalid_token","error_description":"The access token expired"})",
       "auth.expired_credentials"},
      {"RFC 6750 3.1", 401, R"({"error":"invalid_token","error_description":"Signature invalid"})",
       "auth.invalid_credentials"},
      {"express-jwt", 401, R"({"code":"invalid_token","message":"jwt malformed"})",
       "auth.malformed_credentials"},
      {"Google APIs", 403, R"({"error":{"code":403,"status":"PERMISSION_DENIED","message":"denied"}})",
       "forbidden.permission"},
      {"Google APIs", 429, R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"Quota"}})",
       "throttled"},
      {"Google APIs (legacy)", 403,
       R"({"error":{"errors":[{"domain":"usageLimits","reason":"dailyLimitExceeded","message":"Daily Limit Exceeded"}],"code":403}})",
       "throttled"},
      {"AWS query XML", 403,
       "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security "
       "token "
       "included in the request is invalid.</Message></Error></ErrorResponse>",
       "auth.invalid_credentials"},
      {"AWS EC2 XML", 401,
       "<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided "
       "access credentials</Message></Error></Errors></Response>",
       "auth.invalid_credentials"},
      {"AWS JSON", 400,
       R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"})",
       "throttled"},
      {"Azure ARM", 401,
       R"({"error":{"code":"InvalidAuthenticationToken","message":"The access token is invalid."}})",
       "auth.invalid_credentials"},
      {"Azure Storage", 401,
       "<?xml version=\"1.0\"?><Error><Code>NoAuthenticationInformation</Code><Message>Server failed to "
       "authenticate the request. Please refer to the information in the www-authenticate "
       "header.</Message></Error>",
       "auth.missing_credentials"},
      {"Azure AD", 400,
       R"({"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity."})",
       "auth.expired_credentials"},
      {"Azure AD", 401,
       R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."})",
       "auth.invalid_credentials"},
      {"Azure AD", 400,
       R"({"error":"invalid_grant","error_description":"AADSTS53003: Access has been blocked by Conditional Access policies."})",
       "forbidden.permission"},  // AADSTS says why; the OAuth code only how
      {"Kubernetes", 403,
       R"({"kind":"Status","status":"Failure","message":"nodes is forbidden: User \"probe\" cannot list resource \"nodes\"","reason":"Forbidden","code":403})",
       "forbidden.permission"},
      {"Slack", 429, R"({"ok":false,"error":"ratelimited"})", "throttled"},
      {"Slack", 401, R"({"ok":false,"error":"not_authed"})", "auth.missing_credentials"},
      {"Okta", 429,
       R"({"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."})",
       "throttled"},
      {"Keycloak", 400, R"({"error":"invalid_grant","error_description":"Session not active"})",
       "auth.expired_credentials"},
      {"Elasticsearch", 401,
       R"({"error":{"type":"security_exception","reason":"unable to authenticate user [probe] for REST request [/]"},"status":401})",
       "auth.invalid_credentials"},
      {"Elasticsearch", 401,
       R"({"error":{"type":"security_exception","reason":"token expired"},"status":401})",
       "auth.expired_credentials"},
      {"DRF", 403, R"({"detail":"You do not have permission to perform this action."})",
       "forbidden.permission"},
      {"DRF", 401, R"({"detail":"Invalid token."})", "auth.invalid_credentials"},
      {"FastAPI", 401, R"({"detail":"Could not validate credentials"})", "auth.invalid_credentials"},
      {"JSON:API", 401, R"({"errors":[{"status":"401","code":"missing_token","title":"Unauthorized"}]})",
       "auth.missing_credentials"},
      {"problem+json", 503,
       R"({"title":"Service Unavailable","status":503,"detail":"Authentication service is unavailable, try again later"})",
       "auth.service_unavailable"},
      {"PyJWT", 401, R"({"msg":"Signature has expired"})", "auth.expired_credentials"},
      {"plain text", 401, "Unauthorized: missing Authorization header", "auth.missing_credentials"},
      {"plain text", 403, "Forbidden: insufficient permissions for /admin", "forbidden.permission"},
      {"HTML", 429, "<html><body><h1>Too Many Requests</h1></body></html>", "throttled"},
      {"identity backend", 502, "upstream auth error: identity provider request timed out after 5s",
       "auth.service_unavailable"},
      // Not claims: words in a 400 validation error, a server's own file permissions in a 500.
      {"validation error", 400, R"({"message":"Pagination token is not valid"})", ""},
      {"Python traceback", 500, "PermissionError: [Errno 13] Permission denied: '/var/log/app.log'", ""},
      {"Spring 500", 500, R"({"status":500,"error":"Internal Server Error","message":"Token has expired"})",
       ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.origin) + ": " + c.body);
    EXPECT_EQ(best_reason(c.body, c.status), c.reason);
  }
}

TEST(ErrorBody, ExplicitCodesAndWordingStrengths) {
  auto s = error_body_signals(headers(""), R"({"error":"invalid_token"})", 401);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.front().strength, Strength::explicit_);
  s = error_body_signals(headers(""), "the token has expired", 401);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.front().strength, Strength::wording);
  for (const auto& x : error_body_signals(headers(""), R"({"status":"UNAUTHENTICATED"})", 401))
    EXPECT_NE(x.strength, Strength::presence);
}

TEST(ErrorBody, BestFirstAndOnePerReason) {
  // Google: ErrorInfo's ACCESS_TOKEN_EXPIRED beats the status and message words.
  auto s =
      error_body_signals(headers(""),
                         R"({"error":{"code":401,"status":"UNAUTHENTICATED","message":"Request had invalid )"
                         R"(authentication credentials.","details":[{"reason":"ACCESS_TOKEN_EXPIRED"}]}})",
                         401);
  ASSERT_GE(s.size(), 2u);
  EXPECT_EQ(s[0].reason, "auth.expired_credentials");
  std::set<std::string> reasons;
  for (const auto& x : s) EXPECT_TRUE(reasons.insert(x.reason).second) << x.reason;
}

TEST(ErrorBody, DetailAndEvidenceInOperatorWords) {
  auto s = error_body_signals(headers(""),
                              R"({"error":"invalid_grant","error_description":"Token is not active"})", 400);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0].detail, "the refresh token or grant expired: Token is not active");
  EXPECT_EQ(s[0].evidence, R"(body: error="invalid_grant", error_description="Token is not active")");

  s = error_body_signals(
      headers(""),
      R"({"error":{"code":403,"message":"Permission 'x.list' denied on resource 'p'.","status":"PERMISSION_DENIED"}})",
      403);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0].detail, "the caller lacks permission: Permission 'x.list' denied on resource 'p'");
  EXPECT_NE(s[0].evidence.find(R"(error.status="PERMISSION_DENIED")"), std::string::npos) << s[0].evidence;
}

TEST(ErrorBody, EvidenceIsShort) {
  std::string long_message(5000, 'a');
  auto s = error_body_signals(
      headers(""), R"({"error":"access_denied","error_description":")" + long_message + "\"}", 403);
  ASSERT_FALSE(s.empty());
  EXPECT_LE(s[0].evidence.size(), 200u);
  EXPECT_LE(s[0].detail.size(), 200u);
}

TEST(ErrorBody, HeaderCodes) {
  // HEAD answers from Azure Storage carry the code only in x-ms-error-code.
  auto s = error_body_signals(headers("x-ms-error-code: AuthorizationPermissionMismatch\r\n"), "", 403);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0].reason, "forbidden.permission");
  EXPECT_EQ(s[0].evidence, "header x-ms-error-code: AuthorizationPermissionMismatch");
  EXPECT_EQ(
      best_reason("", 400, "x-amzn-ErrorType: ExpiredTokenException:http://internal.amazon.com/coral/\r\n"),
      "auth.expired_credentials");
}

TEST(ErrorBody, NeverEchoesCredentials) {
  const std::string jwt =
      "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJwcm9iZSIsImV4cCI6MTcwMDAwMDAwMH0."
      "c2lnbmF0dXJlLXNpZ25hdHVyZQ";
  const std::string bodies[] = {
      R"({"error":"invalid_token","error_description":"token )" + jwt + R"( has expired"})",
      R"({"message":"Invalid API key sk_live_51HqLyjWDarjtT1zdp7dcAbCdEf"})",
      R"({"ok":false,"error":"invalid_auth","token":"xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"})",
      R"({"error":"invalid_client","client_secret":"Zm9vQmFyQmF6UXV4UXV1eDEyMzQ1Njc4OTA"})",
      R"({"detail":"Bad token ghp_16C7e42F292c6912E7710c838347Ae178B4a"})",
  };
  for (const auto& body : bodies) {
    SCOPED_TRACE(body);
    auto s = error_body_signals(headers(""), body, 401);
    ASSERT_FALSE(s.empty());
    for (const auto& x : s) {
      for (const char* secret : {"eyJhbGci", "sk_live_51", "xoxb-1234", "Zm9vQmFy", "ghp_16C7"}) {
        EXPECT_EQ(x.detail.find(secret), std::string::npos) << x.detail;
        EXPECT_EQ(x.evidence.find(secret), std::string::npos) << x.evidence;
      }
    }
  }
}

TEST(ErrorBody, RedactKeepsIdsOperatorsNeed) {
  EXPECT_EQ(redact_secrets("RequestId:2b3c4d5e-801e-0042-1a2b-3c4d5e000000"),
            "RequestId:2b3c4d5e-801e-0042-1a2b-3c4d5e000000");
  EXPECT_EQ(redact_secrets("code ExpiredAuthenticationToken"), "code ExpiredAuthenticationToken");
  EXPECT_EQ(redact_secrets("Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc"), "Bearer [redacted]");
  EXPECT_EQ(redact_secrets("key AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv"), "key [redacted]");
}

// ---------------------------------------------------------------------------
// Status gating: only 400/401/403/407/429/5xx, except unmistakable error objects.

TEST(ErrorBody, SuccessPagesDoNotOverClaim) {
  EXPECT_TRUE(
      error_body_signals(headers(""), R"({"error":"token_expired","message":"Token has expired"})", 200)
          .empty());
  EXPECT_TRUE(
      error_body_signals(headers(""), "<p>Your token has expired? Rate limit exceeded?</p>", 200).empty());
  EXPECT_TRUE(error_body_signals(headers(""), R"({"error":"invalid_token"})", 404).empty());
  EXPECT_TRUE(error_body_signals(headers(""), R"({"ok":true,"error":"invalid_auth"})", 200).empty());
  EXPECT_TRUE(
      error_body_signals(headers(""), R"({"data":{"errors":{"extensions":{"code":"FORBIDDEN"}}}})", 200)
          .empty());
}

TEST(ErrorBody, UnmistakableErrorObjectsOn200) {
  EXPECT_EQ(best_reason(R"({"ok":false,"error":"not_authed"})", 200), "auth.missing_credentials");
  EXPECT_EQ(best_reason(R"({"errors":[{"message":"x","extensions":{"code":"FORBIDDEN"}}]})", 200),
            "forbidden.permission");
}

// ---------------------------------------------------------------------------
// Bounded work on hostile input.

TEST(ErrorBody, HostileInput) {
  std::string deep(100000, '[');
  EXPECT_NO_THROW(error_body_signals(headers(""), deep, 401));
  std::string wide = "{";
  for (int i = 0; i < 5000; ++i) wide += "\"k" + std::to_string(i) + "\":\"invalid token\",";
  wide += "\"z\":1}";
  EXPECT_NO_THROW(error_body_signals(headers(""), wide, 401));
  EXPECT_NO_THROW(error_body_signals(headers(""), std::string("{\"error\":\"\xff\xfe\"}"), 401));
  EXPECT_NO_THROW(error_body_signals(headers(""), std::string(200000, '<'), 401));
  EXPECT_NO_THROW(error_body_signals(headers(""), "<Error><Code>", 403));
  EXPECT_NO_THROW(error_body_signals(headers(""), std::string("\0\0\0", 3), 401));
  // A JSON document nested beyond the cap is read as text, not parsed.
  std::string nested;
  for (int i = 0; i < 40; ++i) nested += "{\"a\":";
  nested += "\"token expired\"";
  for (int i = 0; i < 40; ++i) nested += "}";
  EXPECT_EQ(best_reason(nested, 401), "auth.expired_credentials");
}

// ---------------------------------------------------------------------------
// Shared helpers.

TEST(BodyText, EntitiesTagsAndWhitespace) {
  PageText t = page_text(
      "<p>Reference&#32;&#35;18&#46;5f\n\n  You don&rsquo;t</p><script>var a='ip blocked'</script>x", 1000,
      true);
  EXPECT_EQ(t.cased, "Reference #18.5f You don't x");
  EXPECT_EQ(t.lower, "reference #18.5f you don't x");
  EXPECT_EQ(page_text("a<b>c</b>", 1000, false).cased, "a<b>c</b>");
  EXPECT_EQ(page_text("abcdef", 3, true).cased, "abc");
}

TEST(BodyText, Wording) {
  EXPECT_TRUE(find_wording("your ip address 1.2.3.4 is not allowed", "ip address*not allowed").found());
  EXPECT_FALSE(find_wording("shipping is not allowed", "ip*not allowed").found());
  EXPECT_FALSE(
      find_wording(std::string("ip ") + std::string(100, 'x') + " not allowed", "ip*not allowed").found());
  EXPECT_TRUE(find_wording("token expired.", "has expired|token expired").found());
  WordingMatch m = find_wording("xx request blocked", "request blocked");
  EXPECT_EQ(m.begin, 3u);
  EXPECT_EQ(m.end, 18u);
  EXPECT_FALSE(find_wording("", "a").found());
  EXPECT_FALSE(find_wording("abc", "").found());
}

// ---------------------------------------------------------------------------
// Recorded denials: every file under data/denials, both readers.

bool is_claim(const std::string& reason) {
  return reason == "throttled" || (starts_with(reason, "auth.") && reason != "auth.not_enforced") ||
         (starts_with(reason, "forbidden.") && reason != "forbidden.unspecified");
}

TEST(RecordedDenials, EveryAnswer) {
  auto files = testing::recorded_files(std::string(PROBEWISE_TEST_DATA) + "/denials");
  ASSERT_GE(files.size(), 60u);
  for (const auto& path : files) {
    auto c = testing::load_recorded(path);
    SCOPED_TRACE(c.name + " (" + c.keys["origin"] + ")");
    ASSERT_TRUE(c.keys.count("expect_reason"));
    ASSERT_EQ(c.result.status, std::stoi(c.keys["status"]));
    const auto& r = c.result;

    Signals all = vendor_signals(r.headers, r.body, r.status);
    Signals body = error_body_signals(r.headers, r.body, r.status);
    all.insert(all.end(), body.begin(), body.end());
    const Signal* best = strongest(all);
    const std::string expect = c.keys["expect_reason"];

    if (is_claim(expect)) {
      ASSERT_NE(best, nullptr) << "no signal";
      EXPECT_EQ(best->reason, expect) << best->detail << " | " << best->evidence;
      if (c.keys.count("expect_vendor")) {
        EXPECT_EQ(best->vendor, c.keys["expect_vendor"]);
      }
      if (c.keys.count("expect_evidence")) {
        EXPECT_NE(best->evidence.find(c.keys["expect_evidence"]), std::string::npos) << best->evidence;
      }
      EXPECT_FALSE(best->detail.empty());
      EXPECT_FALSE(best->evidence.empty());
    } else {
      // ok, forbidden.unspecified, http.*: no block or auth claim at all.
      EXPECT_EQ(best, nullptr) << best->reason << ": " << best->detail << " | " << best->evidence;
    }
    if (c.keys.count("expect_presence")) {
      bool found = std::any_of(all.begin(), all.end(), [&](const Signal& s) {
        return s.strength == Strength::presence && s.vendor == c.keys["expect_presence"];
      });
      EXPECT_TRUE(found) << "no presence signal for " << c.keys["expect_presence"];
    }
  }
}

// A code in another style (restify's "InvalidCredentials", "TOKEN-EXPIRED")
// is the code a row names; the row's own spelling goes first.
TEST(ErrorBody, CodesInOtherStyles) {
  EXPECT_EQ(best_reason(R"({"code":"InvalidCredentials","message":""})", 401), "auth.invalid_credentials");
  EXPECT_EQ(best_reason(R"({"code":"TOKEN-EXPIRED"})", 401), "auth.expired_credentials");
  EXPECT_EQ(best_reason(R"({"error":"InsufficientScope"})", 403), "forbidden.permission");
  // S3's AccessDenied with "Request has expired" stays an expired presigned URL.
  EXPECT_EQ(
      best_reason("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", 403),
      "auth.expired_credentials");
}

}  // namespace
}  // namespace probewise
