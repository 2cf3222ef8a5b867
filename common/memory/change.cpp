// SPDX-License-Identifier: GPL-2.0-or-later
#include "memory/change.h"

#include <array>

#include "base/text.h"

namespace probewise {

std::string format_duration(long long seconds) {
  if (seconds < 0) seconds = 0;
  struct Unit {
    long long size;
    const char* suffix;
  };
  static constexpr std::array<Unit, 4> kUnits{{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}}};
  std::string out;
  int shown = 0;
  for (const auto& u : kUnits) {
    long long n = seconds / u.size;
    if (n == 0 && shown == 0) continue;  // no leading zero units
    if (n == 0) break;                   // "3d" rather than "3d 0h"
    out += (out.empty() ? "" : " ") + std::to_string(n) + u.suffix;
    seconds -= n * u.size;
    if (++shown == 2) break;
  }
  return out.empty() ? "0s" : out;
}

std::string format_utc_minute(std::time_t t) {
  return format_utc(t, "%Y-%m-%d %H:%M UTC");
}

std::optional<Change> detect_change(const std::optional<StoredState>& previous, const Observation& seen,
                                    std::time_t now) {
  if (!previous) return std::nullopt;
  if (previous->status == seen.status && previous->reason == seen.reason) return std::nullopt;
  Change c;
  c.previous_status = previous->status;
  c.previous_status_text = previous->status_text;
  c.previous_reason = previous->reason;
  c.since = previous->since;
  c.last_success = previous->last_success;
  c.same_credentials_as_success = previous->last_success != 0 && !seen.credentials.empty() &&
                                  seen.credentials == previous->success_credentials;
  std::string from = previous->status_text.empty() ? previous->reason : previous->status_text;
  std::string to = seen.status_text.empty() ? seen.reason : seen.status_text;
  if (from == to) {  // same status, another reason: name the reasons
    from += " (" + previous->reason + ")";
    to += " (" + seen.reason + ")";
  }
  c.message = "changed from " + from + " (for " + format_duration(now - previous->since) + ", since " +
              format_utc_minute(previous->since) + ") to " + to;
  return c;
}

StoredState next_state(const std::optional<StoredState>& previous, const Observation& seen, std::time_t now) {
  StoredState s;
  s.status = seen.status;
  s.status_text = seen.status_text;
  s.reason = seen.reason;
  s.state = seen.state;
  s.checked = now;
  s.credentials = seen.credentials;
  const bool same = previous && previous->status == seen.status && previous->reason == seen.reason;
  s.since = same ? previous->since : now;
  if (seen.success) {
    s.last_success = now;
    s.success_credentials = seen.credentials;
  } else if (previous) {
    s.last_success = previous->last_success;
    s.success_credentials = previous->success_credentials;
  }
  return s;
}

}  // namespace probewise
