// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/error_body.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "base/text.h"

namespace probewise {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxStructuredBytes = 64 * 1024;  // larger bodies are read as text
constexpr int kMaxJsonNesting = 32;                     // deeper documents are not parsed
constexpr int kMaxWalkDepth = 8;
constexpr std::size_t kMaxMembers = 64;  // per object or array
constexpr std::size_t kMaxFields = 64;
constexpr std::size_t kMaxValueBytes = 1024;
constexpr std::size_t kMaxTextBytes = 4096;  // of a plain-text or HTML body
constexpr std::size_t kWordingGap = 60;      // what "*" allows in a wording pattern
constexpr std::size_t kMaxFirstPartTries = 512;
constexpr std::size_t kEvidenceChars = 200;

// ---------------------------------------------------------------------------
// The one table. Code rows compare a code-like value (error, code, status,
// __type, reason, ...) exactly, any "|" alternative; text rows look for a
// wording pattern in a message-like value. `also` is wording that some message
// of the same body must contain as well. Per value the first matching row
// counts, so specific rows come before general ones. Among signals of equal
// strength the earlier row wins: AADSTS codes first, then codes, then
// messages, then the generic "unauthorized" / "forbidden" codes.

enum class On { code, text };

struct Row {
  On on;
  std::string_view pattern;
  std::string_view also;
  std::string_view reason;
  Strength strength;
  std::string_view detail;  // "{message}" and "{code}" are filled in
};

constexpr auto kExplicit = Strength::explicit_;
constexpr auto kWording = Strength::wording;

// What servers say when a token or key has expired.
#define PW_EXPIRED_WORDS                                                                         \
  "has expired|is expired|token expired|expired token|expired at|jwt expired|signature expired|" \
  "lifetime validation failed|expired_token|token_expired|not active|no longer valid"

constexpr Row kRows[] = {
    // Microsoft Entra ID (Azure AD) AADSTS codes in error_description: more
    // specific than the OAuth code they come with, so they lead the table.
    {On::text, "aadsts7000222", "", "auth.expired_credentials", kExplicit,
     "the client secret expired (AADSTS7000222)"},
    {On::text, "aadsts700082|aadsts70043|aadsts50133|aadsts700024", "", "auth.expired_credentials", kExplicit,
     "the token expired: {message}"},
    {On::text, "aadsts50173|aadsts700016|aadsts7000215|aadsts50126|aadsts50034|aadsts90002|aadsts500011", "",
     "auth.invalid_credentials", kExplicit, "Azure AD rejected the credentials: {message}"},
    {On::text, "aadsts53003|aadsts65001|aadsts50105|aadsts50097", "", "forbidden.permission", kExplicit,
     "Azure AD policy does not allow this sign-in: {message}"},
    {On::text, "aadsts90033|aadsts90014|aadsts50001*temporarily", "", "auth.service_unavailable", kExplicit,
     "Azure AD reports a transient failure: {message}"},
    // OAuth 2.0 (RFC 6749 5.2, RFC 6750 3.1); Keycloak, Okta, Auth0 and Azure AD token endpoints.
    {On::code, "invalid_token", PW_EXPIRED_WORDS, "auth.expired_credentials", kExplicit,
     "the access token expired: {message}"},
    {On::code, "invalid_token", "malformed|jwt must have|not a valid jwt", "auth.malformed_credentials",
     kExplicit, "the token is malformed: {message}"},
    {On::code, "invalid_token", "", "auth.invalid_credentials", kExplicit,
     "the access token was rejected (invalid_token): {message}"},
    {On::code, "invalid_grant", PW_EXPIRED_WORDS, "auth.expired_credentials", kExplicit,
     "the refresh token or grant expired: {message}"},
    {On::code, "invalid_grant", "revoked", "auth.invalid_credentials", kExplicit,
     "the refresh token or grant was revoked: {message}"},
    {On::code, "invalid_grant", "", "auth.invalid_credentials", kExplicit,
     "the grant or user credentials were rejected (invalid_grant): {message}"},
    {On::code, "invalid_client", PW_EXPIRED_WORDS, "auth.expired_credentials", kExplicit,
     "the OAuth client secret expired: {message}"},
    {On::code, "invalid_client", "", "auth.invalid_credentials", kExplicit,
     "the OAuth client ID or secret was rejected (invalid_client)"},
    {On::code, "unauthorized_client", "invalid client|client secret|client credentials",
     "auth.invalid_credentials", kExplicit, "the OAuth client credentials were rejected: {message}"},
    {On::code, "unauthorized_client", "", "forbidden.permission", kExplicit,
     "the OAuth client may not use this grant (unauthorized_client)"},
    {On::code, "invalid_request|unsupported_grant_type|unsupported_token_type", "",
     "auth.malformed_credentials", kExplicit,
     "the server rejected the form of the credentials ({code}): {message}"},
    {On::code, "invalid_scope", "", "forbidden.permission", kExplicit,
     "the requested scope is invalid or not granted (invalid_scope)"},
    {On::code, "insufficient_scope", "", "forbidden.permission", kExplicit,
     "the token lacks the required scope (insufficient_scope)"},
    {On::code, "access_denied", "", "forbidden.permission", kExplicit,
     "the caller lacks permission (access_denied): {message}"},
    {On::code, "temporarily_unavailable", "", "auth.service_unavailable", kExplicit,
     "the authorization server is temporarily unavailable: {message}"},
    // Slack Web API ({"ok":false,"error":...}), JSON:API and assorted REST error codes.
    {On::code, "expired_token|token_expired|api_key_expired|access_token_expired|expiredtoken", "",
     "auth.expired_credentials", kExplicit, "the credentials expired ({code})"},
    {On::code, "token_revoked|api_key_revoked|revoked_token|token_revoked_error", "",
     "auth.invalid_credentials", kExplicit, "the token was revoked ({code})"},
    // express-jwt (credentials_*) and @fastify/jwt (FST_JWT_*) error codes.
    {On::code, "fst_jwt_authorization_token_expired", "", "auth.expired_credentials", kExplicit,
     "the token expired ({code}): {message}"},
    {On::code, "fst_jwt_authorization_token_invalid|fst_jwt_authorization_token_untrusted", "",
     "auth.invalid_credentials", kExplicit, "the token was rejected ({code}): {message}"},
    {On::code, "credentials_bad_scheme|credentials_bad_format|fst_jwt_bad_request|fst_jwt_bad_cookie_request",
     "", "auth.malformed_credentials", kExplicit,
     "the Authorization header is not in the form the server accepts ({code}): {message}"},
    {On::code, "credentials_required|fst_jwt_no_authorization_in_header|fst_jwt_no_authorization_in_cookie",
     "", "auth.missing_credentials", kExplicit, "the server received no credentials ({code}): {message}"},
    {On::code,
     "not_authed|credentials_missing|missing_token|token_missing|no_token|not_authenticated|"
     "noauthenticationinformation",
     "", "auth.missing_credentials", kExplicit, "the server received no credentials ({code})"},
    {On::code,
     "invalid_auth|invalid_api_key|api_key_invalid|keyinvalid|autherror|account_inactive|"
     "invalid_credentials|token_invalid|invalid_jwt|authentication_failed",
     "", "auth.invalid_credentials", kExplicit, "the credentials were rejected ({code}): {message}"},
    {On::code, "token_not_valid", "", "auth.invalid_credentials", kExplicit,
     "the token is invalid or expired (token_not_valid): {message}"},
    {On::code,
     "malformed_token|token_malformed|access_token_type_unsupported|invalidauthenticationinfo|"
     "incompletesignature|incompletesignatureexception",
     "", "auth.malformed_credentials", kExplicit,
     "the credentials are not in a form the server accepts ({code}): {message}"},
    {On::code,
     "missing_scope|no_permission|insufficientpermissions|access_token_scope_insufficient|"
     "restricted_action|not_allowed_token_type",
     "", "forbidden.permission", kExplicit, "the token lacks a required scope or permission ({code})"},
    {On::code,
     "ratelimited|rate_limited|rate_limit|rate_limit_exceeded|ratelimitexceeded|"
     "userratelimitexceeded|dailylimitexceeded|quotaexceeded|insufficient_quota|"
     "too_many_requests|toomanyrequests|resource_exhausted|throttled|serverbusy",
     "", "throttled", kExplicit, "rate-limited or over quota ({code}): {message}"},
    // Google APIs (google.rpc.Status and ErrorInfo reasons).
    {On::code, "api_key_ip_address_blocked", "", "forbidden.ip", kExplicit,
     "the API key's IP restriction does not allow the probe's address: {message}"},
    {On::code, "api_key_http_referrer_blocked|api_key_service_blocked|service_disabled", "",
     "forbidden.permission", kExplicit, "the key or project may not use this API ({code}): {message}"},
    {On::code, "unauthenticated",
     "missing required authentication|credentials were not provided|not provided", "auth.missing_credentials",
     kExplicit, "the request carried no usable credentials: {message}"},
    {On::code, "unauthenticated|unauthorized", PW_EXPIRED_WORDS, "auth.expired_credentials", kExplicit,
     "the credentials expired: {message}"},
    {On::code, "permission_denied", "ip address restriction|ip address of the call|ip address*not allowed",
     "forbidden.ip", kExplicit, "the probe's IP address is not allowed: {message}"},
    {On::code, "permission_denied", "", "forbidden.permission", kExplicit,
     "the caller lacks permission: {message}"},
    // AWS (JSON __type, X-Amzn-ErrorType, S3 and query-API XML <Code>).
    {On::code, "expiredtokenexception|tokenrefreshrequired", "", "auth.expired_credentials", kExplicit,
     "the temporary AWS credentials (session token) expired ({code})"},
    {On::code, "requesttimetooskewed|requestexpired|invalidsignatureexception", "clock|time|expired",
     "auth.invalid_credentials", kExplicit,
     "the signature was refused for its time: check the probe's clock ({code}): {message}"},
    {On::code, "unrecognizedclientexception|invalidclienttokenid|invalidaccesskeyid|authfailure", "",
     "auth.invalid_credentials", kExplicit, "AWS does not accept the access key ({code}): {message}"},
    {On::code, "signaturedoesnotmatch|invalidsignatureexception", "", "auth.invalid_credentials", kExplicit,
     "the request signature does not match: wrong secret key ({code})"},
    {On::code, "invalidtoken", "", "auth.invalid_credentials", kExplicit,
     "the session token is invalid ({code}): {message}"},
    {On::code, "missingauthenticationtoken|missingauthenticationtokenexception", "",
     "auth.missing_credentials", kExplicit,
     "no AWS credentials in the request ({code}; API Gateway also says this for an unknown path)"},
    {On::code, "notauthorizedexception", PW_EXPIRED_WORDS, "auth.expired_credentials", kExplicit,
     "the token expired: {message}"},
    {On::code, "notauthorizedexception", "", "auth.invalid_credentials", kExplicit,
     "the credentials were rejected ({code}): {message}"},
    {On::code, "accessdenied", "request has expired|request expired", "auth.expired_credentials", kExplicit,
     "the presigned URL expired: {message}"},
    {On::code,
     "accessdenied|accessdeniedexception|unauthorizedoperation|authorizationerror|"
     "allaccessdisabled|accountproblem|optinrequired",
     "", "forbidden.permission", kExplicit, "the caller lacks permission ({code}): {message}"},
    {On::code,
     "throttlingexception|throttling|slowdown|toomanyrequestsexception|requestlimitexceeded|"
     "limitexceededexception|provisionedthroughputexceededexception|requestthrottled",
     "", "throttled", kExplicit, "rate-limited ({code}): {message}"},
    // Azure Resource Manager, Azure Storage, Key Vault.
    {On::code, "expiredauthenticationtoken", "", "auth.expired_credentials", kExplicit,
     "the Azure access token expired: {message}"},
    {On::code, "invalidauthenticationtokenaudience", "", "auth.invalid_credentials", kExplicit,
     "the token was issued for another audience: {message}"},
    {On::code, "invalidauthenticationtoken|invalidauthenticationtokentenant|authenticationfailed",
     "not valid in the specified time frame|" PW_EXPIRED_WORDS, "auth.expired_credentials", kExplicit,
     "the token or SAS signature is outside its validity window: {message}"},
    {On::code, "invalidauthenticationtoken|invalidauthenticationtokentenant|authenticationfailed", "",
     "auth.invalid_credentials", kExplicit, "the credentials were rejected ({code}): {message}"},
    {On::code, "authorizationsourceipmismatch|forbiddenbyfirewall|ipnotallowed|clientipnotallowed", "",
     "forbidden.ip", kExplicit, "the probe's IP address is not allowed ({code}): {message}"},
    {On::code, "authorizationfailure", "", "forbidden.ip", kWording,
     "refused by the storage account's network rules, usually the probe's IP or network is not "
     "allowed (AuthorizationFailure)"},
    {On::code,
     "authorizationfailed|authorizationpermissionmismatch|authorizationresourcetypemismatch|"
     "authorizationservicemismatch|insufficientaccountpermissions|forbiddenbyrbac|forbiddenbypolicy",
     "", "forbidden.permission", kExplicit, "the caller lacks permission ({code}): {message}"},
    // Okta (errorCode).
    {On::code, "e0000011|e0000004|e0000005", "", "auth.invalid_credentials", kExplicit,
     "Okta rejected the credentials ({code}): {message}"},
    {On::code, "e0000006", "", "forbidden.permission", kExplicit,
     "the caller lacks permission ({code}): {message}"},
    {On::code, "e0000047", "", "throttled", kExplicit, "Okta rate limit exceeded ({code})"},
    // OpenAI-style codes, Docker registry (distribution spec) codes.
    {On::code,
     "unsupported_country_region_territory|unsupported_country|geo_blocked|geo_restricted|"
     "country_blocked|region_blocked",
     "", "forbidden.geo", kExplicit, "the service is not offered in the probe's country or region ({code})"},
    {On::code, "denied", "", "forbidden.permission", kExplicit,
     "the registry denied access to the repository (DENIED): {message}"},

    // ---- Text rows: messages.
    // Identity provider and key-fetch failures.
    {On::text,
     "authentication service*unavailable|auth service*unavailable|authentication backend*unavailable|"
     "authentication provider*unavailable|authorization server*unavailable|identity provider*unavailable|"
     "idp*unavailable|token service*unavailable|authentication service*not available|"
     "authentication service*down|authentication*temporarily unavailable",
     "", "auth.service_unavailable", kWording, "the authentication service is unavailable: {message}"},
    {On::text,
     "unable to fetch jwks|failed to fetch jwks|could not fetch jwks|error fetching jwks|jwks*unreachable|"
     "jwks*timed out|jwks*timeout|unable to retrieve*signing key|could not retrieve*signing key|"
     "failed to retrieve*signing key|unable to fetch*keys|failed to fetch*keys|unable to get signing key|"
     "oidc discovery*failed|openid*configuration*failed|failed to load*openid",
     "", "auth.service_unavailable", kWording,
     "the server cannot fetch its identity provider's signing keys: {message}"},
    {On::text,
     "identity provider*timed out|identity provider*timeout|idp*timed out|ldap*unavailable|"
     "can't contact ldap server|cannot contact ldap|ldap server*unreachable|ldap*connection refused|"
     "kerberos*unavailable|kdc*unreachable",
     "", "auth.service_unavailable", kWording, "the identity backend is not answering: {message}"},
    // IP allow lists and geography.
    {On::text, "ip allow list enabled|ip allowlist enabled", "", "forbidden.ip", kExplicit,
     "the organization's IP allow list does not include the probe's address"},
    {On::text,
     "ip address restriction|originating ip address*violates|client address is not authorized|"
     "ip address*not allowed|ip address*not permitted|ip*is not allowed|ip*not in the allow list|"
     "ip*not in the allowlist|ip*not in the whitelist|ip*not whitelisted|ip*not allowlisted|"
     "ip*has been blocked|ip*is blocked|ip*blacklisted|ip*blocklisted|ip*denylisted|"
     "source ip*denied|ip address rejected|not authorized from this ip|request originated from*not allowed",
     "", "forbidden.ip", kWording, "the probe's IP address is not allowed: {message}"},
    {On::text,
     "not available in your country|not available in your region|not available in your location|"
     "unavailable in your country|unavailable in your region|country*not supported|"
     "region*not supported|from your country*blocked|from your country*restricted|"
     "from your country*denied|geographic restriction|geo*restricted|geoblocked|geo-blocked",
     "", "forbidden.geo", kWording, "blocked for the probe's country or region: {message}"},
    // Rate limits.
    {On::text,
     "api rate limit exceeded|secondary rate limit|reached your pull rate limit|request was throttled", "",
     "throttled", kExplicit, "rate-limited: {message}"},
    {On::text,
     "rate limit exceeded|rate limit reached|too many requests|quota exceeded|exceeded*quota|"
     "rate limited|ratelimited|throttled|slow down|request limit exceeded",
     "", "throttled", kWording, "rate-limited or over quota: {message}"},
    // Expired (vendor codes in text first; "invalid or expired" says neither).
    {On::text,
     "invalid or expired|expired or invalid|invalid or has expired|expired or revoked|revoked or expired", "",
     "auth.invalid_credentials", kWording, "the token is invalid or expired: {message}"},
    {On::text, "jwt expired|signature has expired|expired token received", "", "auth.expired_credentials",
     kExplicit, "the token expired: {message}"},
    {On::text,
     "token is expired|token has expired|token expired|expired token|access token expired|"
     "session has expired|session expired|credentials have expired|credentials expired|"
     "key has expired|key is expired|key expired|password has expired|certificate has expired|"
     "has expired|is expired|token is not active|expired at|lifetime validation failed",
     "", "auth.expired_credentials", kWording, "the credentials expired: {message}"},
    // Malformed.
    {On::text, "invalid token header|invalid basic header|should not contain spaces", "",
     "auth.malformed_credentials", kExplicit, "the Authorization header is malformed: {message}"},
    {On::text,
     "malformed token|token is malformed|malformed jwt|jwt malformed|malformed authorization|"
     "authorization header is malformed|malformed access token|malformed api key|token*malformed|"
     "credential*malformed|malformed*credential|invalid authorization header|authorization header*invalid|"
     "invalid authorization scheme|unsupported authorization|unsupported authentication scheme|"
     "invalid authentication scheme|authorization scheme*not supported|authentication scheme*not supported|"
     "wrong authentication scheme|wrong authorization scheme|unknown authorization scheme|"
     "format is authorization: bearer|expected*bearer|bearer*prefix|not a bearer token|"
     "invalid bearer|bearer token*format|jwt must have 3 parts|not a valid jwt|illegal base64",
     "", "auth.malformed_credentials", kWording, "the credentials are malformed: {message}"},
    // Missing.
    {On::text,
     "authentication credentials were not provided|full authentication is required|"
     "missing authentication credentials|requires authentication|missing required authentication|"
     "you did not provide an api key|no authentication information",
     "", "auth.missing_credentials", kExplicit, "the server received no credentials: {message}"},
    {On::text,
     "no authorization header|authorization header is missing|missing authorization header|"
     "authorization header*required|no api key|api key is missing|missing api key|api key*required|"
     "no token provided|token*not provided|no credentials|credentials*not provided|missing credentials|"
     "missing bearer token|no bearer token|authentication required|authentication is required|"
     "unauthenticated request|login required|not authenticated|no authorization token was found|"
     "no authorization was found|no token was found|token was not found|no auth token|not logged in",
     "", "auth.missing_credentials", kWording, "the server saw no credentials: {message}"},
    // Permission.
    {On::text,
     "is not authorized to perform|user*cannot*resource|is unauthorized for user|is unauthorized for api key|"
     "resource not accessible by integration|resource not accessible by personal access token|"
     "you do not have permission to perform this action|must have admin rights|must have push access|"
     "requested access to the resource is denied",
     "", "forbidden.permission", kExplicit, "the caller lacks permission: {message}"},
    {On::text,
     "insufficient scope|insufficient_scope|missing scope|missing required scope|required scope|"
     "scope*not granted|insufficient permission|insufficient privileges|not have the required permission|"
     "does not have permission|do not have permission|lacks permission|permission denied|"
     "not have access to|not authorized to access|not allowed to access|access to this resource is denied|"
     "not permitted to perform|does not have access|not enough permissions|not enough privileges|"
     "insufficient rights|not enough rights|access is not allowed for this user",
     "", "forbidden.permission", kWording, "the caller lacks permission: {message}"},
    // Invalid.
    {On::text,
     "bad credentials|invalid api key provided|incorrect api key provided|invalid authentication credentials|"
     "unable to authenticate user|invalid token provided",
     "", "auth.invalid_credentials", kExplicit, "the credentials were rejected: {message}"},
    {On::text, "has been revoked|was revoked|token revoked|revoked token|key revoked|is revoked", "",
     "auth.invalid_credentials", kWording, "the credentials were revoked: {message}"},
    {On::text,
     "invalid token|invalid access token|invalid api key|invalid credentials|"
     "incorrect credentials|invalid username or password|incorrect username or password|bad token|"
     "invalid jwt|invalid signature|signature verification failed|signature*invalid|invalid audience|"
     "audience*invalid|audience*mismatch|invalid issuer|authentication failed|unknown api key|"
     "api key not valid|api key*invalid|token*not valid|could not validate credentials|unauthorized token|"
     "invalid client secret|invalid user credentials",
     "", "auth.invalid_credentials", kWording, "the credentials were rejected: {message}"},

    // Generic codes last, after every message: they say "no", not why.
    {On::code, "unauthenticated|unauthorized", "", "auth.invalid_credentials", kWording,
     "the server did not accept the credentials ({code}): {message}"},
    {On::code, "forbidden", "", "forbidden.permission", kWording, "the caller is not allowed: {message}"},
};

#undef PW_EXPIRED_WORDS

// ---------------------------------------------------------------------------
// Fields: the message-like and code-like values of a body.

struct Field {
  std::string path;   // as in the body ("error.status") or the header name
  std::string key;    // last path component, lower-case
  std::string value;  // bounded
  bool from_header = false;
  bool trusted = false;  // part of an unmistakable error object: read at any status
};

constexpr std::string_view kCodeKeys[] = {"error",     "code",       "status", "__type",    "type",
                                          "errorcode", "error_code", "reason", "errortype", "error_type"};
constexpr std::string_view kMessageKeys[] = {"message",
                                             "msg",
                                             "error",
                                             "error_description",
                                             "errordescription",
                                             "errorsummary",
                                             "detail",
                                             "details",
                                             "title",
                                             "description",
                                             "reason",
                                             "text",
                                             "errormessage",
                                             "error_message",
                                             "localizedmessage",
                                             "authenticationerrordetail",
                                             "faultstring",
                                             "hint"};

// Headers that carry an error code beside (or instead of) the body.
struct CodeHeader {
  std::string_view name;
  std::string_view key;
};
constexpr CodeHeader kCodeHeaders[] = {{"x-amzn-ErrorType", "__type"}, {"x-ms-error-code", "code"}};

constexpr std::string_view kXmlElements[] = {"code",      "message",   "authenticationerrordetail",
                                             "error",     "errorcode", "error_description",
                                             "reason",    "detail",    "faultstring",
                                             "faultcode", "title",     "errormessage"};

bool contains_key(const std::string_view* begin, const std::string_view* end, std::string_view key) {
  return std::find(begin, end, key) != end;
}
template <std::size_t N>
bool in(const std::string_view (&keys)[N], std::string_view key) {
  return contains_key(keys, keys + N, key);
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// "com.amazonaws.sts#ExpiredTokenException" and
// "UnrecognizedClientException:http://internal.amazon.com/..." -> the code.
std::string_view code_of(std::string_view v) {
  v = trim(v);
  auto hash = v.rfind('#');
  if (hash != std::string_view::npos) v.remove_prefix(hash + 1);
  auto colon = v.find(':');
  if (colon != std::string_view::npos) v = v.substr(0, colon);
  return v;
}

bool is_code_like(const Field& f) {
  if (!in(kCodeKeys, f.key)) return false;
  auto code = code_of(f.value);
  return !code.empty() && code.size() <= 80 &&
         std::none_of(code.begin(), code.end(), [](char c) { return is_space(c); });
}

bool is_message_like(const Field& f) {
  return !is_code_like(f) && in(kMessageKeys, f.key);
}

Field* add_field(std::vector<Field>& out, std::string path, std::string_view key, std::string_view value,
                 bool trusted) {
  if (out.size() >= kMaxFields) return nullptr;
  value = trim(value);
  if (value.empty()) return nullptr;
  Field f;
  f.path = std::move(path);
  f.key = to_lower(key);
  f.value = std::string(value.substr(0, kMaxValueBytes));
  f.trusted = trusted;
  out.push_back(std::move(f));
  return &out.back();
}

bool nesting_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

// GraphQL answers 200 with {"errors":[{"message":..,"extensions":{"code":"UNAUTHENTICATED"}}]}.
bool is_graphql_errors(const json& errors) {
  if (!errors.is_array()) return false;
  std::size_t n = 0;
  for (const auto& e : errors) {
    if (++n > kMaxMembers) break;
    if (e.is_object() && e.contains("extensions") && e["extensions"].is_object() &&
        e["extensions"].contains("code") && e["extensions"]["code"].is_string())
      return true;
  }
  return false;
}

// Collects string and integer values with their paths. `trusted` marks the
// subtree of an unmistakable error object.
void walk_json(const json& j, const std::string& path, std::string_view key, int depth, bool trusted,
               std::vector<Field>& out) {
  if (depth > kMaxWalkDepth || out.size() >= kMaxFields) return;
  if (j.is_object()) {
    // Slack answers 200 with {"ok":false,"error":"invalid_auth"}.
    bool slack = depth == 0 && j.contains("ok") && j["ok"].is_boolean() && !j["ok"].get<bool>();
    std::size_t n = 0;
    for (const auto& [name, child] : j.items()) {
      if (++n > kMaxMembers) break;
      std::string child_path = path.empty() ? name : path + "." + name;
      bool child_trusted = trusted || (slack && name == "error") ||
                           (depth == 0 && name == "errors" && is_graphql_errors(child));
      walk_json(child, child_path, name, depth + 1, child_trusted, out);
    }
  } else if (j.is_array()) {
    std::size_t n = 0;
    for (const auto& child : j) {
      if (++n > kMaxMembers) break;
      walk_json(child, path, key, depth + 1, trusted, out);  // array items keep their parent's name
    }
  } else if (j.is_string()) {
    add_field(out, path, key, j.get_ref<const std::string&>(), trusted);
  } else if (j.is_number_integer()) {
    add_field(out, path, key, std::to_string(j.get<long long>()), trusted);
  }
}

bool read_json(std::string_view body, std::vector<Field>& out) {
  if (body.size() > kMaxStructuredBytes || !nesting_within(body, kMaxJsonNesting)) return false;
  json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded() || !(doc.is_object() || doc.is_array())) return false;
  walk_json(doc, "", "", 0, false, out);
  return true;
}

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

// <Error><Code>ExpiredToken</Code><Message>...</Message></Error> and the like:
// elements from a short list whose content is text only.
bool read_xml(std::string_view body, std::vector<Field>& out) {
  body = body.substr(0, kMaxStructuredBytes);
  std::size_t before = out.size();
  std::size_t pos = 0;
  while (out.size() < kMaxFields) {
    pos = body.find('<', pos);
    if (pos == std::string_view::npos) break;
    std::size_t name_end = pos + 1;
    while (name_end < body.size() && (is_word(body[name_end]) || body[name_end] == ':' ||
                                      body[name_end] == '-' || body[name_end] == '.'))
      ++name_end;
    std::string_view name = body.substr(pos + 1, name_end - pos - 1);
    auto colon = name.rfind(':');
    std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
    std::size_t gt = body.find('>', name_end);
    if (gt == std::string_view::npos) break;
    pos = gt + 1;
    if (local.empty() || body[gt - 1] == '/') continue;
    std::string lower = to_lower(local);
    if (!in(kXmlElements, lower)) continue;
    std::size_t next = body.find('<', pos);
    if (next == std::string_view::npos) break;
    if (body.substr(next, 2) != "</" || !iequals(body.substr(next + 2, name.size()), name)) continue;
    PageText text = page_text(body.substr(pos, next - pos), kMaxValueBytes, false);
    add_field(out, std::string(local), lower, text.cased, false);
    pos = next;
  }
  return out.size() > before;
}

bool looks_like_html(std::string_view lower_head) {
  return lower_head.find("<html") != std::string_view::npos ||
         lower_head.find("<!doctype html") != std::string_view::npos ||
         lower_head.find("<body") != std::string_view::npos;
}

std::vector<Field> extract_fields(const HeaderMap& headers, std::string_view body) {
  std::vector<Field> out;
  for (const auto& h : kCodeHeaders) {
    if (auto v = headers.get(h.name)) {
      if (Field* f = add_field(out, std::string(h.name), h.key, *v, false)) f->from_header = true;
    }
  }
  std::string_view t = trim(body);
  if (starts_with(t, "\xEF\xBB\xBF")) t.remove_prefix(3);  // UTF-8 BOM
  if (t.empty()) return out;
  if ((t.front() == '{' || t.front() == '[') && read_json(t, out)) return out;
  if (t.front() == '<') {
    std::string head = to_lower(t.substr(0, 512));
    if (!looks_like_html(head) && read_xml(t, out)) return out;
  }
  PageText text = page_text(t, kMaxTextBytes, true);
  add_field(out, "text", "text", text.cased, false);
  return out;
}

// ---------------------------------------------------------------------------
// Matching and the signal's words.

bool code_matches(std::string_view alternatives, std::string_view code) {
  for (auto alt : split(alternatives, '|'))
    if (iequals(alt, code)) return true;
  return false;
}

// Where the row matches the field, if it does (a code row matches it whole).
WordingMatch row_match(const Row& row, const Field& f, const std::string& lower_value) {
  if (row.on == On::code) {
    if (is_code_like(f) && code_matches(row.pattern, code_of(f.value))) return {0, f.value.size()};
    return {};
  }
  return is_message_like(f) ? find_wording(lower_value, row.pattern) : WordingMatch{};
}

bool also_matches(const Row& row, const std::vector<Field>& fields, const std::vector<std::string>& lower) {
  if (row.also.empty()) return true;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (is_message_like(fields[i]) && find_wording(lower[i], row.also).found()) return true;
  return false;
}

bool is_read_status(int status) {
  return status == 400 || status == 401 || status == 403 || status == 407 || status == 429 ||
         (status >= 500 && status <= 599);
}

// What a row may claim on this status. 400 is read for the explicit codes AWS
// and OAuth token endpoints put there, not for words ("pagination token is
// not valid" is a validation error). On 5xx only a failing auth service or
// a rate limit: "Permission denied: '/var/log/app.log'" in a 500 is the
// server's own problem.
bool fits_status(const Row& row, int status) {
  if (status == 400) return row.strength == Strength::explicit_;
  if (status >= 500 && status <= 599)
    return row.reason == "auth.service_unavailable" || row.reason == "throttled";
  return true;
}

std::string shown(std::string_view value, std::size_t max_chars) {
  std::string s = redact_secrets(trim(value));
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return ellipsize(s, max_chars);
}

bool ends_sentence(std::string_view v, std::size_t i) {
  char c = v[i];
  if (c == '|' || c == '!' || c == '?') return true;
  return c == '.' && (i + 1 == v.size() || v[i + 1] == ' ');
}

// A long message is quoted by the sentence around the match, not its start
// (a page title and navigation rarely say anything).
std::string_view around(std::string_view v, WordingMatch m) {
  constexpr std::size_t kShort = 120, kReach = 100;
  if (v.size() <= kShort || !m.found() || m.end > v.size()) return v;
  std::size_t b = m.begin, stop = m.begin > kReach ? m.begin - kReach : 0;
  while (b > stop && !ends_sentence(v, b - 1)) --b;
  std::size_t e = m.end, limit = std::min(v.size(), m.end + kReach);
  while (e < limit && !ends_sentence(v, e)) ++e;
  return trim(v.substr(b, e - b));
}

// The message to quote in a detail: the matched value when it is a message,
// else the first message of the body.
std::string message_for(const std::vector<Field>& fields, std::size_t matched, WordingMatch m) {
  if (is_message_like(fields[matched])) return shown(around(fields[matched].value, m), 120);
  for (const auto& f : fields)
    if (is_message_like(f)) return shown(f.value, 120);
  return "";
}

std::string fill_detail(std::string_view tmpl, const std::string& message, std::string_view code) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl.substr(i, 9) == "{message}") {
      out += message;
      i += 9;
    } else if (tmpl.substr(i, 6) == "{code}") {
      out += code;
      i += 6;
    } else {
      out += tmpl[i++];
    }
  }
  if (message.empty() && !out.empty() && out.back() == ' ' && out.size() >= 2 && out[out.size() - 2] == ':')
    out.resize(out.size() - 2);
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  return out;
}

