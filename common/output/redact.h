// SPDX-License-Identifier: GPL-2.0-or-later
// Keeps secrets out of everything probewise writes (SPEC 1.6): secret header
// values in traces, and URL secrets (userinfo, credential-like query
// parameters) in any text. Applied where text leaves the process: the
// renderers, trace capture, the collectd plugin's log and notifications, the
// state store. The request itself is never changed.
#pragma once

#include <string>
#include <string_view>

namespace probewise {

// True for header names that carry credentials (Authorization, Cookie,
// X-API-Key, anything with token/secret/password/auth/session/signature/
// credential in its name, or ending in -Key).
bool is_secret_header(std::string_view name);
// "Authorization: Bearer abc" -> "Authorization: [redacted]"; other lines unchanged.
std::string redact_header_line(std::string_view line);

// An answer's header block as -vv shows it: the values of the credentials a
// server hands out (Set-Cookie, X-Auth-Token, ...) as [redacted]; challenges
// (WWW-Authenticate, Proxy-Authenticate, Authentication-Info) stay readable.
std::string redact_response_headers(std::string_view block);

// True for query parameter names whose values are credentials: access_token,
// api_key, key, client_secret, password, sig, X-Amz-Signature, code, ...
// (case-insensitive; also *_token, *-key, *secret*, *signature*, ...).
bool is_secret_query_name(std::string_view name);

// Every URL secret in `text` shown as [redacted]: the userinfo of each
// "scheme://user:pw@host" and the value of each credential-like query
// parameter ("?access_token=...", "&sig=...", "&amp;key=..."), wherever the
// URL stands: a status line, a request line "GET /x?token=... HTTP/1.1", a
// Location header, a JSON string. Text without them comes back unchanged.
std::string redact_text(std::string_view text);

}  // namespace probewise
