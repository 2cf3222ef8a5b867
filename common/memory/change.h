// SPDX-License-Identifier: GPL-2.0-or-later
// Change detection (SPEC 1.4): compare this result with the stored one, say
// what changed and for how long the previous status had lasted, and compute
// the state to store next. Pure: the clock comes in as `now`.
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "memory/state_store.h"

namespace probewise {

struct Observation {  // what this run saw, in the terms the store keeps
  int status = 0;
  std::string status_text;  // "401 Unauthorized", or the reason when no answer
  std::string reason;
  State state = State::ok;
  std::string credentials;  // fingerprint of what was sent
  bool success = false;     // an answer judged OK
};

struct Change {
  int previous_status = 0;
  std::string previous_status_text;
  std::string previous_reason;
  std::time_t since = 0;  // when the previous status began
  std::string message;    // "changed from 200 OK (for 3d 4h, since 2026-11-24 10:02 UTC) to 401 Unauthorized"
  bool same_credentials_as_success = false;  // the credentials that worked are the ones sent now
  std::time_t last_success = 0;
};

// nullopt when nothing changed (or nothing was stored before).
std::optional<Change> detect_change(const std::optional<StoredState>& previous, const Observation& now_seen,
                                    std::time_t now);

StoredState next_state(const std::optional<StoredState>& previous, const Observation& now_seen,
                       std::time_t now);

// "3d 4h", "5m 10s": the two largest units.
std::string format_duration(long long seconds);
// "2026-11-24 10:02 UTC"
std::string format_utc_minute(std::time_t t);

}  // namespace probewise
