// SPDX-License-Identifier: GPL-2.0-or-later
// JSON Web Tokens read without verifying the signature: the monitor only
// wants to know what its own token says (expiry, audience, scope).
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "base/base64.h"  // base64url_decode, which JWT parts are in
#include "base/expected.h"

namespace probewise {

struct JwtClaims {
  std::string alg;                   // from the header
  std::optional<std::time_t> exp;    // expiry
  std::optional<std::time_t> iat;    // issued at
  std::optional<std::time_t> nbf;    // not before
  std::string iss, sub, aud, scope;  // aud joined with "," when a list
};

// "header.payload.signature" -> claims. An error says what was wrong; never
// throws; bounded (tokens over 64 KiB are refused).
Expected<JwtClaims> decode_jwt(std::string_view token);

bool looks_like_jwt(std::string_view token);

}  // namespace probewise
