// SPDX-License-Identifier: GPL-2.0-or-later
// Rate-limit evidence: Retry-After, X-RateLimit-*, and the IETF RateLimit /
// RateLimit-Policy headers (the current structured-field draft and the older
// RateLimit-Limit/-Remaining/-Reset form).
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "evidence/signals.h"
#include "http/header_map.h"

namespace probewise {

struct RateLimit {
  std::optional<long long> limit;
  std::optional<long long> remaining;
  std::optional<long long> reset_seconds;        // from now until the window resets
  std::optional<long long> retry_after_seconds;  // from now
  std::optional<long long> window_seconds;       // the policy's window ("w"), when told
  std::vector<std::string> evidence;             // the headers it was read from
  bool present() const;
  bool exhausted() const;  // remaining == 0, or a Retry-After was given
  // Seconds until a retry makes sense (retry-after, else reset), if known.
  std::optional<long long> retry_in() const;
};

// Reads every form it knows; where several give the same field, the IETF
// RateLimit field wins over RateLimit-*, which wins over X-RateLimit-*.
// Values that do not parse are ignored; never throws.
RateLimit parse_rate_limit(const HeaderMap& headers, std::time_t now);

// "throttled" signals for this answer: 429, or 403/503 with exhausted limits;
// Retry-After alone on a 403 is a presence-only detail of the denial.
Signals rate_limit_signals(const RateLimit& limit, int status);

}  // namespace probewise