// Context fields worth showing beside the matched one: no bare numbers
// ("code":401 repeats the status) and no URIs.
bool is_context(const Field& f) {
  if (f.from_header || !(is_code_like(f) || is_message_like(f))) return false;
  bool digits = std::all_of(f.value.begin(), f.value.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  return !digits && f.value.find("://") == std::string::npos;
}

std::string evidence_for(const std::vector<Field>& fields, std::size_t matched, WordingMatch m) {
  const Field& f = fields[matched];
  if (f.key == "text") return "body: \"" + shown(around(f.value, m), kEvidenceChars - 8) + "\"";
  std::string out;
  if (f.from_header) {
    out = "header " + f.path + ": " + shown(f.value, 120);
  } else {
    out = "body: " + f.path + "=\"" + shown(f.value, 100) + "\"";
  }
  bool body_started = !f.from_header;
  for (std::size_t i = 0; i < fields.size() && out.size() < kEvidenceChars; ++i) {
    if (i == matched || !is_context(fields[i])) continue;
    out += body_started ? ", " : "; body: ";
    body_started = true;
    out += fields[i].path + "=\"" + shown(fields[i].value, 100) + "\"";
  }
  return ellipsize(out, kEvidenceChars);
}

constexpr std::string_view kSecretPrefixes[] = {
    "sk_live_",    "sk_test_", "rk_live_", "rk_test_", "ghp_",  "gho_",  "ghu_",   "ghs_",  "ghr_",
    "github_pat_", "xoxb-",    "xoxp-",    "xoxa-",    "xoxs-", "xapp-", "glpat-", "ya29.", "AIza"};

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=' || c == '_' ||
         c == '-' || c == '.' || c == '~';
}

