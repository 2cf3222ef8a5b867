// SPDX-License-Identifier: GPL-2.0-or-later
// OAuth 2.0 client-credentials grant (RFC 6749 4.4): the monitor fetches its
// own bearer token, and caches it until shortly before it expires.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "base/expected.h"
#include "http/probe_result.h"
#include "http/request_spec.h"

namespace probewise {

struct OAuth2Config {
  std::string token_url;
  std::string client_id;
  std::string client_secret_file;
  std::string scope;
};

struct OAuthToken {
  std::string access_token;  // secret
  std::string token_type;    // "Bearer"
  std::time_t obtained_at = 0;
  std::time_t expires_at = 0;  // 0 when the endpoint gave no expires_in
};

struct OAuthFailure {
  std::string reason;  // auth.service_unavailable, auth.invalid_credentials, forbidden.permission
  std::string detail;  // "the token endpoint is unreachable: ..."
  std::vector<std::string> evidence;
};

// The token request that `base` (TLS, proxy, timeouts of the check) would make.
RequestSpec token_request(const OAuth2Config& config, const std::string& client_secret,
                          const RequestSpec& base);

// Judges the token endpoint's answer: a token, or why there is none.
// Never repeats the client secret or the token in the failure.
Expected<OAuthToken> read_token_response(const ProbeResult& answer, std::time_t now, OAuthFailure& failure);

// A cached token is used until 60 s (or a tenth of its lifetime) before expiry.
bool token_usable(const OAuthToken& token, std::time_t now);

std::string serialize_token(const OAuthToken& token);
std::optional<OAuthToken> parse_token_cache(const std::string& text);

}  // namespace probewise
