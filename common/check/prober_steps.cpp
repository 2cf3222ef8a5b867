// SPDX-License-Identifier: GPL-2.0-or-later
#include "check/prober_steps.h"

namespace probewise {

bool take_token(CheckSteps& steps, TokenBroker& tokens, std::size_t slot, std::size_t waiter,
                ConcurrentProber& prober, std::time_t now, std::int64_t now_ms) {
  auto got = tokens.acquire(slot, waiter, steps.wants_fresh_token() ? steps.refused_token() : std::string(),
                            now, steps.budget_left_ms(now_ms));
  if (got.grant) {
    steps.give_token(got.grant->token, got.grant->from_cache);
    return true;
  }
  if (got.failed) {
    steps.token_failed(*got.failed);
    return true;
  }
  if (got.fetch) prober.start(kTokenFetchIdBase + static_cast<std::uint64_t>(slot), *got.fetch);
  return false;
}

TokenFetched token_fetched(TokenBroker& tokens, std::size_t slot, const ProbeResult& answer, std::time_t now,
                           const std::function<CheckSteps*(std::size_t)>& steps_of) {
  TokenFetched out;
  if (slot >= tokens.size()) return out;
  auto delivery = tokens.complete(slot, answer, now);
  out.token = delivery.token;
  for (std::size_t i : delivery.waiters) {
    CheckSteps* steps = steps_of(i);
    if (!steps || steps->next() != CheckSteps::Next::token) continue;
    if (delivery.token)
      steps->give_token(*delivery.token, false);
    else
      steps->token_failed(delivery.failure);
    out.waiters.push_back(i);
  }
  return out;
}

}  // namespace probewise