bool looks_secret(std::string_view w) {
  if (w.size() >= 16 && starts_with(w, "eyJ")) return true;  // a JWT or base64 JSON
  for (auto p : kSecretPrefixes)
    if (w.size() >= p.size() + 4 && starts_with(w, p)) return true;
  bool upper = false, lower = false, digit = false, hex_only = true;
  for (char c : w) {
    auto u = static_cast<unsigned char>(c);
    upper |= std::isupper(u) != 0;
    lower |= std::islower(u) != 0;
    digit |= std::isdigit(u) != 0;
    hex_only &= std::isxdigit(u) != 0;
  }
  if (w.size() >= 24 && upper && lower && digit) return true;
  return w.size() >= 40 && hex_only;
}

}  // namespace

// ---------------------------------------------------------------------------
// Shared helpers.

namespace {

struct Entity {
  std::string_view name;
  char c;
};
constexpr Entity kEntities[] = {{"amp", '&'},   {"lt", '<'},     {"gt", '>'},     {"quot", '"'},
                                {"apos", '\''}, {"nbsp", ' '},   {"rsquo", '\''}, {"lsquo", '\''},
                                {"ldquo", '"'}, {"rdquo", '"'},  {"ndash", '-'},  {"mdash", '-'},
                                {"bull", ' '},  {"middot", ' '}, {"hellip", '.'}};

// Decodes the entity at s[0] == '&'; returns its length and character, or 0.
std::size_t decode_entity(std::string_view s, char& out) {
  auto semi = s.find(';');
  if (semi == std::string_view::npos || semi < 2 || semi > 10) return 0;
  std::string_view name = s.substr(1, semi - 1);
  if (name[0] == '#') {
    bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    std::uint32_t v = 0;
    for (char c : digits) {
      auto u = static_cast<unsigned char>(c);
      if (hex ? !std::isxdigit(u) : !std::isdigit(u)) return 0;
      v = v * (hex ? 16 : 10) +
          static_cast<std::uint32_t>(std::isdigit(u) ? c - '0' : (std::tolower(u) - 'a' + 10));
      if (v > 0x10FFFF) return 0;
    }
    if (v == 8216 || v == 8217) {
      out = '\'';
    } else if (v == 160) {
      out = ' ';
    } else if (v >= 32 && v < 127) {
      out = static_cast<char>(v);
    } else if (v == 9 || v == 10 || v == 13) {
      out = ' ';
    } else {
      return 0;
    }
    return semi + 1;
  }
  for (const auto& e : kEntities) {
    if (iequals(e.name, name)) {
      out = e.c;
      return semi + 1;
    }
  }
  return 0;
}

bool tag_named(std::string_view after_lt, std::string_view name) {
  return after_lt.size() > name.size() && iequals(after_lt.substr(0, name.size()), name) &&
         !is_word(after_lt[name.size()]);
}

}  // namespace

