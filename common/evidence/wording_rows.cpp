// SPDX-License-Identifier: GPL-2.0-or-later
// The one table of phrases of evidence/wording.h. Data only.
//
// Per text the first row that reads it counts, so the order is the
// precedence between classes of sentences: a failing auth service, an
// anonymous principal, the address, the country, a rate limit, expired,
// malformed, missing credentials, a block by a security rule, permission,
// invalid credentials. Every row has an example sentence (in our own words,
// in the shape servers use) that it, and no row before it, reads: the
// test of each row (tests/unit/evidence/wording_test.cpp).
#include "evidence/wording.h"

namespace probewise::wording_detail {

constexpr auto kExplicit = Strength::explicit_;
constexpr auto kWording = Strength::wording;
constexpr auto kAny = Scope::any;
constexpr auto kNot401 = Scope::not_401;
constexpr auto kPlain = Needs::nothing;
constexpr auto kTarget = Needs::target;

extern const Phrase kPhrases[] = {
    // ---- The authentication service is failing.
    {"authentication service*unavailable|auth service*unavailable|authentication backend*unavailable|"
     "authentication provider*unavailable|authorization server*unavailable|identity provider*unavailable|"
     "idp*unavailable|token service*unavailable|authentication service*not available|"
     "authentication service*down|authentication*temporarily unavailable",
     "auth.service_unavailable", kWording, kAny, kPlain,
     "the authentication service is unavailable: {message}", "", false,
     "The authentication service is temporarily unavailable."},
    {"unable to fetch jwks|failed to fetch jwks|could not fetch jwks|error fetching jwks|jwks*unreachable|"
     "jwks*timed out|jwks*timeout|unable to retrieve*signing key|could not retrieve*signing key|"
     "failed to retrieve*signing key|unable to fetch*keys|failed to fetch*keys|unable to get signing key|"
     "oidc discovery*failed|openid*configuration*failed|failed to load*openid",
     "auth.service_unavailable", kWording, kAny, kPlain,
     "the server cannot fetch its identity provider's signing keys: {message}", "", false,
     "Unable to fetch JWKS from the issuer"},
    {"identity provider*timed out|identity provider*timeout|idp*timed out|ldap*unavailable|"
     "can't contact ldap server|cannot contact ldap|ldap server*unreachable|ldap*connection refused|"
     "kerberos*unavailable|kdc*unreachable",
     "auth.service_unavailable", kWording, kAny, kPlain, "the identity backend is not answering: {message}",
     "", false, "Can't contact LDAP server"},

    // ---- The server names the principal it saw as anonymous: nothing
    // reached it (SPEC 1.3). With credentials sent, the diagnosis reads it as
    // "the server saw none" (judge/diagnose.cpp).
    {"system:anonymous|anonymoususer|anonymous user|user anonymous|user \"anonymous\"|user 'anonymous'|"
     "user [anonymous]|user [_anonymous]|_anonymous|anonymous access*not|anonymous access*denied|"
     "anonymous access*disabled|anonymous requests*not|anonymous*not allowed|anonymous*not permitted|"
     "as anonymous|unauthenticated user|anonymous principal|anonymous*is missing|anonymous*lacks|"
     "anonymous*cannot|anonymous*does not have|anonymous*has no",
     "auth.missing_credentials", kExplicit, kAny, kPlain,
     "the server saw an anonymous request (no credentials reached it): {message}", "", false,
     "forbidden: User \"system:anonymous\" cannot get path \"/metrics\""},
    // CSRF protection answers an API client whose token or key it did not
    // take: none was sent, or the one sent did not count.
    {"csrf error|csrf failed|csrf token|csrf verification|invalid csrf|missing csrf|csrf check|xsrf token|"
     "cross-site request forgery",
     "auth.missing_credentials", kWording, kAny, kPlain,
     "the server's CSRF protection refused the request (it took no API key or session): {message}",
     "auth.invalid_credentials", false, "CSRF Error"},

    // ---- The address or network (SPEC 1.3: words that name the source).
    {"ip allow list enabled|ip allowlist enabled", "forbidden.ip", kExplicit, kAny, kPlain,
     "the organization's IP allow list does not include the probe's address", "", false,
     "Although you appear to have the correct authorization credentials, the organization has an IP allow "
     "list "
     "enabled"},
    {"ip address rejected|403.6", "forbidden.ip", kWording, kAny, kPlain,
     "the server rejects the probe's IP address (IIS 403.6)", "", false,
     "Error 403.6 - Forbidden: IP address rejected"},
    {"ip address restriction|originating ip address*violates|client address is not authorized|"
     "ip address*not allowed|ip address*not permitted|ip*is not allowed|ip*not permitted|ip*not in the allow|"
     "ip*not in the whitelist|ip*not whitelisted|ip*not allowlisted|ip*not authorized|ip*not authorised|"
     "unauthorized ip|unauthorised ip|ip address you are using|ip*has been blocked|ip*has been banned|"
     "ip*is blocked|ip*was blocked|ip*has been*blocked|ip*was*blocked|ip*is*blocked|ip*has been*banned|"
     "ip*is banned|banned your ip|ip*blacklisted|ip*blocklisted|ip*denylisted|"
     "ip*is denied|ip*was denied|ip*has been denied|denied for your ip|denied from your ip|access denied for "
     "ip|"
     "ip*is forbidden|ip*is restricted|source ip*denied|not authorized from this ip|"
     "request originated from*not allowed|not in the allowlist|not in the allow list|not in the allow-list|"
     "not in the whitelist|not whitelisted|not allowlisted|not on the allowlist|not on the whitelist",
     "forbidden.ip", kWording, kAny, kPlain, "the probe's IP address is not allowed: {message}", "", false,
     "Unauthorized IP Address. Either disable the IP address whitelist or add your address to it."},
    {"from your host|your host*not allowed|your host*denied|your host*blocked|host*is not allowed to connect|"
     "from your network|your network*not allowed|your network*blocked|your network*denied|"
     "your address*not allowed|your address*denied|your address*blocked|client address*not allowed|"
     "client address*denied|remote address*not allowed|remote address*denied|your subnet|from your location*"
     "denied|not configured to service requests",
     "forbidden.ip", kWording, kAny, kPlain, "the probe's address or network is not allowed: {message}", "",
     false, "The administrator of this proxy has not configured it to service requests from your host."},

    // ---- The country or region.
    {"not available in your country|not available in your region|not available in your location|"
     "not available in your area|unavailable in your country|unavailable in your region|"
     "from your country*blocked|from your country*restricted|from your country*denied|"
     "from your country*not allowed|from your country*disabled|from your country|your country*is blocked|"
     "your country*not allowed|your country*not supported|your region*is blocked|your region*not allowed|"
     "your location*is blocked|country*not supported|region*not supported|geographic restriction|"
     "geographical restriction|geo-restricted|georestricted|geo restricted|geo-blocked|geoblocked|"
     "geo blocked|your territory",
     "forbidden.geo", kWording, kAny, kPlain, "blocked for the probe's country or region: {message}", "",
     false, "This service is not available in your country."},

    // ---- Rate limits.
    {"api rate limit exceeded|secondary rate limit|reached your pull rate limit|request was throttled",
     "throttled", kExplicit, kAny, kPlain, "rate-limited: {message}", "", false,
     "API rate limit exceeded for 192.0.2.7."},
    {"rate limit exceeded|rate limit reached|too many requests|quota exceeded|exceeded*quota|"
     "rate limited|ratelimited|throttled|slow down|request limit exceeded",
     "throttled", kWording, kAny, kPlain, "rate-limited or over quota: {message}", "", false,
     "Too many requests, please slow down."},

    // ---- Expired ("invalid or expired" says neither).
    {"invalid or expired|expired or invalid|invalid or has expired|expired or revoked|revoked or expired",
     "auth.invalid_credentials", kWording, kAny, kPlain, "the token is invalid or expired: {message}", "",
     true, "Token is invalid or expired"},
    {"jwt expired|signature has expired|expired token received", "auth.expired_credentials", kExplicit, kAny,
     kPlain, "the token expired: {message}", "", false, "jwt expired"},
    {"token is expired|token has expired|token expired|expired token|access token expired|"
     "session has expired|session expired|credentials have expired|credentials expired|"
     "key has expired|key is expired|key expired|password has expired|certificate has expired|"
     "has expired|is expired|token is not active|expired at|lifetime validation failed",
     "auth.expired_credentials", kWording, kAny, kPlain, "the credentials expired: {message}", "", false,
     "Token is expired"},

    // ---- Malformed.
    {"invalid token header|invalid basic header|should not contain spaces", "auth.malformed_credentials",
     kExplicit, kAny, kPlain, "the Authorization header is malformed: {message}", "", false,
     "Invalid token header. Token string should not contain spaces."},
    {"malformed token|token is malformed|malformed jwt|jwt malformed|malformed authorization|"
     "authorization header is malformed|malformed access token|malformed api key|token*malformed|"
     "credential*malformed|malformed*credential|invalid authorization header|authorization header*invalid|"
     "unable to parse authentication credentials|could not parse authorization header|"
     "invalid authorization scheme|unsupported authorization|unsupported authentication scheme|"
     "invalid authentication scheme|authorization scheme*not supported|authentication scheme*not supported|"
     "wrong authentication scheme|wrong authorization scheme|unknown authorization scheme|"
     "format is authorization: bearer|expected*bearer|bearer*prefix|not a bearer token|"
     "invalid bearer|bearer token*format|jwt must have 3 parts|not a valid jwt|illegal base64|"
     "invalid number of segments|token contains an invalid|token is not a jwt|could not decode token",
     "auth.malformed_credentials", kWording, kAny, kPlain, "the credentials are malformed: {message}", "",
     false, "token contains an invalid number of segments"},

    // ---- Missing.
    {"authentication credentials were not provided|full authentication is required|"
     "missing authentication credentials|requires authentication|missing required authentication|"
     "you did not provide an api key|no authentication information|user name is empty|username is empty",
     "auth.missing_credentials", kExplicit, kAny, kPlain, "the server received no credentials: {message}", "",
     false, "Authentication credentials were not provided."},
    {"no authorization header|authorization header is missing|missing authorization header|"
     "authorization header*required|no api key|api key is missing|missing api key|api key*required|"
     "no token provided|token*not provided|no credentials|credentials*not provided|missing credentials|"
     "missing bearer token|no bearer token|authentication required|authentication is required|"
     "unauthenticated request|login required|not authenticated|no authorization token was found|"
     "no authorization was found|no token was found|token was not found|no auth token|not logged in|"
     "please provide an auth token|auth token required|missing authentication|provide credentials|"
     "authorization header*not found|authorization header*not present|authorization field missing|"
     "missing client token|missing token|token is missing|token missing|no api key found",
     "auth.missing_credentials", kWording, kAny, kPlain, "the server saw no credentials: {message}", "",
     false, "Please provide an auth token as part of the request."},

    // ---- A disabled or locked account: its credentials no longer work
    // (before the block sentences: "your account has been blocked").
    {"account*disabled|account*locked|account*suspended|account*blocked|account*deactivated|"
     "user is disabled|user has been disabled|user is locked|user has been locked|user*suspended|"
     "key is disabled|key has been disabled|key*suspended|key is blocked|key has been blocked|"
     "token is blocked|token has been blocked",
     "auth.invalid_credentials", kWording, kAny, kPlain, "the account or key is disabled: {message}", "",
     false, "This account has been disabled."},

    // ---- A WAF, firewall, filter or bot protection blocked the request
    // (SPEC 1.3 forbidden.waf by wording; the product named where the text
    // names one).
    {"blocked by|denied by|rejected by|intercepted by|filtered by|stopped by|restricted by|flagged by|"
     "forbidden by|refused by|prevented by|denied access by|not allowed by|prohibited by|caught by",
     "forbidden.waf", kWording, kAny, kTarget, "{product} blocked the request: {message}", "", false,
     "Your request was blocked by Palisade."},
    {"blocked your request|blocked this request|has blocked your|has blocked this|blocked your access|"
     "denied your request|denied this request|rejected your request|rejected this request|stopped your "
     "request|"
     "flagged your request|has denied your|has rejected your",
     "forbidden.waf", kWording, kAny, kPlain, "{product} blocked the request: {message}", "", false,
     "ShieldLine blocked your request."},
    {"request*blocked|request*rejected by|request*intercepted|request*filtered|request*denied by|"
     "request*denied for security|denied for security reasons|request*deemed suspicious|request looks "
     "suspicious|"
     "looks suspicious|request*triggered*rule|unauthorized request blocked|access*blocked|url was blocked|"
     "url*has been blocked|url was rejected|blocked*security rule|restricted*security rule|"
     "denied*security rule|due to a security rule|for security reasons*blocked|blocked*for security reasons|"
     "blocked*malicious|malicious*blocked|blocked*suspicious|suspicious activity|automation tools|"
     "automated requests*blocked|automated traffic|potential threat|stopped processing your request|"
     "firewall*access denied|access denied*firewall|access denied*waf|waf*blocked|firewall*blocked|"
     "blocked*firewall|triggered*firewall|triggered*security rule|triggered*waf|you have been blocked|"
     "you were blocked|you've been blocked|you are blocked|security violation|attack detected|"
     "malicious request|has been blocked and logged|was blocked and logged|flagged*malicious|flagged*harmful|"
     "flagged*suspicious|flagged*attack|flagged as a bot|suspicious behavio|suspicious traffic|"
     "suspicious request|unusual traffic|unusual activity|denied*waf|waf*denied|rejected*waf|denied*firewall "
     "rule|"
     "verify you are human|verify that you are human|verify you are not a robot|are you a robot|are you "
     "human|"
     "bot detected|human verification|complete the captcha|solve the captcha|captcha to continue|"
     "checking your browser|challenge to continue|bot protection",
     "forbidden.waf", kWording, kAny, kPlain, "{product} blocked the request: {message}", "", false,
     "The page you are trying to access is restricted due to a security rule."},

    // ---- Permission and role.
    {"is not authorized to perform|user*cannot*resource|is unauthorized for user|is unauthorized for api key|"
     "resource not accessible by integration|resource not accessible by personal access token|"
     "you do not have permission to perform this action|must have admin rights|must have push access|"
     "requested access to the resource is denied",
     "forbidden.permission", kExplicit, kAny, kPlain, "the caller lacks permission: {message}", "", false,
     "User \"monitor\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""},
    {"not management user|not a management user|not administrator user|not an administrator|not "
     "administrator|"
     "not an admin|not admin user|not a privileged user|not a superuser|not a staff|not staff|"
     "requires admin|requires administrator|requires*privilege|admin privilege|administrator privilege|"
     "admin rights required|administrator rights|admins only|administrators only|only admins|"
     "only administrators|role*required|required role|requires*role|missing role|missing*role|"
     "does not have*role|not have the*role|insufficient role|not in*group|not a member of|"
     "not authorized to execute|not authorised to execute|not a server admin|not a db admin|not a database "
     "admin|not a system admin|not a site admin|"
     "not a global admin|not the admin|is missing the*permission|"
     "cannot consume this|not allowed to consume|rbac: access denied|rbac*denied|"
     "user*not authorised to access|user*not authorized to access|is not permitted to|not allowed to perform",
     "forbidden.permission", kWording, kAny, kPlain, "the user lacks a role or privilege: {message}", "",
     false, "Not management user"},
    {"insufficient scope|insufficient_scope|missing scope|missing required scope|required scope|"
     "scope*not granted|insufficient permission|insufficient privileges|not have the required permission|"
     "does not have permission|do not have permission|lacks permission|permission denied|"
     "not have access to|not allowed to access|access to this resource is denied|"
     "not permitted to perform|does not have access|not enough permissions|not enough privileges|"
     "insufficient rights|not enough rights|access is not allowed for this user|check that you have the "
     "necessary permissions",
     "forbidden.permission", kWording, kAny, kPlain, "the caller lacks permission: {message}", "", false,
     "Not enough permissions"},
    // On a 401 these only restate the status ("You are not authorized to
    // access that resource" after a wrong password).
    {"not authorized to access|not authorised to access|not authorized to view|not authorised to view",
     "forbidden.permission", kWording, kNot401, kPlain, "the caller lacks permission: {message}", "", false,
     "You are not authorized to view this page."},

    // ---- Invalid credentials.
    {"bad credentials|invalid api key provided|incorrect api key provided|invalid authentication credentials|"
     "unable to authenticate user|invalid token provided|invalid auth token|auth token is invalid",
     "auth.invalid_credentials", kExplicit, kAny, kPlain, "the credentials were rejected: {message}", "",
     false, "Bad credentials"},
    {"has been revoked|was revoked|token revoked|revoked token|key revoked|is revoked",
     "auth.invalid_credentials", kWording, kAny, kPlain, "the credentials were revoked: {message}", "", false,
     "The token has been revoked."},
    {"invalid token|invalid access token|invalid api key|invalid credentials|"
     "incorrect credentials|invalid username or password|incorrect username or password|bad token|"
     "invalid username/password|name or password is incorrect|user inactive or deleted|"
     "invalid jwt|invalid signature|signature verification failed|signature*invalid|invalid audience|"
     "audience*invalid|audience*mismatch|invalid issuer|unknown api key|"
     "api key not valid|api key*invalid|token*not valid|could not validate credentials|unauthorized token|"
     "invalid client secret|invalid user credentials|user not found|unknown user|no such user|"
     "user does not exist|user*not found|unknown username|invalid user|wrong password|invalid password|"
     "incorrect password|password*incorrect|password*mismatch|bad username or password|"
     "credentials*not valid|credentials*rejected|credentials*incorrect|invalid login|login invalid|"
     "acl not found|token not found|key not authorised|key not authorized|unknown token|unknown key",
     "auth.invalid_credentials", kWording, kAny, kPlain, "the credentials were rejected: {message}", "",
     false, "signature is invalid"},
    // Words that say the credentials were not accepted, and not why: they
    // restate the status, and what the check knows itself goes first.
    {"login failed|log in failed|login incorrect|authentication failed|authentication failure|"
     "authorization failed|sign in failed|could not log you in",
     "auth.invalid_credentials", kWording, kAny, kPlain, "the credentials were not accepted: {message}", "",
     true, "Login failed"},
};

extern const std::size_t kPhraseCount = sizeof(kPhrases) / sizeof(kPhrases[0]);

}  // namespace probewise::wording_detail
