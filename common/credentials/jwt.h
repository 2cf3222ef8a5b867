// SPDX-License-Identifier: GPL-2.0-or-later
// JSON Web Tokens read without verifying the signature: the monitor only
// wants to know what its own token says (expiry, audience, scope).
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"

namespace probewise {

struct JwtClaims {
  std::string alg;                   // from the header
  std::optional<std::time_t> exp;    // expiry
  std::optional<std::time_t> iat;    // issued at
  std::optional<std::time_t> nbf;    // not before
  std::string iss, sub, aud, scope;  // aud joined with "," when a list
};

// Decodes base64url (with or without padding); nullopt on a bad character.
std::optional<std::string> base64url_decode(std::string_view in);

// "header.payload.signature" -> claims. An error says what was wrong; never
// throws; bounded (tokens over 64 KiB are refused).
Expected<JwtClaims> decode_jwt(std::string_view token);

bool looks_like_jwt(std::string_view token);

}  // namespace probewise