PageText page_text(std::string_view body, std::size_t max_bytes, bool strip_tags) {
  body = body.substr(0, std::min(body.size(), max_bytes));
  PageText out;
  out.cased.reserve(body.size());
  bool space = true;  // no leading space
  auto put = [&](char c) {
    if (is_space(c)) {
      if (!space) out.cased += ' ';
      space = true;
      return;
    }
    out.cased += c;
    space = false;
  };
  std::size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (strip_tags && c == '<' && i + 1 < body.size() &&
        (std::isalpha(static_cast<unsigned char>(body[i + 1])) || body[i + 1] == '/' || body[i + 1] == '!')) {
      std::string_view rest = body.substr(i + 1);
      std::size_t next;
      if (starts_with(rest, "!--")) {
        auto e = body.find("-->", i + 4);
        next = e == std::string_view::npos ? body.size() : e + 3;
      } else if (tag_named(rest, "script") || tag_named(rest, "style")) {
        std::string_view close = tag_named(rest, "script") ? "</script" : "</style";
        auto e = ifind(body, close, i + 1);
        auto gt = e == std::string_view::npos ? std::string_view::npos : body.find('>', e);
        next = gt == std::string_view::npos ? body.size() : gt + 1;
      } else {
        auto gt = body.find('>', i);
        next = gt == std::string_view::npos ? body.size() : gt + 1;
      }
      put(' ');
      i = next;
      continue;
    }
    if (c == '&') {
      char decoded = 0;
      if (std::size_t n = decode_entity(body.substr(i, 12), decoded)) {
        put(decoded);
        i += n;
        continue;
      }
    }
    // U+2018 / U+2019 (curly single quotes) as UTF-8.
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < body.size() &&
        static_cast<unsigned char>(body[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(body[i + 2]) == 0x98 ||
         static_cast<unsigned char>(body[i + 2]) == 0x99)) {
      put('\'');
      i += 3;
      continue;
    }
    put(c);
    ++i;
  }
  if (!out.cased.empty() && out.cased.back() == ' ') out.cased.pop_back();
  out.lower = to_lower(out.cased);
  return out;
}

