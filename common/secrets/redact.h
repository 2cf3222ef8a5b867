// SPDX-License-Identifier: GPL-2.0-or-later
// Secrets by shape (SPEC 1.6), for what the check cannot know by value:
// secret header values in traces, and URL secrets (userinfo, credential-like
// query and fragment parameters) in any text. SecretRegistry::redact()
// (secrets/secret_registry.h) applies it after the secrets it holds, where
// text leaves the process: the renderers, the collectd plugin's log and
// notifications, the state store. The request itself is never changed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace probewise {

inline constexpr std::string_view kRedacted = "[redacted]";

// Copies a text with the ranges handed to replace() (in order, not
// overlapping) shown as [redacted]; allocates nothing until the first one.
class Redactor {
 public:
  explicit Redactor(std::string_view text) : text_(text) {}
  void replace(std::size_t begin, std::size_t end);
  std::string finish() &&;

 private:
  std::string_view text_;
  std::string out_;
  std::size_t copied_ = 0;
};

// True for header names that say they carry credentials (Authorization,
// Cookie, X-API-Key, anything with token/secret/password/auth/session/
// signature/credential in its name, or ending in -Key): what the diagnosis
// calls a credential that was sent.
bool is_secret_header(std::string_view name);

// True for the standard request headers that carry no secret (Accept,
// Accept-Language, Accept-Encoding, Cache-Control, Pragma, User-Agent,
// Referer, X-Request-ID, ...: kPublicHeaders). Every other header the user
// gives stays with the origin and its value is a secret (SPEC 1.6).
bool is_public_header(std::string_view name);
// The allow list, for --help and the manuals: "Accept, Accept-Charset, ...".
std::string public_header_names();
// "Authorization: Bearer abc" -> "Authorization: [redacted]"; other lines unchanged.
std::string redact_header_line(std::string_view line);

// An answer's header block as -vv shows it: the values of the credentials a
// server hands out (Set-Cookie, X-Auth-Token, ...) as [redacted]; challenges
// (WWW-Authenticate, Proxy-Authenticate, Authentication-Info) stay readable.
std::string redact_response_headers(std::string_view block);

// True for query parameter names whose values are credentials: access_token,
// api_key, key, client_secret, password, sig, X-Amz-Signature, code, ...
// (case-insensitive, percent-encoded or not: api%5Fkey; also *_token,
// *-key, *secret*, *signature*, ...).
bool is_secret_query_name(std::string_view name);

// Every URL secret in `text` shown as [redacted]: the userinfo of each
// "scheme://user:pw@host" or protocol-relative "//user:pw@host", and the
// value of each credential-like query or fragment parameter
// ("?access_token=...", "&sig=...", "&amp;key=...", "#access_token=...",
// and with the separators percent-encoded inside another URL:
// "%3Ftoken%3D..."), wherever the URL stands: a status line, a request line
// "GET /x?token=... HTTP/1.1", a Location header, a JSON string. Text
// without them comes back unchanged.
std::string redact_text(std::string_view text);

}  // namespace probewise
