// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/error_body_rows.h"

namespace probewise::error_body_detail {

constexpr auto kExplicit = Strength::explicit_;
constexpr auto kWording = Strength::wording;

// What servers say when a token or key has expired.
#define PW_EXPIRED_WORDS                                                                         \
  "has expired|is expired|token expired|expired token|expired at|jwt expired|signature expired|" \
  "lifetime validation failed|expired_token|token_expired|not active|no longer valid"

extern const Row kErrorRows[] = {
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
    // A bare invalid_token says the token was not accepted, not why (RFC 6750
    // 3.1 covers expired, revoked and malformed alike).
    {On::code, "invalid_token", "", "auth.invalid_credentials", kExplicit,
     "the access token was rejected (invalid_token): {message}", true},
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
     "the token is invalid or expired (token_not_valid): {message}", true},
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

    // Generic codes last, after every phrase: they say "no", not why.
    {On::code, "unauthenticated|unauthorized|not_authorized|notauthorized|not_authorised", "",
     "auth.invalid_credentials", kWording, "the server did not accept the credentials ({code}): {message}",
     true},
    {On::code, "forbidden", "", "forbidden.permission", kWording, "the caller is not allowed: {message}",
     true},
};

#undef PW_EXPIRED_WORDS

extern const std::size_t kErrorRowCount = sizeof(kErrorRows) / sizeof(kErrorRows[0]);

}  // namespace probewise::error_body_detail