namespace {

// The first occurrence of `part` in [from, max_start] that starts a word.
// It must end one too when it is short ("ip", not "ipsum") or ends in a digit
// (a code: "aadsts50001", not "aadsts500011"); longer words may go on
// ("permission" matches "permissions").
std::size_t find_part(std::string_view lower, std::string_view part, std::size_t from, std::size_t max_start,
                      std::size_t& tries) {
  bool word_front = is_word(part.front());
  bool word_back = is_word(part.back()) &&
                   (part.size() <= 3 || std::isdigit(static_cast<unsigned char>(part.back())) != 0);
  while (tries++ < kMaxFirstPartTries) {
    auto p = lower.find(part, from);
    if (p == std::string_view::npos || p > max_start) return std::string_view::npos;
    bool ok_front = !word_front || p == 0 || !is_word(lower[p - 1]);
    std::size_t end = p + part.size();
    bool ok_back = !word_back || end >= lower.size() || !is_word(lower[end]);
    if (ok_front && ok_back) return p;
    from = p + 1;
  }
  return std::string_view::npos;
}

WordingMatch find_alternative(std::string_view lower, std::string_view alt) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    auto star = alt.find('*', start);
    auto part = alt.substr(start, star == std::string_view::npos ? std::string_view::npos : star - start);
    if (!part.empty()) parts.push_back(part);
    if (star == std::string_view::npos) break;
    start = star + 1;
  }
  if (parts.empty()) return {};
  std::size_t tries = 0;
  std::size_t from = 0;
  while (tries < kMaxFirstPartTries) {
    auto first = find_part(lower, parts[0], from, std::string_view::npos, tries);
    if (first == std::string_view::npos) return {};
    std::size_t end = first + parts[0].size();
    bool all = true;
    for (std::size_t k = 1; k < parts.size(); ++k) {
      auto p = find_part(lower, parts[k], end, end + kWordingGap, tries);
      if (p == std::string_view::npos) {
        all = false;
        break;
      }
      end = p + parts[k].size();
    }
    if (all) return {first, end};
    from = first + 1;
  }
  return {};
}

}  // namespace

