// SPDX-License-Identifier: GPL-2.0-or-later
// The monitor's own credentials: where they come from (files, environment,
// OAuth 2.0), how they go on the request, and what the diagnosis may know
// about what was sent. Secrets stay in RequestSpec; SentAuth holds none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/expected.h"
#include "credentials/jwt.h"
#include "http/request_spec.h"
#include "secrets/secret_registry.h"

namespace probewise {

// First line of a file, without its line ending. The error names the file,
// never its content. Opened without waiting (a FIFO is refused unread).
Expected<std::string> read_secret_file(const std::string& path);

// Where the check's credentials come from (never the command line itself).
struct CredentialOptions {
  std::string bearer_token_file;  // --bearer-token-file
  std::string bearer_token_env;   // --bearer-token-env
  std::string basic_auth_file;    // --basic-auth-file: user:password on the first line
  std::string header_file;        // --header-file: extra headers, one per line
};

// Puts the credentials on the request (Authorization, Basic, extra headers)
// and registers each secret with `secrets` (when given) as it is read, the
// cookies of spec.cookie_jar too. A token or header with CR, LF or NUL
// inside is an error naming the option (and line): no request carries it.
// A credential file or cookie jar that is no regular file (a FIFO, a
// directory) is not read: the request goes without it, and the notes (the
// value) say so. Errors name the file, never its content.
Expected<std::vector<std::string>> apply_credentials(const CredentialOptions& options, RequestSpec& spec,
                                                     std::optional<std::string> (*getenv_fn)(const char*),
                                                     SecretRegistry* secrets = nullptr);
std::optional<std::string> process_getenv(const char* name);

// The userinfo of the proxies the environment names (http_proxy,
// https_proxy, ...), registered as secrets: requests may use them.
void register_proxy_environment(SecretRegistry& secrets, const EnvLookup& env);

// What the check knows about the credentials it sent, without the secret.
struct SentAuth {
  bool sent = false;             // any credential on the request
  std::string kind;              // "bearer token", "Basic credentials", "X-API-Key header", ...
  std::string scheme;            // of the Authorization header: "Bearer", "Basic", "Token"; "" for others
  std::string form_problem;      // why the server may not accept its form, "" if none seen
  std::optional<JwtClaims> jwt;  // the bearer token's claims, when it is a JWT
  std::optional<std::time_t> expires_at;  // the token's expiry (JWT exp or OAuth expires_in)
  std::optional<std::time_t> issued_at;
  std::string fingerprint;  // short hash of the secret material, for change detection
  bool proxy_sent =
      false;  // proxy credentials (-b, a Proxy-Authorization header): for the proxy, not the target
};

// The kind as a noun phrase that reads in a sentence: "a bearer token",
// "Basic credentials"; and the verb that agrees with it ("was" / "were").
std::string sent_phrase(const SentAuth& sent);
std::string_view sent_verb(const SentAuth& sent);

// Looks at the request's Authorization / API-key headers and Basic credentials.
SentAuth describe_sent_auth(const RequestSpec& spec);

// The same request without any credentials (for --check-auth-enforced).
RequestSpec without_credentials(const RequestSpec& spec);

// SHA-256 of the input, first 16 hex digits: identifies, does not reveal.
std::string fingerprint(const std::string& secret_material);

}  // namespace probewise
