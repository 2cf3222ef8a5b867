// SPDX-License-Identifier: GPL-2.0-or-later
// WWW-Authenticate / Proxy-Authenticate challenges (RFC 9110 11.6.1, 11.7.1)
// and the RFC 6750 error codes they carry, read into Signals.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evidence/signals.h"
#include "http/header_map.h"

namespace probewise {

struct Challenge {
  std::string scheme;   // as sent, e.g. "Bearer"
  std::string token68;  // e.g. the blob of "Negotiate abc=="; "" when params are used
  std::vector<std::pair<std::string, std::string>> params;             // names lower-cased, values unquoted
  std::optional<std::string_view> param(std::string_view name) const;  // case-insensitive
};

// The bounds of parse_challenges: what is past them is dropped, not an error.
inline constexpr std::size_t kMaxChallenges = 64;
inline constexpr std::size_t kMaxChallengeParams = 64;        // per challenge
inline constexpr std::size_t kMaxChallengeValue = 1024;       // bytes of a value, token68 or scheme
inline constexpr std::size_t kMaxChallengeInput = 64 * 1024;  // bytes of one header value read

// Every challenge in one header value (several may share a line). Never
// throws; tolerates the malformed values real servers send; bounded work.
std::vector<Challenge> parse_challenges(std::string_view value);

// One challenge written back as a header value, for evidence: a token68 is
// never repeated (it may echo a credential), it reads "<token68 omitted>".
std::string render_challenge(const Challenge& c);

// Signals from every WWW-Authenticate (and, for 407, Proxy-Authenticate)
// header of an answer with this status.
Signals challenge_signals(const HeaderMap& headers, int status);

}  // namespace probewise