WordingMatch find_wording(std::string_view lower, std::string_view pattern) {
  WordingMatch best;
  for (std::size_t start = 0;;) {
    auto bar = pattern.find('|', start);
    auto alt = pattern.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    if (!alt.empty()) {
      WordingMatch m = find_alternative(lower, alt);
      if (m.found() && (!best.found() || m.begin < best.begin)) best = m;
    }
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return best;
}

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_token_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_token_char(text[j])) ++j;
    std::string_view word = text.substr(i, j - i);
    out += looks_secret(word) ? std::string_view("[redacted]") : word;
    i = j;
  }
  return out;
}

Signals error_body_signals(const HeaderMap& headers, std::string_view body, int status) {
  try {
    std::vector<Field> fields = extract_fields(headers, body);
    if (!is_read_status(status)) {
      fields.erase(std::remove_if(fields.begin(), fields.end(), [](const Field& f) { return !f.trusted; }),
                   fields.end());
    }
    std::vector<std::string> lower;
    lower.reserve(fields.size());
    for (const auto& f : fields) lower.push_back(to_lower(f.value));

    struct Hit {
      std::size_t row;
      std::size_t field;
      WordingMatch match;
    };
    std::vector<Hit> hits;
    constexpr std::size_t kRowCount = sizeof(kRows) / sizeof(kRows[0]);
    for (std::size_t f = 0; f < fields.size(); ++f) {
      for (std::size_t r = 0; r < kRowCount; ++r) {
        WordingMatch m = row_match(kRows[r], fields[f], lower[f]);
        if (m.found() && also_matches(kRows[r], fields, lower)) {
          if (!fits_status(kRows[r], status)) break;  // the value's best reading does not apply here
          hits.push_back({r, f, m});
          break;
        }
      }
    }
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      auto sa = static_cast<int>(kRows[a.row].strength), sb = static_cast<int>(kRows[b.row].strength);
      return sa != sb ? sa > sb : a.row < b.row;
    });

    Signals out;
    for (const Hit& h : hits) {
      const Row& row = kRows[h.row];
      bool seen =
          std::any_of(out.begin(), out.end(), [&](const Signal& s) { return s.reason == row.reason; });
      if (seen) continue;
      std::string code = row.on == On::code ? std::string(code_of(fields[h.field].value)) : "";
      Signal s;
      s.reason = std::string(row.reason);
      s.strength = row.strength;
      s.detail = fill_detail(row.detail, message_for(fields, h.field, h.match), shown(code, 80));
      s.evidence = evidence_for(fields, h.field, h.match);
      out.push_back(std::move(s));
    }
    return out;
  } catch (...) {  // bad_alloc and the like: no evidence rather than a failed check
    return {};
  }
}

}  // namespace probewise
