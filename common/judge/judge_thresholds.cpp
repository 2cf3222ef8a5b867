// SPDX-License-Identifier: GPL-2.0-or-later
// Thresholds: the response time (-w, -c) and the monitor's own token (--token-expiry).
#include "base/text.h"
#include "memory/change.h"

#include "judge/judge.h"

namespace probewise::judge_detail {

void Judge::token_expiry() {
  const TokenExpiry& t = p_.token_expiry;
  if (!t.enabled || !c_.sent.expires_at) return;
  const double left_days = std::difftime(*c_.sent.expires_at, now_) / 86400.0;
  // A token whose whole life is shorter than the warning window is meant
  // to be short-lived (and renewed): no nagging.
  if (c_.sent.issued_at && std::difftime(*c_.sent.expires_at, *c_.sent.issued_at) / 86400.0 < t.warn_days)
    return;
  if (left_days <= 0 || left_days > t.warn_days) return;  // expired: the diagnosis speaks of it
  State s = left_days <= t.crit_days ? State::critical : State::warning;
  add("token.expiring", s,
      "token expiring: the monitor's " + c_.sent.kind + " expires in " +
          format_duration(static_cast<long long>(left_days * 86400)));
}

void Judge::response_time() {
  State s = p_.time.evaluate(static_cast<double>(r_.timings.total_us) / 1e6);
  if (s != State::ok) add("slow", s, "");
}

}  // namespace probewise::judge_detail
